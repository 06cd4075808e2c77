-- The tables the feed importer needs, exactly as notes/rylie_contract.md promises them.
-- Used until (and as a fallback when) examples/rylie/migrations is not there yet.
CREATE FUNCTION update_updated_at_column() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at = now();
    RETURN NEW;
END $$;

CREATE TABLE dealerships (
    id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE vehicles (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    dealership_id integer NOT NULL REFERENCES dealerships (id) ON DELETE CASCADE,
    vin text CHECK (vin IS NULL OR length(vin) = 17),
    stock_number text,
    make text, model text, year integer, trim text,
    exterior_color text, interior_color text,
    mileage integer, price numeric(12, 2), msrp numeric(12, 2),
    body_style text, transmission text, engine text, fuel_type text, drivetrain text,
    features jsonb NOT NULL DEFAULT '[]', description text, images jsonb NOT NULL DEFAULT '[]',
    status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'sold', 'pending', 'inactive')),
    is_active boolean NOT NULL DEFAULT true,
    extra_attributes jsonb NOT NULL DEFAULT '{}',
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    first_seen_at timestamptz, last_seen_at timestamptz,
    deactivated_at timestamptz, sold_at timestamptz
);
CREATE UNIQUE INDEX vehicles_dealership_vin_key ON vehicles (dealership_id, vin) WHERE vin IS NOT NULL;
CREATE UNIQUE INDEX vehicles_dealership_stock_key ON vehicles (dealership_id, stock_number)
    WHERE vin IS NULL AND stock_number IS NOT NULL;
CREATE INDEX vehicles_dealership_active_idx ON vehicles (dealership_id, is_active);
CREATE TRIGGER vehicles_updated_at BEFORE UPDATE ON vehicles
    FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();

CREATE TABLE inventory_imports (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    dealership_id integer NOT NULL REFERENCES dealerships (id) ON DELETE CASCADE,
    source_file text, started_at timestamptz, finished_at timestamptz,
    added integer, updated integer, unchanged integer, deactivated integer, errors integer,
    error_report jsonb NOT NULL DEFAULT '[]', full_feed boolean
);

DO $$
DECLARE
    t text;
    tenant constant text := 'dealership_id = NULLIF(current_setting(''app.current_dealership_id'', true), '''')::int';
BEGIN
    FOREACH t IN ARRAY ARRAY['vehicles', 'inventory_imports'] LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
        EXECUTE format('CREATE POLICY %I ON %I FOR SELECT USING (%s)', t || '_select', t, tenant);
        EXECUTE format('CREATE POLICY %I ON %I FOR INSERT WITH CHECK (%s)', t || '_insert', t, tenant);
        EXECUTE format('CREATE POLICY %I ON %I FOR UPDATE USING (%s) WITH CHECK (%s)', t || '_update', t, tenant, tenant);
        EXECUTE format('CREATE POLICY %I ON %I FOR DELETE USING (%s)', t || '_delete', t, tenant);
    END LOOP;
END $$;

-- The importer must not be a superuser for RLS to matter: it runs as this owner role.
INSERT INTO dealerships (name) VALUES ('Sunset Motors'), ('Bayside Auto'), ('Ridge Trucks');
