-- JWT token tracking and lead-source prompt templates
-- Issued JWTs are tracked by their jti (an identifier, not a secret) so they can be revoked.
CREATE TABLE jwt_tokens (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    dealership_id integer NOT NULL REFERENCES dealerships (id) ON DELETE CASCADE,
    user_id bigint NOT NULL,
    jti text NOT NULL,
    token_type text NOT NULL DEFAULT 'access',
    issued_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL,
    revoked_at timestamptz,
    ip_address inet,
    user_agent text,
    created_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT jwt_tokens_type_check CHECK (token_type IN ('access', 'refresh')),
    CONSTRAINT jwt_tokens_expiry_check CHECK (expires_at > issued_at),
    CONSTRAINT jwt_tokens_jti_key UNIQUE (jti),
    CONSTRAINT jwt_tokens_user_fkey FOREIGN KEY (dealership_id, user_id)
        REFERENCES users (dealership_id, id) ON DELETE CASCADE
);
CREATE INDEX jwt_tokens_user_idx ON jwt_tokens (dealership_id, user_id);
CREATE INDEX jwt_tokens_expires_idx ON jwt_tokens (expires_at);

ALTER TABLE jwt_tokens ENABLE ROW LEVEL SECURITY;
ALTER TABLE jwt_tokens FORCE ROW LEVEL SECURITY;
CREATE POLICY jwt_tokens_tenant_select ON jwt_tokens FOR SELECT
    USING (dealership_id = NULLIF(current_setting('app.current_dealership_id', true), '')::int);
CREATE POLICY jwt_tokens_tenant_insert ON jwt_tokens FOR INSERT
    WITH CHECK (dealership_id = NULLIF(current_setting('app.current_dealership_id', true), '')::int);
CREATE POLICY jwt_tokens_tenant_update ON jwt_tokens FOR UPDATE
    USING (dealership_id = NULLIF(current_setting('app.current_dealership_id', true), '')::int)
    WITH CHECK (dealership_id = NULLIF(current_setting('app.current_dealership_id', true), '')::int);
CREATE POLICY jwt_tokens_tenant_delete ON jwt_tokens FOR DELETE
    USING (dealership_id = NULLIF(current_setting('app.current_dealership_id', true), '')::int);
GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE jwt_tokens TO rylie_app;

CREATE TABLE lead_source_prompt_templates (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    dealership_id integer NOT NULL REFERENCES dealerships (id) ON DELETE CASCADE,
    lead_source_id bigint NOT NULL,
    persona_id bigint,
    name text NOT NULL,
    prompt_template text NOT NULL,
    is_active boolean NOT NULL DEFAULT true,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT lead_source_prompt_templates_source_fkey FOREIGN KEY (dealership_id, lead_source_id)
        REFERENCES lead_sources (dealership_id, id) ON DELETE CASCADE,
    CONSTRAINT lead_source_prompt_templates_persona_fkey FOREIGN KEY (dealership_id, persona_id)
        REFERENCES personas (dealership_id, id) ON DELETE SET NULL (persona_id)
);
CREATE UNIQUE INDEX lead_source_prompt_templates_active_key
    ON lead_source_prompt_templates (dealership_id, lead_source_id) WHERE is_active;
CREATE INDEX lead_source_prompt_templates_source_idx ON lead_source_prompt_templates (dealership_id, lead_source_id);
CREATE INDEX lead_source_prompt_templates_persona_idx ON lead_source_prompt_templates (dealership_id, persona_id)
    WHERE persona_id IS NOT NULL;

ALTER TABLE lead_source_prompt_templates ENABLE ROW LEVEL SECURITY;
ALTER TABLE lead_source_prompt_templates FORCE ROW LEVEL SECURITY;
CREATE POLICY lead_source_prompt_templates_tenant_select ON lead_source_prompt_templates FOR SELECT
    USING (dealership_id = NULLIF(current_setting('app.current_dealership_id', true), '')::int);
CREATE POLICY lead_source_prompt_templates_tenant_insert ON lead_source_prompt_templates FOR INSERT
    WITH CHECK (dealership_id = NULLIF(current_setting('app.current_dealership_id', true), '')::int);
CREATE POLICY lead_source_prompt_templates_tenant_update ON lead_source_prompt_templates FOR UPDATE
    USING (dealership_id = NULLIF(current_setting('app.current_dealership_id', true), '')::int)
    WITH CHECK (dealership_id = NULLIF(current_setting('app.current_dealership_id', true), '')::int);
CREATE POLICY lead_source_prompt_templates_tenant_delete ON lead_source_prompt_templates FOR DELETE
    USING (dealership_id = NULLIF(current_setting('app.current_dealership_id', true), '')::int);
GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE lead_source_prompt_templates TO rylie_app;
CREATE TRIGGER trg_lead_source_prompt_templates_updated_at BEFORE UPDATE ON lead_source_prompt_templates
    FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();
