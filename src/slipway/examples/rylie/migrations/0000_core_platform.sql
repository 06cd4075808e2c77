-- Core platform: dealerships (tenant root), users, vehicles, conversations, partitioned messages, personas, API keys and A/B testing tables
-- The application role: NOLOGIN, no BYPASSRLS, owns nothing. Roles are cluster-wide, so it is
-- created only when missing and never dropped by a rollback (other databases may use it).
DO $role$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = 'rylie_app') THEN
        CREATE ROLE rylie_app NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS;
    END IF;
EXCEPTION
    -- another session created it between the check and the CREATE
    WHEN duplicate_object OR unique_violation THEN NULL;
END
$role$;

CREATE FUNCTION update_updated_at_column() RETURNS trigger
    LANGUAGE plpgsql
AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END
$$;
COMMENT ON FUNCTION update_updated_at_column() IS 'Trigger function: keeps updated_at current on UPDATE.';

CREATE TYPE conversation_status AS ENUM ('active', 'waiting', 'escalated', 'completed');

-- dealerships ---------------------------------------------------------------------------------
-- The tenant root. RLS is enabled (rylie_app sees only its own dealership) but not forced:
-- the owner administers the tenant registry and maintenance jobs enumerate tenants from it.
CREATE TABLE dealerships (
    -- integer by contract: every tenant table's dealership_id and the RLS setting cast to int
    id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,  -- slipway-ignore prefer-bigint-over-int
    name text NOT NULL,
    location text,
    contact_email text,
    contact_phone text,
    domain text,
    handover_email text,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT dealerships_name_not_blank CHECK (btrim(name) <> '')
);
CREATE UNIQUE INDEX dealerships_domain_key ON dealerships (lower(domain)) WHERE domain IS NOT NULL;
COMMENT ON TABLE dealerships IS 'Tenant root: every tenant table carries dealership_id referencing this table.';
ALTER TABLE dealerships ENABLE ROW LEVEL SECURITY;
CREATE POLICY dealerships_tenant_select ON dealerships FOR SELECT
    USING (id = NULLIF(current_setting('app.current_dealership_id', true), '')::int);
GRANT SELECT ON TABLE dealerships TO rylie_app;
CREATE TRIGGER trg_dealerships_updated_at BEFORE UPDATE ON dealerships
    FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();

-- users ---------------------------------------------------------------------------------------
CREATE TABLE users (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    dealership_id integer NOT NULL REFERENCES dealerships (id) ON DELETE CASCADE,
    username text NOT NULL,
    password_hash text NOT NULL,
    name text,
    email text NOT NULL,
    role text NOT NULL DEFAULT 'user',
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT users_role_check CHECK (role IN ('super_admin', 'dealership_admin', 'manager', 'user')),
    -- tenant children reference (dealership_id, id) so a row can never point into another tenant
    CONSTRAINT users_dealership_id_id_key UNIQUE (dealership_id, id)
);
CREATE UNIQUE INDEX users_username_key ON users (lower(username));
CREATE UNIQUE INDEX users_email_key ON users (lower(email));
COMMENT ON COLUMN users.password_hash IS 'Password hash (bcrypt/argon2) computed by the application; never a plaintext password.';

ALTER TABLE users ENABLE ROW LEVEL SECURITY;
ALTER TABLE users FORCE ROW LEVEL SECURITY;
CREATE POLICY users_tenant_select ON users FOR SELECT
    USING (dealership_id = NULLIF(current_setting('app.current_dealership_id', true), '')::int);
CREATE POLICY users_tenant_insert ON users FOR INSERT
    WITH CHECK (dealership_id = NULLIF(current_setting('app.current_dealership_id', true), '')::int);
CREATE POLICY users_tenant_update ON users FOR UPDATE
    USING (dealership_id = NULLIF(current_setting('app.current_dealership_id', true), '')::int)
    WITH CHECK (dealership_id = NULLIF(current_setting('app.current_dealership_id', true), '')::int);
CREATE POLICY users_tenant_delete ON users FOR DELETE
    USING (dealership_id = NULLIF(current_setting('app.current_dealership_id', true), '')::int);
GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE users TO rylie_app;
CREATE TRIGGER trg_users_updated_at BEFORE UPDATE ON users
    FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();

-- vehicles (the contract with the feed importer) ------------------------------------------------
CREATE TABLE vehicles (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    dealership_id integer NOT NULL REFERENCES dealerships (id) ON DELETE CASCADE,
    vin text,
    stock_number text,
    make text,
    model text,
    year integer,
    trim text,
    exterior_color text,
    interior_color text,
    mileage integer,
    price numeric(12,2),
    msrp numeric(12,2),
    body_style text,
    transmission text,
    engine text,
    fuel_type text,
    drivetrain text,
    features jsonb NOT NULL DEFAULT '[]',
    description text,
    images jsonb NOT NULL DEFAULT '[]',
    status text NOT NULL DEFAULT 'active',
    is_active boolean NOT NULL DEFAULT true,
    extra_attributes jsonb NOT NULL DEFAULT '{}',
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT vehicles_status_check CHECK (status IN ('active', 'sold', 'pending', 'inactive')),
    CONSTRAINT vehicles_vin_length CHECK (vin IS NULL OR char_length(vin) = 17),
    CONSTRAINT vehicles_identity_present CHECK (vin IS NOT NULL OR stock_number IS NOT NULL),
    CONSTRAINT vehicles_dealership_id_id_key UNIQUE (dealership_id, id)
);
CREATE UNIQUE INDEX vehicles_dealership_vin_key ON vehicles (dealership_id, vin)
    WHERE vin IS NOT NULL;
CREATE UNIQUE INDEX vehicles_dealership_stock_key ON vehicles (dealership_id, stock_number)
    WHERE vin IS NULL AND stock_number IS NOT NULL;
CREATE INDEX vehicles_dealership_search_idx ON vehicles (dealership_id, make, model, year)
    WHERE is_active;
COMMENT ON COLUMN vehicles.extra_attributes IS 'Feed columns the importer does not map, preserved by name.';

ALTER TABLE vehicles ENABLE ROW LEVEL SECURITY;
ALTER TABLE vehicles FORCE ROW LEVEL SECURITY;
CREATE POLICY vehicles_tenant_select ON vehicles FOR SELECT
    USING (dealership_id = NULLIF(current_setting('app.current_dealership_id', true), '')::int);
CREATE POLICY vehicles_tenant_insert ON vehicles FOR INSERT
    WITH CHECK (dealership_id = NULLIF(current_setting('app.current_dealership_id', true), '')::int);
CREATE POLICY vehicles_tenant_update ON vehicles FOR UPDATE
    USING (dealership_id = NULLIF(current_setting('app.current_dealership_id', true), '')::int)
    WITH CHECK (dealership_id = NULLIF(current_setting('app.current_dealership_id', true), '')::int);
CREATE POLICY vehicles_tenant_delete ON vehicles FOR DELETE
    USING (dealership_id = NULLIF(current_setting('app.current_dealership_id', true), '')::int);
GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE vehicles TO rylie_app;
CREATE TRIGGER trg_vehicles_updated_at BEFORE UPDATE ON vehicles
    FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();

-- conversations -------------------------------------------------------------------------------
CREATE TABLE conversations (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    dealership_id integer NOT NULL REFERENCES dealerships (id) ON DELETE CASCADE,
    customer_name text,
    customer_phone text,
    customer_email text,
    status conversation_status NOT NULL DEFAULT 'active',
    escalated_to_user_id bigint,
    channel text NOT NULL DEFAULT 'web',
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT conversations_channel_check CHECK (channel IN ('web', 'sms', 'email', 'phone', 'chat_widget', 'api')),
    CONSTRAINT conversations_dealership_id_id_key UNIQUE (dealership_id, id),
    CONSTRAINT conversations_escalated_to_user_fkey FOREIGN KEY (dealership_id, escalated_to_user_id)
        REFERENCES users (dealership_id, id) ON DELETE SET NULL (escalated_to_user_id)
);
CREATE INDEX conversations_escalated_to_user_idx ON conversations (dealership_id, escalated_to_user_id)
    WHERE escalated_to_user_id IS NOT NULL;
CREATE INDEX conversations_dealership_updated_idx ON conversations (dealership_id, updated_at DESC);
CREATE INDEX conversations_dealership_phone_idx ON conversations (dealership_id, customer_phone);

ALTER TABLE conversations ENABLE ROW LEVEL SECURITY;
ALTER TABLE conversations FORCE ROW LEVEL SECURITY;
CREATE POLICY conversations_tenant_select ON conversations FOR SELECT
    USING (dealership_id = NULLIF(current_setting('app.current_dealership_id', true), '')::int);
CREATE POLICY conversations_tenant_insert ON conversations FOR INSERT
    WITH CHECK (dealership_id = NULLIF(current_setting('app.current_dealership_id', true), '')::int);
CREATE POLICY conversations_tenant_update ON conversations FOR UPDATE
    USING (dealership_id = NULLIF(current_setting('app.current_dealership_id', true), '')::int)
    WITH CHECK (dealership_id = NULLIF(current_setting('app.current_dealership_id', true), '')::int);
CREATE POLICY conversations_tenant_delete ON conversations FOR DELETE
    USING (dealership_id = NULLIF(current_setting('app.current_dealership_id', true), '')::int);
GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE conversations TO rylie_app;
CREATE TRIGGER trg_conversations_updated_at BEFORE UPDATE ON conversations
    FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();

-- messages: partitioned by month on created_at (the partition key is part of the primary key) -
-- Nothing references messages with a foreign key: rows move between partitions when a monthly
-- partition is split off the default partition, which a referencing FK would turn into deletes.
CREATE TABLE messages (
    id bigint GENERATED ALWAYS AS IDENTITY,
    dealership_id integer NOT NULL REFERENCES dealerships (id) ON DELETE CASCADE,
    conversation_id bigint NOT NULL,
    content text NOT NULL,
    role text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT messages_pkey PRIMARY KEY (id, created_at),
    CONSTRAINT messages_role_check CHECK (role IN ('customer', 'assistant', 'agent', 'system')),
    CONSTRAINT messages_conversation_fkey FOREIGN KEY (dealership_id, conversation_id)
        REFERENCES conversations (dealership_id, id) ON DELETE CASCADE
) PARTITION BY RANGE (created_at);
CREATE INDEX messages_conversation_created_idx ON messages (dealership_id, conversation_id, created_at);
CREATE TABLE messages_default PARTITION OF messages DEFAULT;
COMMENT ON TABLE messages IS 'Partitioned by month on created_at; rows outside every monthly partition land in messages_default.';

ALTER TABLE messages ENABLE ROW LEVEL SECURITY;
ALTER TABLE messages FORCE ROW LEVEL SECURITY;
CREATE POLICY messages_tenant_select ON messages FOR SELECT
    USING (dealership_id = NULLIF(current_setting('app.current_dealership_id', true), '')::int);
CREATE POLICY messages_tenant_insert ON messages FOR INSERT
    WITH CHECK (dealership_id = NULLIF(current_setting('app.current_dealership_id', true), '')::int);
CREATE POLICY messages_tenant_update ON messages FOR UPDATE
    USING (dealership_id = NULLIF(current_setting('app.current_dealership_id', true), '')::int)
    WITH CHECK (dealership_id = NULLIF(current_setting('app.current_dealership_id', true), '')::int);
CREATE POLICY messages_tenant_delete ON messages FOR DELETE
    USING (dealership_id = NULLIF(current_setting('app.current_dealership_id', true), '')::int);
GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE messages TO rylie_app;

-- personas ------------------------------------------------------------------------------------
CREATE TABLE personas (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    dealership_id integer NOT NULL REFERENCES dealerships (id) ON DELETE CASCADE,
    name text NOT NULL,
    description text,
    prompt_template text NOT NULL,
    arguments jsonb NOT NULL DEFAULT '{}',
    is_default boolean NOT NULL DEFAULT false,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT personas_dealership_id_id_key UNIQUE (dealership_id, id)
);
-- exactly one default persona per dealership (at most one by index; seed and app keep one)
CREATE UNIQUE INDEX personas_one_default_per_dealership ON personas (dealership_id) WHERE is_default;

ALTER TABLE personas ENABLE ROW LEVEL SECURITY;
ALTER TABLE personas FORCE ROW LEVEL SECURITY;
CREATE POLICY personas_tenant_select ON personas FOR SELECT
    USING (dealership_id = NULLIF(current_setting('app.current_dealership_id', true), '')::int);
CREATE POLICY personas_tenant_insert ON personas FOR INSERT
    WITH CHECK (dealership_id = NULLIF(current_setting('app.current_dealership_id', true), '')::int);
CREATE POLICY personas_tenant_update ON personas FOR UPDATE
    USING (dealership_id = NULLIF(current_setting('app.current_dealership_id', true), '')::int)
    WITH CHECK (dealership_id = NULLIF(current_setting('app.current_dealership_id', true), '')::int);
CREATE POLICY personas_tenant_delete ON personas FOR DELETE
    USING (dealership_id = NULLIF(current_setting('app.current_dealership_id', true), '')::int);
GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE personas TO rylie_app;
CREATE TRIGGER trg_personas_updated_at BEFORE UPDATE ON personas
    FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();

-- api_keys: only a SHA-256 hash and a short display prefix are stored ---------------------------
CREATE TABLE api_keys (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    dealership_id integer NOT NULL REFERENCES dealerships (id) ON DELETE CASCADE,
    key_hash text NOT NULL,
    key_prefix text NOT NULL,
    description text,
    is_active boolean NOT NULL DEFAULT true,
    created_at timestamptz NOT NULL DEFAULT now(),
    last_used_at timestamptz,
    CONSTRAINT api_keys_key_hash_key UNIQUE (key_hash),
    CONSTRAINT api_keys_key_hash_is_sha256 CHECK (key_hash ~ '^[0-9a-f]{64}$'),
    CONSTRAINT api_keys_key_prefix_short CHECK (char_length(key_prefix) BETWEEN 4 AND 12)
);
CREATE INDEX api_keys_dealership_idx ON api_keys (dealership_id);
COMMENT ON COLUMN api_keys.key_hash IS 'Hex SHA-256 of the full key; the key itself is shown once at creation and never stored.';
COMMENT ON COLUMN api_keys.key_prefix IS 'First characters of the key, for display only.';

ALTER TABLE api_keys ENABLE ROW LEVEL SECURITY;
ALTER TABLE api_keys FORCE ROW LEVEL SECURITY;
CREATE POLICY api_keys_tenant_select ON api_keys FOR SELECT
    USING (dealership_id = NULLIF(current_setting('app.current_dealership_id', true), '')::int);
CREATE POLICY api_keys_tenant_insert ON api_keys FOR INSERT
    WITH CHECK (dealership_id = NULLIF(current_setting('app.current_dealership_id', true), '')::int);
CREATE POLICY api_keys_tenant_update ON api_keys FOR UPDATE
    USING (dealership_id = NULLIF(current_setting('app.current_dealership_id', true), '')::int)
    WITH CHECK (dealership_id = NULLIF(current_setting('app.current_dealership_id', true), '')::int);
CREATE POLICY api_keys_tenant_delete ON api_keys FOR DELETE
    USING (dealership_id = NULLIF(current_setting('app.current_dealership_id', true), '')::int);
GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE api_keys TO rylie_app;

-- A/B testing ---------------------------------------------------------------------------------
CREATE TABLE prompt_variants (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    dealership_id integer NOT NULL REFERENCES dealerships (id) ON DELETE CASCADE,
    name text NOT NULL,
    description text,
    prompt_template text NOT NULL,
    is_control boolean NOT NULL DEFAULT false,
    is_active boolean NOT NULL DEFAULT true,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT prompt_variants_dealership_id_id_key UNIQUE (dealership_id, id)
);

ALTER TABLE prompt_variants ENABLE ROW LEVEL SECURITY;
ALTER TABLE prompt_variants FORCE ROW LEVEL SECURITY;
CREATE POLICY prompt_variants_tenant_select ON prompt_variants FOR SELECT
    USING (dealership_id = NULLIF(current_setting('app.current_dealership_id', true), '')::int);
CREATE POLICY prompt_variants_tenant_insert ON prompt_variants FOR INSERT
    WITH CHECK (dealership_id = NULLIF(current_setting('app.current_dealership_id', true), '')::int);
CREATE POLICY prompt_variants_tenant_update ON prompt_variants FOR UPDATE
    USING (dealership_id = NULLIF(current_setting('app.current_dealership_id', true), '')::int)
    WITH CHECK (dealership_id = NULLIF(current_setting('app.current_dealership_id', true), '')::int);
CREATE POLICY prompt_variants_tenant_delete ON prompt_variants FOR DELETE
    USING (dealership_id = NULLIF(current_setting('app.current_dealership_id', true), '')::int);
GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE prompt_variants TO rylie_app;
CREATE TRIGGER trg_prompt_variants_updated_at BEFORE UPDATE ON prompt_variants
    FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();

CREATE TABLE prompt_experiments (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    dealership_id integer NOT NULL REFERENCES dealerships (id) ON DELETE CASCADE,
    name text NOT NULL,
    description text,
    status text NOT NULL DEFAULT 'draft',
    start_date timestamptz,
    end_date timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT prompt_experiments_status_check CHECK (status IN ('draft', 'running', 'completed', 'cancelled')),
    CONSTRAINT prompt_experiments_dates_check CHECK (end_date IS NULL OR start_date IS NULL OR end_date > start_date),
    CONSTRAINT prompt_experiments_dealership_id_id_key UNIQUE (dealership_id, id)
);

ALTER TABLE prompt_experiments ENABLE ROW LEVEL SECURITY;
ALTER TABLE prompt_experiments FORCE ROW LEVEL SECURITY;
CREATE POLICY prompt_experiments_tenant_select ON prompt_experiments FOR SELECT
    USING (dealership_id = NULLIF(current_setting('app.current_dealership_id', true), '')::int);
CREATE POLICY prompt_experiments_tenant_insert ON prompt_experiments FOR INSERT
    WITH CHECK (dealership_id = NULLIF(current_setting('app.current_dealership_id', true), '')::int);
CREATE POLICY prompt_experiments_tenant_update ON prompt_experiments FOR UPDATE
    USING (dealership_id = NULLIF(current_setting('app.current_dealership_id', true), '')::int)
    WITH CHECK (dealership_id = NULLIF(current_setting('app.current_dealership_id', true), '')::int);
CREATE POLICY prompt_experiments_tenant_delete ON prompt_experiments FOR DELETE
    USING (dealership_id = NULLIF(current_setting('app.current_dealership_id', true), '')::int);
GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE prompt_experiments TO rylie_app;
CREATE TRIGGER trg_prompt_experiments_updated_at BEFORE UPDATE ON prompt_experiments
    FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();

CREATE TABLE experiment_variants (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    dealership_id integer NOT NULL REFERENCES dealerships (id) ON DELETE CASCADE,
    experiment_id bigint NOT NULL,
    variant_id bigint NOT NULL,
    traffic_allocation numeric(5,2) NOT NULL DEFAULT 50,
    created_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT experiment_variants_traffic_check CHECK (traffic_allocation BETWEEN 0 AND 100),
    CONSTRAINT experiment_variants_experiment_fkey FOREIGN KEY (dealership_id, experiment_id)
        REFERENCES prompt_experiments (dealership_id, id) ON DELETE CASCADE,
    CONSTRAINT experiment_variants_variant_fkey FOREIGN KEY (dealership_id, variant_id)
        REFERENCES prompt_variants (dealership_id, id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX experiment_variants_experiment_variant_key
    ON experiment_variants (dealership_id, experiment_id, variant_id);
CREATE INDEX experiment_variants_variant_idx ON experiment_variants (dealership_id, variant_id);

ALTER TABLE experiment_variants ENABLE ROW LEVEL SECURITY;
ALTER TABLE experiment_variants FORCE ROW LEVEL SECURITY;
CREATE POLICY experiment_variants_tenant_select ON experiment_variants FOR SELECT
    USING (dealership_id = NULLIF(current_setting('app.current_dealership_id', true), '')::int);
CREATE POLICY experiment_variants_tenant_insert ON experiment_variants FOR INSERT
    WITH CHECK (dealership_id = NULLIF(current_setting('app.current_dealership_id', true), '')::int);
CREATE POLICY experiment_variants_tenant_update ON experiment_variants FOR UPDATE
    USING (dealership_id = NULLIF(current_setting('app.current_dealership_id', true), '')::int)
    WITH CHECK (dealership_id = NULLIF(current_setting('app.current_dealership_id', true), '')::int);
CREATE POLICY experiment_variants_tenant_delete ON experiment_variants FOR DELETE
    USING (dealership_id = NULLIF(current_setting('app.current_dealership_id', true), '')::int);
GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE experiment_variants TO rylie_app;

CREATE TABLE prompt_metrics (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    dealership_id integer NOT NULL REFERENCES dealerships (id) ON DELETE CASCADE,
    variant_id bigint NOT NULL,
    conversation_id bigint,
    response_time_ms integer,
    tokens_used integer,
    customer_message_length integer,
    ai_response_length integer,
    was_escalated boolean NOT NULL DEFAULT false,
    was_helpful boolean,
    created_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT prompt_metrics_variant_fkey FOREIGN KEY (dealership_id, variant_id)
        REFERENCES prompt_variants (dealership_id, id) ON DELETE CASCADE,
    CONSTRAINT prompt_metrics_conversation_fkey FOREIGN KEY (dealership_id, conversation_id)
        REFERENCES conversations (dealership_id, id) ON DELETE SET NULL (conversation_id)
);
CREATE INDEX prompt_metrics_variant_idx ON prompt_metrics (dealership_id, variant_id, created_at);
CREATE INDEX prompt_metrics_conversation_idx ON prompt_metrics (dealership_id, conversation_id)
    WHERE conversation_id IS NOT NULL;

ALTER TABLE prompt_metrics ENABLE ROW LEVEL SECURITY;
ALTER TABLE prompt_metrics FORCE ROW LEVEL SECURITY;
CREATE POLICY prompt_metrics_tenant_select ON prompt_metrics FOR SELECT
    USING (dealership_id = NULLIF(current_setting('app.current_dealership_id', true), '')::int);
CREATE POLICY prompt_metrics_tenant_insert ON prompt_metrics FOR INSERT
    WITH CHECK (dealership_id = NULLIF(current_setting('app.current_dealership_id', true), '')::int);
CREATE POLICY prompt_metrics_tenant_update ON prompt_metrics FOR UPDATE
    USING (dealership_id = NULLIF(current_setting('app.current_dealership_id', true), '')::int)
    WITH CHECK (dealership_id = NULLIF(current_setting('app.current_dealership_id', true), '')::int);
CREATE POLICY prompt_metrics_tenant_delete ON prompt_metrics FOR DELETE
    USING (dealership_id = NULLIF(current_setting('app.current_dealership_id', true), '')::int);
GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE prompt_metrics TO rylie_app;
