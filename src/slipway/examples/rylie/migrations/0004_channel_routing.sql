-- Channel routing: routing rules, customer channel preferences and SMS delivery tracking
CREATE TABLE channel_routing_rules (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    dealership_id integer NOT NULL REFERENCES dealerships (id) ON DELETE CASCADE,
    name text NOT NULL,
    priority integer NOT NULL DEFAULT 100,
    conditions jsonb NOT NULL DEFAULT '{}',
    target_channel text NOT NULL,
    business_hours_only boolean NOT NULL DEFAULT false,
    is_active boolean NOT NULL DEFAULT true,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT channel_routing_rules_channel_check CHECK (target_channel IN ('sms', 'email', 'web', 'phone', 'chat_widget')),
    CONSTRAINT channel_routing_rules_name_key UNIQUE (dealership_id, name)
);
CREATE INDEX channel_routing_rules_priority_idx ON channel_routing_rules (dealership_id, priority) WHERE is_active;

ALTER TABLE channel_routing_rules ENABLE ROW LEVEL SECURITY;
ALTER TABLE channel_routing_rules FORCE ROW LEVEL SECURITY;
CREATE POLICY channel_routing_rules_tenant_select ON channel_routing_rules FOR SELECT
    USING (dealership_id = NULLIF(current_setting('app.current_dealership_id', true), '')::int);
CREATE POLICY channel_routing_rules_tenant_insert ON channel_routing_rules FOR INSERT
    WITH CHECK (dealership_id = NULLIF(current_setting('app.current_dealership_id', true), '')::int);
CREATE POLICY channel_routing_rules_tenant_update ON channel_routing_rules FOR UPDATE
    USING (dealership_id = NULLIF(current_setting('app.current_dealership_id', true), '')::int)
    WITH CHECK (dealership_id = NULLIF(current_setting('app.current_dealership_id', true), '')::int);
CREATE POLICY channel_routing_rules_tenant_delete ON channel_routing_rules FOR DELETE
    USING (dealership_id = NULLIF(current_setting('app.current_dealership_id', true), '')::int);
GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE channel_routing_rules TO rylie_app;
CREATE TRIGGER trg_channel_routing_rules_updated_at BEFORE UPDATE ON channel_routing_rules
    FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();

CREATE TABLE customer_channel_preferences (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    dealership_id integer NOT NULL REFERENCES dealerships (id) ON DELETE CASCADE,
    customer_id bigint NOT NULL,
    channel text NOT NULL,
    is_preferred boolean NOT NULL DEFAULT false,
    opted_in boolean NOT NULL DEFAULT true,
    quiet_hours jsonb,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT customer_channel_preferences_channel_check CHECK (channel IN ('sms', 'email', 'web', 'phone', 'chat_widget')),
    CONSTRAINT customer_channel_preferences_customer_fkey FOREIGN KEY (dealership_id, customer_id)
        REFERENCES customers (dealership_id, id) ON DELETE CASCADE,
    CONSTRAINT customer_channel_preferences_key UNIQUE (dealership_id, customer_id, channel)
);

ALTER TABLE customer_channel_preferences ENABLE ROW LEVEL SECURITY;
ALTER TABLE customer_channel_preferences FORCE ROW LEVEL SECURITY;
CREATE POLICY customer_channel_preferences_tenant_select ON customer_channel_preferences FOR SELECT
    USING (dealership_id = NULLIF(current_setting('app.current_dealership_id', true), '')::int);
CREATE POLICY customer_channel_preferences_tenant_insert ON customer_channel_preferences FOR INSERT
    WITH CHECK (dealership_id = NULLIF(current_setting('app.current_dealership_id', true), '')::int);
CREATE POLICY customer_channel_preferences_tenant_update ON customer_channel_preferences FOR UPDATE
    USING (dealership_id = NULLIF(current_setting('app.current_dealership_id', true), '')::int)
    WITH CHECK (dealership_id = NULLIF(current_setting('app.current_dealership_id', true), '')::int);
CREATE POLICY customer_channel_preferences_tenant_delete ON customer_channel_preferences FOR DELETE
    USING (dealership_id = NULLIF(current_setting('app.current_dealership_id', true), '')::int);
GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE customer_channel_preferences TO rylie_app;
CREATE TRIGGER trg_customer_channel_preferences_updated_at BEFORE UPDATE ON customer_channel_preferences
    FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();

-- SMS delivery tracking (Twilio status callbacks). message_id/message_created_at point at a
-- partitioned messages row without a foreign key (see messages in 0000).
CREATE TABLE sms_deliveries (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    dealership_id integer NOT NULL REFERENCES dealerships (id) ON DELETE CASCADE,
    conversation_id bigint NOT NULL,
    message_id bigint,
    message_created_at timestamptz,
    to_phone text NOT NULL,
    from_phone text,
    twilio_sid text,
    status text NOT NULL DEFAULT 'queued',
    error_code text,
    error_message text,
    attempts integer NOT NULL DEFAULT 0,
    sent_at timestamptz,
    delivered_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT sms_deliveries_status_check CHECK (status IN ('queued', 'sending', 'sent', 'delivered', 'failed', 'undelivered')),
    CONSTRAINT sms_deliveries_conversation_fkey FOREIGN KEY (dealership_id, conversation_id)
        REFERENCES conversations (dealership_id, id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX sms_deliveries_twilio_sid_key ON sms_deliveries (twilio_sid) WHERE twilio_sid IS NOT NULL;
CREATE INDEX sms_deliveries_conversation_idx ON sms_deliveries (dealership_id, conversation_id);
CREATE INDEX sms_deliveries_message_idx ON sms_deliveries (dealership_id, message_id, message_created_at)
    WHERE message_id IS NOT NULL;
CREATE INDEX sms_deliveries_pending_idx ON sms_deliveries (dealership_id, status)
    WHERE status IN ('queued', 'sending', 'sent');

ALTER TABLE sms_deliveries ENABLE ROW LEVEL SECURITY;
ALTER TABLE sms_deliveries FORCE ROW LEVEL SECURITY;
CREATE POLICY sms_deliveries_tenant_select ON sms_deliveries FOR SELECT
    USING (dealership_id = NULLIF(current_setting('app.current_dealership_id', true), '')::int);
CREATE POLICY sms_deliveries_tenant_insert ON sms_deliveries FOR INSERT
    WITH CHECK (dealership_id = NULLIF(current_setting('app.current_dealership_id', true), '')::int);
CREATE POLICY sms_deliveries_tenant_update ON sms_deliveries FOR UPDATE
    USING (dealership_id = NULLIF(current_setting('app.current_dealership_id', true), '')::int)
    WITH CHECK (dealership_id = NULLIF(current_setting('app.current_dealership_id', true), '')::int);
CREATE POLICY sms_deliveries_tenant_delete ON sms_deliveries FOR DELETE
    USING (dealership_id = NULLIF(current_setting('app.current_dealership_id', true), '')::int);
GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE sms_deliveries TO rylie_app;
CREATE TRIGGER trg_sms_deliveries_updated_at BEFORE UPDATE ON sms_deliveries
    FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();
