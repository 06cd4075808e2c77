-- What the feed importer needs beyond migration 0000, until migration 0008 (vehicle lifecycle)
-- and the import log exist. Idempotent: a no-op once the real migrations provide it.
ALTER TABLE vehicles
    ADD COLUMN IF NOT EXISTS first_seen_at timestamptz,
    ADD COLUMN IF NOT EXISTS last_seen_at timestamptz,
    ADD COLUMN IF NOT EXISTS deactivated_at timestamptz,
    ADD COLUMN IF NOT EXISTS sold_at timestamptz;

CREATE TABLE IF NOT EXISTS inventory_imports (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    dealership_id integer NOT NULL REFERENCES dealerships (id) ON DELETE CASCADE,
    source_file text, started_at timestamptz, finished_at timestamptz,
    added integer, updated integer, unchanged integer, deactivated integer, errors integer,
    error_report jsonb NOT NULL DEFAULT '[]', full_feed boolean
);

DO $$
DECLARE
    tenant constant text := 'dealership_id = NULLIF(current_setting(''app.current_dealership_id'', true), '''')::int';
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_policies WHERE tablename = 'inventory_imports') THEN
        ALTER TABLE inventory_imports ENABLE ROW LEVEL SECURITY;
        ALTER TABLE inventory_imports FORCE ROW LEVEL SECURITY;
        EXECUTE format('CREATE POLICY inventory_imports_select ON inventory_imports FOR SELECT USING (%s)', tenant);
        EXECUTE format('CREATE POLICY inventory_imports_insert ON inventory_imports FOR INSERT WITH CHECK (%s)', tenant);
    END IF;
END $$;
