-- Vehicle lifecycle tracking fields and the inventory import log
-- Vehicle lifecycle: when the daily feed first/last listed a vehicle, and when it left stock.
ALTER TABLE vehicles
    ADD COLUMN first_seen_at timestamptz,
    ADD COLUMN last_seen_at timestamptz,
    ADD COLUMN deactivated_at timestamptz,
    ADD COLUMN sold_at timestamptz;

-- One row per inventory feed import (written by the feed importer).
CREATE TABLE inventory_imports (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    dealership_id integer NOT NULL REFERENCES dealerships (id) ON DELETE CASCADE,
    source_file text,
    started_at timestamptz,
    finished_at timestamptz,
    added integer,
    updated integer,
    unchanged integer,
    deactivated integer,
    errors integer,
    error_report jsonb NOT NULL DEFAULT '[]',
    full_feed boolean
);
CREATE INDEX inventory_imports_dealership_idx ON inventory_imports (dealership_id, started_at DESC);

ALTER TABLE inventory_imports ENABLE ROW LEVEL SECURITY;
ALTER TABLE inventory_imports FORCE ROW LEVEL SECURITY;
CREATE POLICY inventory_imports_tenant_select ON inventory_imports FOR SELECT
    USING (dealership_id = NULLIF(current_setting('app.current_dealership_id', true), '')::int);
CREATE POLICY inventory_imports_tenant_insert ON inventory_imports FOR INSERT
    WITH CHECK (dealership_id = NULLIF(current_setting('app.current_dealership_id', true), '')::int);
CREATE POLICY inventory_imports_tenant_update ON inventory_imports FOR UPDATE
    USING (dealership_id = NULLIF(current_setting('app.current_dealership_id', true), '')::int)
    WITH CHECK (dealership_id = NULLIF(current_setting('app.current_dealership_id', true), '')::int);
CREATE POLICY inventory_imports_tenant_delete ON inventory_imports FOR DELETE
    USING (dealership_id = NULLIF(current_setting('app.current_dealership_id', true), '')::int);
GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE inventory_imports TO rylie_app;
