"""A small healthy multi-tenant schema: RLS forced with four policies, FKs indexed, PKs, stats."""

from __future__ import annotations

import psycopg

HEALTHY_UP = """
CREATE TABLE dealerships (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name text NOT NULL, subdomain text NOT NULL UNIQUE);
CREATE TABLE customers (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    dealership_id bigint NOT NULL REFERENCES dealerships ON DELETE CASCADE,
    email varchar(120) NOT NULL);
CREATE INDEX customers_dealership_idx ON customers (dealership_id);
CREATE TABLE leads (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    dealership_id bigint NOT NULL REFERENCES dealerships ON DELETE CASCADE,
    customer_id bigint REFERENCES customers ON DELETE SET NULL,
    status text NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'won', 'lost')));
CREATE INDEX leads_dealership_idx ON leads (dealership_id);
CREATE INDEX leads_customer_idx ON leads (customer_id);
CREATE TABLE messages (id bigint GENERATED ALWAYS AS IDENTITY,
    dealership_id bigint NOT NULL REFERENCES dealerships ON DELETE CASCADE,
    created_at timestamptz NOT NULL DEFAULT now(), body text NOT NULL,
    PRIMARY KEY (id, created_at)) PARTITION BY RANGE (created_at);
CREATE INDEX messages_dealership_idx ON messages (dealership_id);
CREATE TABLE messages_m0 PARTITION OF messages FOR VALUES FROM ('{m0}') TO ('{m1}');
CREATE TABLE messages_m1 PARTITION OF messages FOR VALUES FROM ('{m1}') TO ('{m2}');
CREATE TABLE messages_m2 PARTITION OF messages FOR VALUES FROM ('{m2}') TO ('{m3}');
CREATE TABLE messages_default PARTITION OF messages DEFAULT;
DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['customers', 'leads', 'messages'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY %I ON %I FOR SELECT USING (dealership_id = '
                   'current_setting(''app.current_dealership_id'', true)::bigint)', t || '_read', t);
    EXECUTE format('CREATE POLICY %I ON %I FOR INSERT WITH CHECK (dealership_id = '
                   'current_setting(''app.current_dealership_id'', true)::bigint)', t || '_add', t);
    EXECUTE format('CREATE POLICY %I ON %I FOR UPDATE USING (dealership_id = '
                   'current_setting(''app.current_dealership_id'', true)::bigint)', t || '_edit', t);
    EXECUTE format('CREATE POLICY %I ON %I FOR DELETE USING (dealership_id = '
                   'current_setting(''app.current_dealership_id'', true)::bigint)', t || '_drop', t);
  END LOOP;
END $$;
CREATE VIEW lead_overview WITH (security_invoker = true) AS
    SELECT l.id, l.status, c.email FROM leads l LEFT JOIN customers c ON c.id = l.customer_id;
CREATE MATERIALIZED VIEW dealership_names AS SELECT id, name FROM dealerships;
CREATE FUNCTION tenant_id() RETURNS bigint LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = pg_catalog, public, pg_temp
    AS $$ SELECT current_setting('app.current_dealership_id', true)::bigint $$;
"""

HEALTHY_DOWN = """
DROP FUNCTION tenant_id();
DROP MATERIALIZED VIEW dealership_names;
DROP VIEW lead_overview;
DROP TABLE messages, leads, customers, dealerships;
"""


def populate(conn: psycopg.Connection[tuple[object, ...]]) -> None:
    """A little data, then ANALYZE: a database in normal use."""
    conn.execute("INSERT INTO dealerships (name, subdomain) VALUES ('A', 'a'), ('B', 'b')")
    conn.execute(
        "INSERT INTO customers (dealership_id, email) "
        "SELECT 1 + g % 2, 'c' || g || '@example.com' FROM generate_series(1, 20) g"
    )
    conn.execute(
        "INSERT INTO leads (dealership_id, customer_id) SELECT dealership_id, id FROM customers"
    )
    conn.execute(
        "INSERT INTO messages (dealership_id, body) SELECT 1, 'hello' FROM generate_series(1, 10)"
    )
    conn.execute("REFRESH MATERIALIZED VIEW dealership_names")
    conn.execute("VACUUM ANALYZE")
    conn.execute("SELECT pg_stat_force_next_flush()")
