"""A database with one planted health problem of every kind the doctor looks for.

EXPECTED lists (check code, target, level) for each plant; test_doctor_planted asserts each.
"""

from __future__ import annotations

from datetime import date

import psycopg

# Applied by slipway's engine first; then the fixture edits 0001, deletes 0004, adds 0003.
PLANTED_MIGRATIONS = {
    "0001_first.sql": "CREATE TABLE first_table (id int PRIMARY KEY);\n",
    "0001_first.down.sql": "DROP TABLE first_table;\n",
    "0002_second.sql": "CREATE TABLE second_table (id int PRIMARY KEY);\n",
    "0004_fourth.sql": "CREATE TABLE fourth_table (id int PRIMARY KEY);\n",
    "0004_fourth.down.sql": "DROP TABLE fourth_table;\n",
}


def _month(offset: int) -> date:
    today = date.today()
    index = today.year * 12 + today.month - 1 + offset
    return date(index // 12, index % 12 + 1, 1)


SCHEMA = """
CREATE TABLE dealerships (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name text NOT NULL);
CREATE TABLE customers (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    dealership_id bigint NOT NULL REFERENCES dealerships ON DELETE CASCADE, email text NOT NULL);
CREATE INDEX customers_dealership_idx ON customers (dealership_id);
ALTER TABLE customers ENABLE ROW LEVEL SECURITY;               -- enabled, not forced
CREATE POLICY customers_read ON customers FOR SELECT USING (true);  -- SELECT only
CREATE TABLE leads (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    dealership_id bigint NOT NULL REFERENCES dealerships ON DELETE CASCADE,
    customer_id bigint REFERENCES customers ON DELETE SET NULL);   -- no index on customer_id
CREATE INDEX leads_dealership_idx ON leads (dealership_id);   -- RLS off entirely
CREATE INDEX leads_customer_partial ON leads (customer_id) WHERE customer_id > 10;
GRANT SELECT ON leads TO PUBLIC;
CREATE TABLE lead_notes (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    lead_id bigint NOT NULL REFERENCES leads ON DELETE CASCADE, body text NOT NULL);
CREATE INDEX lead_notes_lead_idx ON lead_notes (lead_id) WHERE lead_id IS NOT NULL;
CREATE FUNCTION keep_note() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN RETURN NULL; END';
CREATE TRIGGER keep_note BEFORE DELETE ON lead_notes FOR EACH ROW EXECUTE FUNCTION keep_note();
CREATE TABLE vehicles (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    dealership_id bigint NOT NULL, vin text NOT NULL, year int);   -- tenant column, no FK
ALTER TABLE vehicles ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
CREATE POLICY vehicles_all ON vehicles USING (dealership_id = 1);
CREATE INDEX vehicles_vin_idx ON vehicles (vin);
CREATE INDEX vehicles_vin_year_idx ON vehicles (vin, year);
CREATE INDEX vehicles_year_a ON vehicles (year);
CREATE INDEX vehicles_year_b ON vehicles (year);
CREATE TABLE broken_inserts (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    dealership_id bigint NOT NULL REFERENCES dealerships ON DELETE CASCADE);
CREATE INDEX broken_inserts_dealership_idx ON broken_inserts (dealership_id);
ALTER TABLE broken_inserts ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
CREATE POLICY broken_all ON broken_inserts USING (true) WITH CHECK (true);
CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS
    'BEGIN RAISE EXCEPTION ''audit service unreachable''; END';
CREATE TRIGGER refuse BEFORE INSERT ON broken_inserts FOR EACH ROW EXECUTE FUNCTION refuse();
CREATE TABLE pool_guard (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    dealership_id bigint NOT NULL REFERENCES dealerships ON DELETE CASCADE);
CREATE INDEX pool_guard_dealership_idx ON pool_guard (dealership_id);
ALTER TABLE pool_guard ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
CREATE POLICY pool_guard_all ON pool_guard USING (true) WITH CHECK (true);
CREATE FUNCTION guard() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
  IF current_setting('application_name') = 'slipway-doctor-load' THEN  -- pooled sessions only
    RAISE EXCEPTION 'writes from the pool are refused'; END IF; RETURN NEW; END $$;
CREATE TRIGGER guard BEFORE INSERT ON pool_guard FOR EACH ROW EXECUTE FUNCTION guard();
CREATE TABLE notes (id int PRIMARY KEY, lead_id bigint, body text);
INSERT INTO notes VALUES (1, 999, '');
ALTER TABLE notes ADD CONSTRAINT notes_lead_id_fkey FOREIGN KEY (lead_id) REFERENCES leads
    ON DELETE SET NULL NOT VALID;
CREATE INDEX notes_lead_idx ON notes (lead_id);
ALTER TABLE notes ADD CONSTRAINT notes_body_check CHECK (length(body) > 0) NOT VALID;
CREATE FUNCTION definer_fn() RETURNS int SECURITY DEFINER LANGUAGE sql AS 'SELECT 1';
CREATE VIEW customers_view AS SELECT * FROM customers;
CREATE MATERIALIZED VIEW customer_counts AS SELECT dealership_id, count(*) FROM customers
    GROUP BY 1;
GRANT SELECT ON customer_counts TO PUBLIC;
CREATE MATERIALIZED VIEW lead_stats AS SELECT count(*) AS n FROM dealerships WITH NO DATA;
CREATE MATERIALIZED VIEW daily_stats AS SELECT 1 AS one;
CREATE TABLE slipway_maintenance_runs (id serial PRIMARY KEY, task text, target text,
    action text, started_at timestamptz, finished_at timestamptz, outcome text);
INSERT INTO slipway_maintenance_runs (task, target, action, finished_at, outcome) VALUES
    ('views', 'public.daily_stats', 'refresh', now() - interval '5 days', 'ok'),
    ('views', 'public.daily_stats', 'refresh', now() - interval '1 hour', 'error'),
    ('views', 'public.customer_counts', 'refresh', now() - interval '1 hour', 'ok');
CREATE TABLE audit_log (at timestamptz, msg text);              -- no primary key
INSERT INTO audit_log VALUES (now(), 'same'), (now(), 'same');
CREATE TABLE events (id int PRIMARY KEY, kind text) WITH (autovacuum_enabled = false);
INSERT INTO events SELECT g, 'k' || g % 10 FROM generate_series(1, 2000) g;
CREATE INDEX events_kind_idx ON events (kind);
CREATE TABLE bloated (id int PRIMARY KEY, pad text) WITH (autovacuum_enabled = false);
INSERT INTO bloated SELECT g, repeat('x', 100) FROM generate_series(1, 5000) g;
DELETE FROM bloated WHERE id > 1000;
CREATE TABLE big WITH (autovacuum_enabled = false) AS   -- CTAS: bulk-written, no cache hits
    SELECT g AS id, repeat('x', 60) AS pad FROM generate_series(1, 450000) g;
ALTER TABLE big ADD PRIMARY KEY (id);
CREATE SEQUENCE ticket_seq MAXVALUE 100;
SELECT setval('ticket_seq', 95);
CREATE SEQUENCE counters_big_seq AS bigint;
CREATE TABLE counters (id integer PRIMARY KEY DEFAULT nextval('counters_big_seq'));
ALTER SEQUENCE counters_big_seq OWNED BY counters.id;
SELECT setval('counters_big_seq', 2000000000);
CREATE TABLE messages (id bigint, created_at timestamptz NOT NULL, PRIMARY KEY (id, created_at))
    PARTITION BY RANGE (created_at);
CREATE TABLE messages_2020_01 PARTITION OF messages
    FOR VALUES FROM ('2020-01-01') TO ('2020-02-01');
CREATE TABLE messages_default PARTITION OF messages DEFAULT;
INSERT INTO messages VALUES (1, now());
CREATE TABLE visits (id bigint, day date NOT NULL, PRIMARY KEY (id, day)) PARTITION BY RANGE (day);
CREATE TABLE visits_now PARTITION OF visits FOR VALUES FROM ('{m0}') TO ('{m1}');
CREATE TABLE chats (id bigint, dealership_id bigint NOT NULL, PRIMARY KEY (id, dealership_id))
    PARTITION BY LIST (dealership_id);
ALTER TABLE chats ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
CREATE POLICY chats_all ON chats USING (dealership_id = 1);
CREATE TABLE chats_1 PARTITION OF chats FOR VALUES IN (1);
CREATE TABLE chats_rest PARTITION OF chats DEFAULT;
GRANT SELECT ON chats_1 TO PUBLIC;
CREATE TABLE empty_parted (id int, PRIMARY KEY (id)) PARTITION BY RANGE (id);
CREATE UNIQUE INDEX CONCURRENTLY audit_msg_uq ON audit_log (msg);
"""

EXPECTED: list[tuple[str, str, str]] = [
    ("HC002", "public.vehicles", "warn"),
    ("HC011", "public.leads.leads_customer_id_fkey", "warn"),
    ("HC012", "public.notes.notes_lead_id_fkey", "fail"),
    ("HC012", "public.notes.notes_body_check", "warn"),
    ("HC020", "0001_first", "fail"),
    ("HC020", "0003_third", "warn"),
    ("HC020", "0004_fourth", "fail"),
    ("HC021", "0002_second", "warn"),
    ("HC032", "{database}", "warn"),
    ("HC033", "pool", "warn"),
    ("HC034", "pid {idle_pid}", "warn"),
    ("HC040", "public.leads", "fail"),
    ("HC040", "public.chats_1", "fail"),
    ("HC041", "public.customers", "warn"),
    ("HC042", "public.customers", "warn"),
    ("HC043", "{role}", "warn"),
    ("HC044", "public.leads", "fail"),
    ("HC045", "definer_fn()", "fail"),
    ("HC046", "public.customers_view", "fail"),
    ("HC046", "public.customer_counts", "warn"),
    ("HC050", "public.audit_log", "warn"),
    ("HC051", "public.vehicles_year_b", "warn"),
    ("HC052", "public.vehicles_vin_idx", "warn"),
    ("HC053", "public.events_kind_idx", "warn"),
    ("HC054", "public.audit_msg_uq", "fail"),
    ("HC055", "{database}", "fail"),
    ("HC056", "public.events", "warn"),
    ("HC057", "public.bloated", "warn"),
    ("HC060", "public.bloated", "warn"),
    ("HC061", "{database}", "warn"),
    ("HC062", "public.ticket_seq", "fail"),
    ("HC062", "public.counters_big_seq", "fail"),
    ("HC063", "public.lead_stats", "warn"),
    ("HC063", "public.daily_stats", "warn"),
    ("HC064", "public.messages", "fail"),
    ("HC064", "public.visits", "warn"),
    ("HC064", "public.empty_parted", "fail"),
    ("HC065", "public.messages_default", "warn"),
    ("HC080", "public.lead_notes.lead_notes_lead_id_fkey", "fail"),
    ("HC080", "public.broken_inserts", "warn"),
]


def plant(conn: psycopg.Connection[tuple[object, ...]], role: str) -> None:
    """Build the planted schema, then the activity the statistics-based checks need."""
    for statement in SCHEMA.format(m0=_month(0), m1=_month(1)).split(";\n"):
        if statement.strip():
            try:
                conn.execute(statement)
            except psycopg.errors.UniqueViolation:
                pass  # the failed CONCURRENTLY build is the point: it leaves an INVALID index
    conn.execute(f'CREATE ROLE "{role}" LOGIN BYPASSRLS')
    conn.execute("INSERT INTO dealerships (name) VALUES ('one')")
    for _ in range(110):  # sequential reads of events: seq-scan-heavy, its index never used
        conn.execute("SELECT count(*) FROM events").fetchone()
    for _ in range(3):  # big > shared_buffers / 4: read through a ring buffer, a poor hit ratio
        conn.execute("SELECT count(*) FROM big").fetchone()
    conn.execute("SELECT pg_stat_force_next_flush()")
