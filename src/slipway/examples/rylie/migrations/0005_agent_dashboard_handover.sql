-- Agent dashboard and conversation handover: handovers between AI and agents, agent availability
CREATE TABLE handovers (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    dealership_id integer NOT NULL REFERENCES dealerships (id) ON DELETE CASCADE,
    conversation_id bigint NOT NULL,
    lead_id bigint,
    from_user_id bigint,
    to_user_id bigint,
    reason text NOT NULL,
    status text NOT NULL DEFAULT 'pending',
    customer_summary text,
    notes text,
    requested_at timestamptz NOT NULL DEFAULT now(),
    accepted_at timestamptz,
    completed_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT handovers_reason_check CHECK (reason IN ('customer_request', 'ai_escalation', 'pricing', 'financing', 'trade_in', 'test_drive', 'complaint', 'other')),
    CONSTRAINT handovers_status_check CHECK (status IN ('pending', 'accepted', 'completed', 'rejected', 'expired')),
    CONSTRAINT handovers_conversation_fkey FOREIGN KEY (dealership_id, conversation_id)
        REFERENCES conversations (dealership_id, id) ON DELETE CASCADE,
    CONSTRAINT handovers_lead_fkey FOREIGN KEY (dealership_id, lead_id)
        REFERENCES leads (dealership_id, id) ON DELETE CASCADE,
    CONSTRAINT handovers_from_user_fkey FOREIGN KEY (dealership_id, from_user_id)
        REFERENCES users (dealership_id, id) ON DELETE SET NULL (from_user_id),
    CONSTRAINT handovers_to_user_fkey FOREIGN KEY (dealership_id, to_user_id)
        REFERENCES users (dealership_id, id) ON DELETE SET NULL (to_user_id)
);
CREATE INDEX handovers_conversation_idx ON handovers (dealership_id, conversation_id);
CREATE INDEX handovers_lead_idx ON handovers (dealership_id, lead_id) WHERE lead_id IS NOT NULL;
CREATE INDEX handovers_from_user_idx ON handovers (dealership_id, from_user_id) WHERE from_user_id IS NOT NULL;
CREATE INDEX handovers_to_user_idx ON handovers (dealership_id, to_user_id, status);

ALTER TABLE handovers ENABLE ROW LEVEL SECURITY;
ALTER TABLE handovers FORCE ROW LEVEL SECURITY;
CREATE POLICY handovers_tenant_select ON handovers FOR SELECT
    USING (dealership_id = NULLIF(current_setting('app.current_dealership_id', true), '')::int);
CREATE POLICY handovers_tenant_insert ON handovers FOR INSERT
    WITH CHECK (dealership_id = NULLIF(current_setting('app.current_dealership_id', true), '')::int);
CREATE POLICY handovers_tenant_update ON handovers FOR UPDATE
    USING (dealership_id = NULLIF(current_setting('app.current_dealership_id', true), '')::int)
    WITH CHECK (dealership_id = NULLIF(current_setting('app.current_dealership_id', true), '')::int);
CREATE POLICY handovers_tenant_delete ON handovers FOR DELETE
    USING (dealership_id = NULLIF(current_setting('app.current_dealership_id', true), '')::int);
GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE handovers TO rylie_app;
CREATE TRIGGER trg_handovers_updated_at BEFORE UPDATE ON handovers
    FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();

-- The agent dashboard: who is available to take a handed-over conversation
CREATE TABLE agent_statuses (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    dealership_id integer NOT NULL REFERENCES dealerships (id) ON DELETE CASCADE,
    user_id bigint NOT NULL,
    status text NOT NULL DEFAULT 'offline',
    max_concurrent_conversations integer NOT NULL DEFAULT 5,
    active_conversations integer NOT NULL DEFAULT 0,
    skills text[] NOT NULL DEFAULT '{}',
    last_seen_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT agent_statuses_status_check CHECK (status IN ('online', 'away', 'busy', 'offline')),
    CONSTRAINT agent_statuses_capacity_check CHECK (active_conversations >= 0 AND max_concurrent_conversations > 0),
    CONSTRAINT agent_statuses_user_fkey FOREIGN KEY (dealership_id, user_id)
        REFERENCES users (dealership_id, id) ON DELETE CASCADE,
    CONSTRAINT agent_statuses_user_key UNIQUE (dealership_id, user_id)
);

ALTER TABLE agent_statuses ENABLE ROW LEVEL SECURITY;
ALTER TABLE agent_statuses FORCE ROW LEVEL SECURITY;
CREATE POLICY agent_statuses_tenant_select ON agent_statuses FOR SELECT
    USING (dealership_id = NULLIF(current_setting('app.current_dealership_id', true), '')::int);
CREATE POLICY agent_statuses_tenant_insert ON agent_statuses FOR INSERT
    WITH CHECK (dealership_id = NULLIF(current_setting('app.current_dealership_id', true), '')::int);
CREATE POLICY agent_statuses_tenant_update ON agent_statuses FOR UPDATE
    USING (dealership_id = NULLIF(current_setting('app.current_dealership_id', true), '')::int)
    WITH CHECK (dealership_id = NULLIF(current_setting('app.current_dealership_id', true), '')::int);
CREATE POLICY agent_statuses_tenant_delete ON agent_statuses FOR DELETE
    USING (dealership_id = NULLIF(current_setting('app.current_dealership_id', true), '')::int);
GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE agent_statuses TO rylie_app;
CREATE TRIGGER trg_agent_statuses_updated_at BEFORE UPDATE ON agent_statuses
    FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();
