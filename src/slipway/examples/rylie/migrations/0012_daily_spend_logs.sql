-- Daily spend logs: advertising and API spend per dealership, day and source
CREATE TABLE daily_spend_logs (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    dealership_id integer NOT NULL REFERENCES dealerships (id) ON DELETE CASCADE,
    log_date date NOT NULL,
    source text NOT NULL,
    campaign text NOT NULL DEFAULT '',
    amount numeric(12,2) NOT NULL DEFAULT 0,
    currency text NOT NULL DEFAULT 'USD',
    clicks integer,
    impressions integer,
    leads_generated integer,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT daily_spend_logs_source_check CHECK (source IN ('google_ads', 'facebook_ads', 'openai', 'twilio', 'sendgrid', 'other')),
    CONSTRAINT daily_spend_logs_amount_check CHECK (amount >= 0),
    CONSTRAINT daily_spend_logs_currency_check CHECK (currency ~ '^[A-Z]{3}$'),
    CONSTRAINT daily_spend_logs_key UNIQUE (dealership_id, log_date, source, campaign)
);

ALTER TABLE daily_spend_logs ENABLE ROW LEVEL SECURITY;
ALTER TABLE daily_spend_logs FORCE ROW LEVEL SECURITY;
CREATE POLICY daily_spend_logs_tenant_select ON daily_spend_logs FOR SELECT
    USING (dealership_id = NULLIF(current_setting('app.current_dealership_id', true), '')::int);
CREATE POLICY daily_spend_logs_tenant_insert ON daily_spend_logs FOR INSERT
    WITH CHECK (dealership_id = NULLIF(current_setting('app.current_dealership_id', true), '')::int);
CREATE POLICY daily_spend_logs_tenant_update ON daily_spend_logs FOR UPDATE
    USING (dealership_id = NULLIF(current_setting('app.current_dealership_id', true), '')::int)
    WITH CHECK (dealership_id = NULLIF(current_setting('app.current_dealership_id', true), '')::int);
CREATE POLICY daily_spend_logs_tenant_delete ON daily_spend_logs FOR DELETE
    USING (dealership_id = NULLIF(current_setting('app.current_dealership_id', true), '')::int);
GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE daily_spend_logs TO rylie_app;
CREATE TRIGGER trg_daily_spend_logs_updated_at BEFORE UPDATE ON daily_spend_logs
    FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();
