-- Lead management: lead sources, customers, vehicle interests, leads, lead activities and notes; conversations linked to leads and customers
CREATE TABLE lead_sources (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    dealership_id integer NOT NULL REFERENCES dealerships (id) ON DELETE CASCADE,
    name text NOT NULL,
    type text NOT NULL DEFAULT 'other',
    description text,
    is_active boolean NOT NULL DEFAULT true,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT lead_sources_type_check CHECK (type IN ('website', 'phone', 'walk_in', 'referral', 'third_party', 'adf_email', 'social', 'other')),
    CONSTRAINT lead_sources_dealership_id_id_key UNIQUE (dealership_id, id),
    CONSTRAINT lead_sources_dealership_name_key UNIQUE (dealership_id, name)
);

ALTER TABLE lead_sources ENABLE ROW LEVEL SECURITY;
ALTER TABLE lead_sources FORCE ROW LEVEL SECURITY;
CREATE POLICY lead_sources_tenant_select ON lead_sources FOR SELECT
    USING (dealership_id = NULLIF(current_setting('app.current_dealership_id', true), '')::int);
CREATE POLICY lead_sources_tenant_insert ON lead_sources FOR INSERT
    WITH CHECK (dealership_id = NULLIF(current_setting('app.current_dealership_id', true), '')::int);
CREATE POLICY lead_sources_tenant_update ON lead_sources FOR UPDATE
    USING (dealership_id = NULLIF(current_setting('app.current_dealership_id', true), '')::int)
    WITH CHECK (dealership_id = NULLIF(current_setting('app.current_dealership_id', true), '')::int);
CREATE POLICY lead_sources_tenant_delete ON lead_sources FOR DELETE
    USING (dealership_id = NULLIF(current_setting('app.current_dealership_id', true), '')::int);
GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE lead_sources TO rylie_app;
CREATE TRIGGER trg_lead_sources_updated_at BEFORE UPDATE ON lead_sources
    FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();

CREATE TABLE customers (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    dealership_id integer NOT NULL REFERENCES dealerships (id) ON DELETE CASCADE,
    first_name text,
    last_name text,
    full_name text NOT NULL,
    email text,
    phone text,
    address text,
    city text,
    state text,
    zip_code text,
    preferred_language text NOT NULL DEFAULT 'en',
    preferred_contact_method text,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT customers_contact_method_check CHECK (preferred_contact_method IN ('email', 'phone', 'sms')),
    CONSTRAINT customers_dealership_id_id_key UNIQUE (dealership_id, id)
);
CREATE INDEX customers_dealership_email_idx ON customers (dealership_id, lower(email));
CREATE INDEX customers_dealership_phone_idx ON customers (dealership_id, phone);

ALTER TABLE customers ENABLE ROW LEVEL SECURITY;
ALTER TABLE customers FORCE ROW LEVEL SECURITY;
CREATE POLICY customers_tenant_select ON customers FOR SELECT
    USING (dealership_id = NULLIF(current_setting('app.current_dealership_id', true), '')::int);
CREATE POLICY customers_tenant_insert ON customers FOR INSERT
    WITH CHECK (dealership_id = NULLIF(current_setting('app.current_dealership_id', true), '')::int);
CREATE POLICY customers_tenant_update ON customers FOR UPDATE
    USING (dealership_id = NULLIF(current_setting('app.current_dealership_id', true), '')::int)
    WITH CHECK (dealership_id = NULLIF(current_setting('app.current_dealership_id', true), '')::int);
CREATE POLICY customers_tenant_delete ON customers FOR DELETE
    USING (dealership_id = NULLIF(current_setting('app.current_dealership_id', true), '')::int);
GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE customers TO rylie_app;
CREATE TRIGGER trg_customers_updated_at BEFORE UPDATE ON customers
    FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();

CREATE TABLE vehicle_interests (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    dealership_id integer NOT NULL REFERENCES dealerships (id) ON DELETE CASCADE,
    customer_id bigint NOT NULL,
    vehicle_id bigint,
    year integer,
    make text,
    model text,
    trim text,
    max_price numeric(12,2),
    notes text,
    created_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT vehicle_interests_dealership_id_id_key UNIQUE (dealership_id, id),
    CONSTRAINT vehicle_interests_customer_fkey FOREIGN KEY (dealership_id, customer_id)
        REFERENCES customers (dealership_id, id) ON DELETE CASCADE,
    CONSTRAINT vehicle_interests_vehicle_fkey FOREIGN KEY (dealership_id, vehicle_id)
        REFERENCES vehicles (dealership_id, id) ON DELETE SET NULL (vehicle_id)
);
CREATE INDEX vehicle_interests_customer_idx ON vehicle_interests (dealership_id, customer_id);
CREATE INDEX vehicle_interests_vehicle_idx ON vehicle_interests (dealership_id, vehicle_id)
    WHERE vehicle_id IS NOT NULL;

ALTER TABLE vehicle_interests ENABLE ROW LEVEL SECURITY;
ALTER TABLE vehicle_interests FORCE ROW LEVEL SECURITY;
CREATE POLICY vehicle_interests_tenant_select ON vehicle_interests FOR SELECT
    USING (dealership_id = NULLIF(current_setting('app.current_dealership_id', true), '')::int);
CREATE POLICY vehicle_interests_tenant_insert ON vehicle_interests FOR INSERT
    WITH CHECK (dealership_id = NULLIF(current_setting('app.current_dealership_id', true), '')::int);
CREATE POLICY vehicle_interests_tenant_update ON vehicle_interests FOR UPDATE
    USING (dealership_id = NULLIF(current_setting('app.current_dealership_id', true), '')::int)
    WITH CHECK (dealership_id = NULLIF(current_setting('app.current_dealership_id', true), '')::int);
CREATE POLICY vehicle_interests_tenant_delete ON vehicle_interests FOR DELETE
    USING (dealership_id = NULLIF(current_setting('app.current_dealership_id', true), '')::int);
GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE vehicle_interests TO rylie_app;

CREATE TABLE leads (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    dealership_id integer NOT NULL REFERENCES dealerships (id) ON DELETE CASCADE,
    customer_id bigint NOT NULL,
    lead_source_id bigint,
    vehicle_interest_id bigint,
    assigned_user_id bigint,
    lead_number text NOT NULL,
    status text NOT NULL DEFAULT 'new',
    priority text NOT NULL DEFAULT 'medium',
    lead_score integer NOT NULL DEFAULT 0,
    external_id text,
    notes text,
    last_contacted_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT leads_status_check CHECK (status IN ('new', 'contacted', 'qualified', 'appointment_scheduled', 'sold', 'lost')),
    CONSTRAINT leads_priority_check CHECK (priority IN ('low', 'medium', 'high', 'urgent')),
    CONSTRAINT leads_score_check CHECK (lead_score BETWEEN 0 AND 100),
    CONSTRAINT leads_dealership_id_id_key UNIQUE (dealership_id, id),
    CONSTRAINT leads_dealership_lead_number_key UNIQUE (dealership_id, lead_number),
    CONSTRAINT leads_customer_fkey FOREIGN KEY (dealership_id, customer_id)
        REFERENCES customers (dealership_id, id) ON DELETE CASCADE,
    CONSTRAINT leads_lead_source_fkey FOREIGN KEY (dealership_id, lead_source_id)
        REFERENCES lead_sources (dealership_id, id) ON DELETE SET NULL (lead_source_id),
    CONSTRAINT leads_vehicle_interest_fkey FOREIGN KEY (dealership_id, vehicle_interest_id)
        REFERENCES vehicle_interests (dealership_id, id) ON DELETE SET NULL (vehicle_interest_id),
    CONSTRAINT leads_assigned_user_fkey FOREIGN KEY (dealership_id, assigned_user_id)
        REFERENCES users (dealership_id, id) ON DELETE SET NULL (assigned_user_id)
);
CREATE INDEX leads_customer_idx ON leads (dealership_id, customer_id);
CREATE INDEX leads_lead_source_idx ON leads (dealership_id, lead_source_id) WHERE lead_source_id IS NOT NULL;
CREATE INDEX leads_vehicle_interest_idx ON leads (dealership_id, vehicle_interest_id) WHERE vehicle_interest_id IS NOT NULL;
CREATE INDEX leads_assigned_user_idx ON leads (dealership_id, assigned_user_id) WHERE assigned_user_id IS NOT NULL;
CREATE INDEX leads_dealership_score_idx ON leads (dealership_id, status, lead_score DESC);

ALTER TABLE leads ENABLE ROW LEVEL SECURITY;
ALTER TABLE leads FORCE ROW LEVEL SECURITY;
CREATE POLICY leads_tenant_select ON leads FOR SELECT
    USING (dealership_id = NULLIF(current_setting('app.current_dealership_id', true), '')::int);
CREATE POLICY leads_tenant_insert ON leads FOR INSERT
    WITH CHECK (dealership_id = NULLIF(current_setting('app.current_dealership_id', true), '')::int);
CREATE POLICY leads_tenant_update ON leads FOR UPDATE
    USING (dealership_id = NULLIF(current_setting('app.current_dealership_id', true), '')::int)
    WITH CHECK (dealership_id = NULLIF(current_setting('app.current_dealership_id', true), '')::int);
CREATE POLICY leads_tenant_delete ON leads FOR DELETE
    USING (dealership_id = NULLIF(current_setting('app.current_dealership_id', true), '')::int);
GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE leads TO rylie_app;
CREATE TRIGGER trg_leads_updated_at BEFORE UPDATE ON leads
    FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();

CREATE TABLE lead_activities (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    dealership_id integer NOT NULL REFERENCES dealerships (id) ON DELETE CASCADE,
    lead_id bigint NOT NULL,
    user_id bigint,
    activity_type text NOT NULL,
    description text,
    metadata jsonb NOT NULL DEFAULT '{}',
    created_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT lead_activities_type_check CHECK (activity_type IN ('created', 'status_change', 'call', 'email', 'sms', 'meeting', 'note', 'assignment', 'handover')),
    CONSTRAINT lead_activities_lead_fkey FOREIGN KEY (dealership_id, lead_id)
        REFERENCES leads (dealership_id, id) ON DELETE CASCADE,
    CONSTRAINT lead_activities_user_fkey FOREIGN KEY (dealership_id, user_id)
        REFERENCES users (dealership_id, id) ON DELETE SET NULL (user_id)
);
CREATE INDEX lead_activities_lead_idx ON lead_activities (dealership_id, lead_id, created_at);
CREATE INDEX lead_activities_user_idx ON lead_activities (dealership_id, user_id) WHERE user_id IS NOT NULL;

ALTER TABLE lead_activities ENABLE ROW LEVEL SECURITY;
ALTER TABLE lead_activities FORCE ROW LEVEL SECURITY;
CREATE POLICY lead_activities_tenant_select ON lead_activities FOR SELECT
    USING (dealership_id = NULLIF(current_setting('app.current_dealership_id', true), '')::int);
CREATE POLICY lead_activities_tenant_insert ON lead_activities FOR INSERT
    WITH CHECK (dealership_id = NULLIF(current_setting('app.current_dealership_id', true), '')::int);
CREATE POLICY lead_activities_tenant_update ON lead_activities FOR UPDATE
    USING (dealership_id = NULLIF(current_setting('app.current_dealership_id', true), '')::int)
    WITH CHECK (dealership_id = NULLIF(current_setting('app.current_dealership_id', true), '')::int);
CREATE POLICY lead_activities_tenant_delete ON lead_activities FOR DELETE
    USING (dealership_id = NULLIF(current_setting('app.current_dealership_id', true), '')::int);
GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE lead_activities TO rylie_app;

CREATE TABLE lead_notes (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    dealership_id integer NOT NULL REFERENCES dealerships (id) ON DELETE CASCADE,
    lead_id bigint NOT NULL,
    author_user_id bigint,
    body text NOT NULL,
    is_private boolean NOT NULL DEFAULT false,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT lead_notes_lead_fkey FOREIGN KEY (dealership_id, lead_id)
        REFERENCES leads (dealership_id, id) ON DELETE CASCADE,
    CONSTRAINT lead_notes_author_fkey FOREIGN KEY (dealership_id, author_user_id)
        REFERENCES users (dealership_id, id) ON DELETE SET NULL (author_user_id)
);
CREATE INDEX lead_notes_lead_idx ON lead_notes (dealership_id, lead_id);
CREATE INDEX lead_notes_author_idx ON lead_notes (dealership_id, author_user_id) WHERE author_user_id IS NOT NULL;

ALTER TABLE lead_notes ENABLE ROW LEVEL SECURITY;
ALTER TABLE lead_notes FORCE ROW LEVEL SECURITY;
CREATE POLICY lead_notes_tenant_select ON lead_notes FOR SELECT
    USING (dealership_id = NULLIF(current_setting('app.current_dealership_id', true), '')::int);
CREATE POLICY lead_notes_tenant_insert ON lead_notes FOR INSERT
    WITH CHECK (dealership_id = NULLIF(current_setting('app.current_dealership_id', true), '')::int);
CREATE POLICY lead_notes_tenant_update ON lead_notes FOR UPDATE
    USING (dealership_id = NULLIF(current_setting('app.current_dealership_id', true), '')::int)
    WITH CHECK (dealership_id = NULLIF(current_setting('app.current_dealership_id', true), '')::int);
CREATE POLICY lead_notes_tenant_delete ON lead_notes FOR DELETE
    USING (dealership_id = NULLIF(current_setting('app.current_dealership_id', true), '')::int);
GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE lead_notes TO rylie_app;
CREATE TRIGGER trg_lead_notes_updated_at BEFORE UPDATE ON lead_notes
    FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();

-- conversations belong to a lead and a customer when the CRM knows them; deleting either
-- deletes the conversation (and its messages)
ALTER TABLE conversations
    ADD COLUMN lead_id bigint,
    ADD COLUMN customer_id bigint,
    ADD CONSTRAINT conversations_lead_fkey FOREIGN KEY (dealership_id, lead_id)
        REFERENCES leads (dealership_id, id) ON DELETE CASCADE NOT VALID,
    ADD CONSTRAINT conversations_customer_fkey FOREIGN KEY (dealership_id, customer_id)
        REFERENCES customers (dealership_id, id) ON DELETE CASCADE NOT VALID;
-- NOT VALID: new rows are checked at once, existing rows by 0020 without blocking writes;
-- their indexes are built CONCURRENTLY by 0021.
