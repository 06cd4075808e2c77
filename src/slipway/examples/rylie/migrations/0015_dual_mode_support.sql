-- Dual-mode support: AI or human-agent operation per dealership and conversation
-- Dual mode: a dealership runs the AI (rylie_ai), human agents only (direct_agent) or both.
ALTER TABLE dealerships
    ADD COLUMN operation_mode text NOT NULL DEFAULT 'rylie_ai',
    ADD CONSTRAINT dealerships_operation_mode_check CHECK (operation_mode IN ('rylie_ai', 'direct_agent', 'hybrid')) NOT VALID;
ALTER TABLE conversations
    ADD COLUMN mode text NOT NULL DEFAULT 'rylie_ai',
    ADD CONSTRAINT conversations_mode_check CHECK (mode IN ('rylie_ai', 'direct_agent')) NOT VALID;
-- NOT VALID: the constant defaults satisfy the checks; 0020 validates existing rows.
-- which agent wrote a message in direct mode (NULL for customer/AI messages).
-- messages is partitioned: PostgreSQL before 18 cannot add a NOT VALID foreign key to it, nor
-- build an index on it CONCURRENTLY. Both run here on a column that is NULL in every row: the
-- FK check finds nothing to look up and the partial index receives no entries, but each scans
-- every partition while holding its lock (run in a quiet hour on a large table).
-- The FK is NO ACTION, and a trigger on users clears sender_user_id first: ON DELETE SET NULL
-- (sender_user_id) would be the natural rule, but PostgreSQL 15-17 copy its column list to
-- partitions without renumbering, which breaks pg_dump (and pg_get_constraintdef) as soon as a
-- partition's column numbers differ from the parent's (after any column drop).
ALTER TABLE messages
    ADD COLUMN sender_user_id bigint,
    -- slipway-ignore adding-foreign-key-constraint
    ADD CONSTRAINT messages_sender_user_fkey FOREIGN KEY (dealership_id, sender_user_id)
        REFERENCES users (dealership_id, id);
-- slipway-ignore require-concurrent-index-creation
CREATE INDEX messages_sender_user_idx ON messages (dealership_id, sender_user_id)
    WHERE sender_user_id IS NOT NULL;
CREATE FUNCTION clear_message_sender() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path = pg_catalog, public
AS $$
BEGIN
    -- the whole tenant is being deleted (cascade): its messages go too
    IF NOT EXISTS (SELECT 1 FROM dealerships d WHERE d.id = OLD.dealership_id) THEN
        RETURN OLD;
    END IF;
    UPDATE messages m SET sender_user_id = NULL
    WHERE m.dealership_id = OLD.dealership_id AND m.sender_user_id = OLD.id;
    RETURN OLD;
END
$$;
COMMENT ON FUNCTION clear_message_sender() IS 'Trigger function: ON DELETE SET NULL for messages.sender_user_id.';
CREATE TRIGGER trg_users_clear_message_sender BEFORE DELETE ON users
    FOR EACH ROW EXECUTE FUNCTION clear_message_sender();
