-- Dual-mode chat setup: per-dealership chat widget settings
CREATE TABLE chat_widget_settings (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    dealership_id integer NOT NULL REFERENCES dealerships (id) ON DELETE CASCADE,
    mode text NOT NULL DEFAULT 'rylie_ai',
    welcome_message text NOT NULL DEFAULT 'Hi! How can we help you today?',
    offline_message text,
    business_hours jsonb NOT NULL DEFAULT '{}',
    auto_handover_keywords text[] NOT NULL DEFAULT '{}',
    theme jsonb NOT NULL DEFAULT '{}',
    is_enabled boolean NOT NULL DEFAULT true,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT chat_widget_settings_mode_check CHECK (mode IN ('rylie_ai', 'direct_agent', 'hybrid')),
    CONSTRAINT chat_widget_settings_dealership_key UNIQUE (dealership_id)
);

ALTER TABLE chat_widget_settings ENABLE ROW LEVEL SECURITY;
ALTER TABLE chat_widget_settings FORCE ROW LEVEL SECURITY;
CREATE POLICY chat_widget_settings_tenant_select ON chat_widget_settings FOR SELECT
    USING (dealership_id = NULLIF(current_setting('app.current_dealership_id', true), '')::int);
CREATE POLICY chat_widget_settings_tenant_insert ON chat_widget_settings FOR INSERT
    WITH CHECK (dealership_id = NULLIF(current_setting('app.current_dealership_id', true), '')::int);
CREATE POLICY chat_widget_settings_tenant_update ON chat_widget_settings FOR UPDATE
    USING (dealership_id = NULLIF(current_setting('app.current_dealership_id', true), '')::int)
    WITH CHECK (dealership_id = NULLIF(current_setting('app.current_dealership_id', true), '')::int);
CREATE POLICY chat_widget_settings_tenant_delete ON chat_widget_settings FOR DELETE
    USING (dealership_id = NULLIF(current_setting('app.current_dealership_id', true), '')::int);
GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE chat_widget_settings TO rylie_app;
CREATE TRIGGER trg_chat_widget_settings_updated_at BEFORE UPDATE ON chat_widget_settings
    FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();
