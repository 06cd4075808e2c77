-- ADF SMS responses: the automatic text reply sent to each ADF lead and its delivery status
CREATE TABLE adf_sms_responses (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    dealership_id integer NOT NULL REFERENCES dealerships (id) ON DELETE CASCADE,
    adf_lead_id bigint NOT NULL,
    phone_number text NOT NULL,
    message_body text NOT NULL,
    twilio_message_sid text,
    status text NOT NULL DEFAULT 'pending',
    error_code text,
    retry_count integer NOT NULL DEFAULT 0,
    sent_at timestamptz,
    delivered_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT adf_sms_responses_status_check CHECK (status IN ('pending', 'sent', 'delivered', 'failed', 'opted_out')),
    CONSTRAINT adf_sms_responses_retry_check CHECK (retry_count BETWEEN 0 AND 10),
    CONSTRAINT adf_sms_responses_adf_lead_fkey FOREIGN KEY (dealership_id, adf_lead_id)
        REFERENCES adf_leads (dealership_id, id) ON DELETE CASCADE
);
CREATE INDEX adf_sms_responses_adf_lead_idx ON adf_sms_responses (dealership_id, adf_lead_id);
CREATE UNIQUE INDEX adf_sms_responses_twilio_sid_key ON adf_sms_responses (twilio_message_sid)
    WHERE twilio_message_sid IS NOT NULL;

ALTER TABLE adf_sms_responses ENABLE ROW LEVEL SECURITY;
ALTER TABLE adf_sms_responses FORCE ROW LEVEL SECURITY;
CREATE POLICY adf_sms_responses_tenant_select ON adf_sms_responses FOR SELECT
    USING (dealership_id = NULLIF(current_setting('app.current_dealership_id', true), '')::int);
CREATE POLICY adf_sms_responses_tenant_insert ON adf_sms_responses FOR INSERT
    WITH CHECK (dealership_id = NULLIF(current_setting('app.current_dealership_id', true), '')::int);
CREATE POLICY adf_sms_responses_tenant_update ON adf_sms_responses FOR UPDATE
    USING (dealership_id = NULLIF(current_setting('app.current_dealership_id', true), '')::int)
    WITH CHECK (dealership_id = NULLIF(current_setting('app.current_dealership_id', true), '')::int);
CREATE POLICY adf_sms_responses_tenant_delete ON adf_sms_responses FOR DELETE
    USING (dealership_id = NULLIF(current_setting('app.current_dealership_id', true), '')::int);
GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE adf_sms_responses TO rylie_app;
CREATE TRIGGER trg_adf_sms_responses_updated_at BEFORE UPDATE ON adf_sms_responses
    FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();
