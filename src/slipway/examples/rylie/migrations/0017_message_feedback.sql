-- Message feedback with its summary materialized view, and the trigger that bumps a conversation when a message arrives
-- Thumbs up/down on AI replies. message_id/message_created_at identify a row of the partitioned
-- messages table without a foreign key (see messages in 0000); a trigger checks it exists in
-- the same tenant and conversation instead.
CREATE TABLE message_feedback (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    dealership_id integer NOT NULL REFERENCES dealerships (id) ON DELETE CASCADE,
    conversation_id bigint NOT NULL,
    message_id bigint NOT NULL,
    message_created_at timestamptz NOT NULL,
    user_id bigint,
    rating smallint NOT NULL,
    feedback_type text,
    comment text,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT message_feedback_rating_check CHECK (rating IN (-1, 1)),
    CONSTRAINT message_feedback_type_check CHECK (feedback_type IN ('helpful', 'not_helpful', 'inaccurate', 'inappropriate', 'too_slow', 'other')),
    CONSTRAINT message_feedback_conversation_fkey FOREIGN KEY (dealership_id, conversation_id)
        REFERENCES conversations (dealership_id, id) ON DELETE CASCADE,
    CONSTRAINT message_feedback_user_fkey FOREIGN KEY (dealership_id, user_id)
        REFERENCES users (dealership_id, id) ON DELETE SET NULL (user_id)
);
CREATE INDEX message_feedback_conversation_idx ON message_feedback (dealership_id, conversation_id);
CREATE INDEX message_feedback_message_idx ON message_feedback (dealership_id, message_id, message_created_at);
CREATE INDEX message_feedback_user_idx ON message_feedback (dealership_id, user_id) WHERE user_id IS NOT NULL;

ALTER TABLE message_feedback ENABLE ROW LEVEL SECURITY;
ALTER TABLE message_feedback FORCE ROW LEVEL SECURITY;
CREATE POLICY message_feedback_tenant_select ON message_feedback FOR SELECT
    USING (dealership_id = NULLIF(current_setting('app.current_dealership_id', true), '')::int);
CREATE POLICY message_feedback_tenant_insert ON message_feedback FOR INSERT
    WITH CHECK (dealership_id = NULLIF(current_setting('app.current_dealership_id', true), '')::int);
CREATE POLICY message_feedback_tenant_update ON message_feedback FOR UPDATE
    USING (dealership_id = NULLIF(current_setting('app.current_dealership_id', true), '')::int)
    WITH CHECK (dealership_id = NULLIF(current_setting('app.current_dealership_id', true), '')::int);
CREATE POLICY message_feedback_tenant_delete ON message_feedback FOR DELETE
    USING (dealership_id = NULLIF(current_setting('app.current_dealership_id', true), '')::int);
GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE message_feedback TO rylie_app;
CREATE TRIGGER trg_message_feedback_updated_at BEFORE UPDATE ON message_feedback
    FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();

CREATE FUNCTION check_message_feedback_target() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path = pg_catalog, public
AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM messages m
                   WHERE m.dealership_id = NEW.dealership_id AND m.id = NEW.message_id
                     AND m.created_at = NEW.message_created_at
                     AND m.conversation_id = NEW.conversation_id) THEN
        RAISE EXCEPTION 'message % (%) does not exist in conversation %',
            NEW.message_id, NEW.message_created_at, NEW.conversation_id
            USING ERRCODE = 'foreign_key_violation';
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER trg_message_feedback_target BEFORE INSERT OR UPDATE OF dealership_id, conversation_id, message_id, message_created_at
    ON message_feedback FOR EACH ROW EXECUTE FUNCTION check_message_feedback_target();

-- Cross-tenant aggregate: materialized views cannot carry RLS, so rylie_app gets no access;
-- reporting jobs read it as the owner. The unique index allows REFRESH ... CONCURRENTLY.
CREATE MATERIALIZED VIEW message_feedback_summary AS
SELECT f.dealership_id,
       f.message_id,
       f.message_created_at,
       f.conversation_id,
       count(*) AS total_feedback,
       count(*) FILTER (WHERE f.rating = 1) AS positive_count,
       count(*) FILTER (WHERE f.rating = -1) AS negative_count,
       round(avg(f.rating), 3) AS avg_rating,
       max(f.created_at) AS last_feedback_at
FROM message_feedback f
GROUP BY f.dealership_id, f.message_id, f.message_created_at, f.conversation_id;
CREATE UNIQUE INDEX message_feedback_summary_key
    ON message_feedback_summary (dealership_id, message_id, message_created_at);

-- A new message bumps its conversation's updated_at (once per statement, not once per row).
CREATE FUNCTION update_conversation_timestamp() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path = pg_catalog, public
AS $$
BEGIN
    UPDATE conversations c
    SET updated_at = now()
    FROM (SELECT DISTINCT n.dealership_id, n.conversation_id FROM new_messages n) n
    WHERE c.dealership_id = n.dealership_id AND c.id = n.conversation_id;
    RETURN NULL;
END
$$;
CREATE TRIGGER trg_messages_update_conversation AFTER INSERT ON messages
    REFERENCING NEW TABLE AS new_messages
    FOR EACH STATEMENT EXECUTE FUNCTION update_conversation_timestamp();
