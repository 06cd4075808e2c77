-- Agent squad: per-dealership agent configuration and per-conversation routing analytics
CREATE TABLE agent_squad_config (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    dealership_id integer NOT NULL REFERENCES dealerships (id) ON DELETE CASCADE,
    enabled boolean NOT NULL DEFAULT false,
    default_agent text NOT NULL DEFAULT 'general',
    fallback_to_legacy boolean NOT NULL DEFAULT true,
    confidence_threshold numeric(3,2) NOT NULL DEFAULT 0.70,
    agents jsonb NOT NULL DEFAULT '[]',
    settings jsonb NOT NULL DEFAULT '{}',
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT agent_squad_config_threshold_check CHECK (confidence_threshold BETWEEN 0 AND 1),
    CONSTRAINT agent_squad_config_dealership_key UNIQUE (dealership_id)
);

ALTER TABLE agent_squad_config ENABLE ROW LEVEL SECURITY;
ALTER TABLE agent_squad_config FORCE ROW LEVEL SECURITY;
CREATE POLICY agent_squad_config_tenant_select ON agent_squad_config FOR SELECT
    USING (dealership_id = NULLIF(current_setting('app.current_dealership_id', true), '')::int);
CREATE POLICY agent_squad_config_tenant_insert ON agent_squad_config FOR INSERT
    WITH CHECK (dealership_id = NULLIF(current_setting('app.current_dealership_id', true), '')::int);
CREATE POLICY agent_squad_config_tenant_update ON agent_squad_config FOR UPDATE
    USING (dealership_id = NULLIF(current_setting('app.current_dealership_id', true), '')::int)
    WITH CHECK (dealership_id = NULLIF(current_setting('app.current_dealership_id', true), '')::int);
CREATE POLICY agent_squad_config_tenant_delete ON agent_squad_config FOR DELETE
    USING (dealership_id = NULLIF(current_setting('app.current_dealership_id', true), '')::int);
GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE agent_squad_config TO rylie_app;
CREATE TRIGGER trg_agent_squad_config_updated_at BEFORE UPDATE ON agent_squad_config
    FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();

CREATE TABLE agent_squad_analytics (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    dealership_id integer NOT NULL REFERENCES dealerships (id) ON DELETE CASCADE,
    conversation_id bigint NOT NULL,
    agent_name text NOT NULL,
    intent text,
    confidence numeric(4,3),
    response_time_ms integer,
    tokens_used integer,
    escalated boolean NOT NULL DEFAULT false,
    created_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT agent_squad_analytics_confidence_check CHECK (confidence BETWEEN 0 AND 1),
    CONSTRAINT agent_squad_analytics_conversation_fkey FOREIGN KEY (dealership_id, conversation_id)
        REFERENCES conversations (dealership_id, id) ON DELETE CASCADE
);
CREATE INDEX agent_squad_analytics_conversation_idx ON agent_squad_analytics (dealership_id, conversation_id);
CREATE INDEX agent_squad_analytics_agent_idx ON agent_squad_analytics (dealership_id, agent_name, created_at);

ALTER TABLE agent_squad_analytics ENABLE ROW LEVEL SECURITY;
ALTER TABLE agent_squad_analytics FORCE ROW LEVEL SECURITY;
CREATE POLICY agent_squad_analytics_tenant_select ON agent_squad_analytics FOR SELECT
    USING (dealership_id = NULLIF(current_setting('app.current_dealership_id', true), '')::int);
CREATE POLICY agent_squad_analytics_tenant_insert ON agent_squad_analytics FOR INSERT
    WITH CHECK (dealership_id = NULLIF(current_setting('app.current_dealership_id', true), '')::int);
CREATE POLICY agent_squad_analytics_tenant_update ON agent_squad_analytics FOR UPDATE
    USING (dealership_id = NULLIF(current_setting('app.current_dealership_id', true), '')::int)
    WITH CHECK (dealership_id = NULLIF(current_setting('app.current_dealership_id', true), '')::int);
CREATE POLICY agent_squad_analytics_tenant_delete ON agent_squad_analytics FOR DELETE
    USING (dealership_id = NULLIF(current_setting('app.current_dealership_id', true), '')::int);
GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE agent_squad_analytics TO rylie_app;
