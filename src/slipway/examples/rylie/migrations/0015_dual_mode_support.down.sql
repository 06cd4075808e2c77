-- Roll back 0015_dual_mode_support: dual-mode support: AI or human-agent operation per dealership and conversation
DROP TRIGGER trg_users_clear_message_sender ON users;
DROP FUNCTION clear_message_sender();
-- slipway-ignore require-concurrent-index-deletion -- messages is partitioned: PostgreSQL cannot drop its index concurrently
DROP INDEX messages_sender_user_idx;
ALTER TABLE messages
    DROP CONSTRAINT messages_sender_user_fkey,
    DROP COLUMN sender_user_id;
ALTER TABLE conversations
    DROP CONSTRAINT conversations_mode_check,
    DROP COLUMN mode;
ALTER TABLE dealerships
    DROP CONSTRAINT dealerships_operation_mode_check,
    DROP COLUMN operation_mode;
