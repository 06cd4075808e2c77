-- ADF lead ingestion: raw and parsed ADF/XML leads with deduplication and a processing log
-- ADF (Auto-lead Data Format, XML) leads arriving by email from third-party lead providers
CREATE TABLE adf_leads (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    dealership_id integer NOT NULL REFERENCES dealerships (id) ON DELETE CASCADE,
    lead_id bigint,
    source_email_id text,
    adf_version text NOT NULL DEFAULT '1.0',
    request_date timestamptz,
    customer_name text,
    customer_email text,
    customer_phone text,
    vehicle_year integer,
    vehicle_make text,
    vehicle_model text,
    vendor_name text,
    provider_name text,
    comments text,
    raw_xml text NOT NULL,
    parsed_data jsonb NOT NULL DEFAULT '{}',
    deduplication_hash text NOT NULL,
    processing_status text NOT NULL DEFAULT 'pending',
    error_message text,
    received_at timestamptz NOT NULL DEFAULT now(),
    processed_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT adf_leads_status_check CHECK (processing_status IN ('pending', 'processed', 'failed', 'duplicate')),
    CONSTRAINT adf_leads_dealership_id_id_key UNIQUE (dealership_id, id),
    CONSTRAINT adf_leads_dedup_key UNIQUE (dealership_id, deduplication_hash),
    CONSTRAINT adf_leads_lead_fkey FOREIGN KEY (dealership_id, lead_id)
        REFERENCES leads (dealership_id, id) ON DELETE SET NULL (lead_id)
);
CREATE INDEX adf_leads_lead_idx ON adf_leads (dealership_id, lead_id) WHERE lead_id IS NOT NULL;
CREATE INDEX adf_leads_pending_idx ON adf_leads (dealership_id, received_at) WHERE processing_status = 'pending';

ALTER TABLE adf_leads ENABLE ROW LEVEL SECURITY;
ALTER TABLE adf_leads FORCE ROW LEVEL SECURITY;
CREATE POLICY adf_leads_tenant_select ON adf_leads FOR SELECT
    USING (dealership_id = NULLIF(current_setting('app.current_dealership_id', true), '')::int);
CREATE POLICY adf_leads_tenant_insert ON adf_leads FOR INSERT
    WITH CHECK (dealership_id = NULLIF(current_setting('app.current_dealership_id', true), '')::int);
CREATE POLICY adf_leads_tenant_update ON adf_leads FOR UPDATE
    USING (dealership_id = NULLIF(current_setting('app.current_dealership_id', true), '')::int)
    WITH CHECK (dealership_id = NULLIF(current_setting('app.current_dealership_id', true), '')::int);
CREATE POLICY adf_leads_tenant_delete ON adf_leads FOR DELETE
    USING (dealership_id = NULLIF(current_setting('app.current_dealership_id', true), '')::int);
GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE adf_leads TO rylie_app;
CREATE TRIGGER trg_adf_leads_updated_at BEFORE UPDATE ON adf_leads
    FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();

CREATE TABLE adf_processing_logs (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    dealership_id integer NOT NULL REFERENCES dealerships (id) ON DELETE CASCADE,
    adf_lead_id bigint NOT NULL,
    step text NOT NULL,
    status text NOT NULL,
    message text,
    details jsonb NOT NULL DEFAULT '{}',
    created_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT adf_processing_logs_step_check CHECK (step IN ('received', 'parsed', 'validated', 'deduplicated', 'lead_created', 'responded')),
    CONSTRAINT adf_processing_logs_status_check CHECK (status IN ('success', 'warning', 'error')),
    CONSTRAINT adf_processing_logs_adf_lead_fkey FOREIGN KEY (dealership_id, adf_lead_id)
        REFERENCES adf_leads (dealership_id, id) ON DELETE CASCADE
);
CREATE INDEX adf_processing_logs_adf_lead_idx ON adf_processing_logs (dealership_id, adf_lead_id, created_at);

ALTER TABLE adf_processing_logs ENABLE ROW LEVEL SECURITY;
ALTER TABLE adf_processing_logs FORCE ROW LEVEL SECURITY;
CREATE POLICY adf_processing_logs_tenant_select ON adf_processing_logs FOR SELECT
    USING (dealership_id = NULLIF(current_setting('app.current_dealership_id', true), '')::int);
CREATE POLICY adf_processing_logs_tenant_insert ON adf_processing_logs FOR INSERT
    WITH CHECK (dealership_id = NULLIF(current_setting('app.current_dealership_id', true), '')::int);
CREATE POLICY adf_processing_logs_tenant_update ON adf_processing_logs FOR UPDATE
    USING (dealership_id = NULLIF(current_setting('app.current_dealership_id', true), '')::int)
    WITH CHECK (dealership_id = NULLIF(current_setting('app.current_dealership_id', true), '')::int);
CREATE POLICY adf_processing_logs_tenant_delete ON adf_processing_logs FOR DELETE
    USING (dealership_id = NULLIF(current_setting('app.current_dealership_id', true), '')::int);
GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE adf_processing_logs TO rylie_app;
