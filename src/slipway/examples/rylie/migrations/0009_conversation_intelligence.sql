-- Conversation intelligence: AI context memory and per-message insights
-- Short-lived working memory of the AI per conversation; expired rows are removed by
-- cleanup_expired_conversation_contexts() (0019).
CREATE TABLE conversation_contexts (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    dealership_id integer NOT NULL REFERENCES dealerships (id) ON DELETE CASCADE,
    conversation_id bigint NOT NULL,
    context jsonb NOT NULL DEFAULT '{}',
    summary text,
    current_intent text,
    mentioned_vehicles jsonb NOT NULL DEFAULT '[]',
    expires_at timestamptz NOT NULL DEFAULT now() + interval '24 hours',
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT conversation_contexts_conversation_fkey FOREIGN KEY (dealership_id, conversation_id)
        REFERENCES conversations (dealership_id, id) ON DELETE CASCADE,
    CONSTRAINT conversation_contexts_conversation_key UNIQUE (dealership_id, conversation_id)
);
CREATE INDEX conversation_contexts_expires_idx ON conversation_contexts (expires_at);

ALTER TABLE conversation_contexts ENABLE ROW LEVEL SECURITY;
ALTER TABLE conversation_contexts FORCE ROW LEVEL SECURITY;
CREATE POLICY conversation_contexts_tenant_select ON conversation_contexts FOR SELECT
    USING (dealership_id = NULLIF(current_setting('app.current_dealership_id', true), '')::int);
CREATE POLICY conversation_contexts_tenant_insert ON conversation_contexts FOR INSERT
    WITH CHECK (dealership_id = NULLIF(current_setting('app.current_dealership_id', true), '')::int);
CREATE POLICY conversation_contexts_tenant_update ON conversation_contexts FOR UPDATE
    USING (dealership_id = NULLIF(current_setting('app.current_dealership_id', true), '')::int)
    WITH CHECK (dealership_id = NULLIF(current_setting('app.current_dealership_id', true), '')::int);
CREATE POLICY conversation_contexts_tenant_delete ON conversation_contexts FOR DELETE
    USING (dealership_id = NULLIF(current_setting('app.current_dealership_id', true), '')::int);
GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE conversation_contexts TO rylie_app;
CREATE TRIGGER trg_conversation_contexts_updated_at BEFORE UPDATE ON conversation_contexts
    FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();

-- Per-message analysis (intent, sentiment, buying signals). message_id/message_created_at point
-- at a partitioned messages row without a foreign key (see messages in 0000).
CREATE TABLE conversation_insights (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    dealership_id integer NOT NULL REFERENCES dealerships (id) ON DELETE CASCADE,
    conversation_id bigint NOT NULL,
    message_id bigint,
    message_created_at timestamptz,
    intent text,
    sentiment text,
    sentiment_score numeric(4,3),
    buying_signals text[] NOT NULL DEFAULT '{}',
    entities jsonb NOT NULL DEFAULT '{}',
    urgency text,
    created_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT conversation_insights_sentiment_check CHECK (sentiment IN ('positive', 'neutral', 'negative')),
    CONSTRAINT conversation_insights_score_check CHECK (sentiment_score BETWEEN -1 AND 1),
    CONSTRAINT conversation_insights_urgency_check CHECK (urgency IN ('low', 'medium', 'high')),
    CONSTRAINT conversation_insights_conversation_fkey FOREIGN KEY (dealership_id, conversation_id)
        REFERENCES conversations (dealership_id, id) ON DELETE CASCADE
);
CREATE INDEX conversation_insights_conversation_idx ON conversation_insights (dealership_id, conversation_id, created_at);

ALTER TABLE conversation_insights ENABLE ROW LEVEL SECURITY;
ALTER TABLE conversation_insights FORCE ROW LEVEL SECURITY;
CREATE POLICY conversation_insights_tenant_select ON conversation_insights FOR SELECT
    USING (dealership_id = NULLIF(current_setting('app.current_dealership_id', true), '')::int);
CREATE POLICY conversation_insights_tenant_insert ON conversation_insights FOR INSERT
    WITH CHECK (dealership_id = NULLIF(current_setting('app.current_dealership_id', true), '')::int);
CREATE POLICY conversation_insights_tenant_update ON conversation_insights FOR UPDATE
    USING (dealership_id = NULLIF(current_setting('app.current_dealership_id', true), '')::int)
    WITH CHECK (dealership_id = NULLIF(current_setting('app.current_dealership_id', true), '')::int);
CREATE POLICY conversation_insights_tenant_delete ON conversation_insights FOR DELETE
    USING (dealership_id = NULLIF(current_setting('app.current_dealership_id', true), '')::int);
GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE conversation_insights TO rylie_app;
