-- Dual-mode support: AI or human-agent operation per dealership and conversation
-- Dual mode: a dealership runs the AI (rylie_ai), human agents only (direct_agent) or both.
ALTER TABLE dealerships
    ADD COLUMN operation_mode text NOT NULL DEFAULT 'rylie_ai',
    ADD CONSTRAINT dealerships_operation_mode_check CHECK (operation_mode IN ('rylie_ai', 'direct_agent', 'hybrid'));
ALTER TABLE conversations
    ADD COLUMN mode text NOT NULL DEFAULT 'rylie_ai',
    ADD CONSTRAINT conversations_mode_check CHECK (mode IN ('rylie_ai', 'direct_agent'));
-- which agent wrote a message in direct mode (NULL for customer/AI messages)
ALTER TABLE messages
    ADD COLUMN sender_user_id bigint,
    ADD CONSTRAINT messages_sender_user_fkey FOREIGN KEY (dealership_id, sender_user_id)
        REFERENCES users (dealership_id, id) ON DELETE SET NULL (sender_user_id);
CREATE INDEX messages_sender_user_idx ON messages (dealership_id, sender_user_id)
    WHERE sender_user_id IS NOT NULL;
