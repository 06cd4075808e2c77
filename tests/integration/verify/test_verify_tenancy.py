"""`slipway verify --tenancy`: planted leaks are found, sound isolation passes, no trace."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import psycopg
import pytest
from verify_helpers import slipway

from slipway.errors import ConfigError
from slipway.migrations.execute import run_script
from slipway.migrations.layouts import load_folder
from slipway.verify.tenancy import check_tenancy

Conn = psycopg.Connection[Any]
TENANT = "NULLIF(current_setting('app.current_dealership_id', true), '')::uuid"
SOUND = f"""
CREATE TABLE dealerships (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), name text NOT NULL);
CREATE TABLE customers (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  dealership_id uuid NOT NULL REFERENCES dealerships (id),
  email varchar(40) NOT NULL UNIQUE,
  status text NOT NULL CHECK (status IN ('new', 'active')),
  score int NOT NULL CHECK (score BETWEEN 90 AND 95),
  phone text CHECK (phone IS NULL OR char_length(phone) = 12),
  CONSTRAINT reachable CHECK (phone IS NOT NULL OR status = 'new')
);
CREATE TABLE leads (
  id serial PRIMARY KEY,
  dealership_id uuid NOT NULL REFERENCES dealerships (id),
  customer_id bigint NOT NULL REFERENCES customers (id),
  touched_at timestamptz
);
CREATE FUNCTION touch_customer() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN UPDATE customers SET score = score WHERE id = NEW.customer_id; RETURN NEW; END $$;
CREATE TRIGGER leads_touch AFTER INSERT ON leads FOR EACH ROW EXECUTE FUNCTION touch_customer();
ALTER TABLE customers ENABLE ROW LEVEL SECURITY;
ALTER TABLE customers FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant ON customers USING (dealership_id = {TENANT});
ALTER TABLE leads ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant ON leads USING (dealership_id = {TENANT});
CREATE VIEW lead_list WITH (security_invoker = true) AS SELECT id, dealership_id FROM leads;
CREATE TABLE messages (
  id bigint GENERATED ALWAYS AS IDENTITY,
  dealership_id uuid NOT NULL REFERENCES dealerships (id),
  lead_id int NOT NULL REFERENCES leads (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (id, created_at)
) PARTITION BY RANGE (created_at);
CREATE TABLE messages_default PARTITION OF messages DEFAULT;
ALTER TABLE messages ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant ON messages USING (dealership_id = {TENANT});
"""
LEAKY = """
CREATE TABLE notes (id serial PRIMARY KEY, dealership_id uuid NOT NULL REFERENCES dealerships,
                    body text NOT NULL);
CREATE TABLE wide (id serial PRIMARY KEY, dealership_id uuid NOT NULL REFERENCES dealerships);
ALTER TABLE wide ENABLE ROW LEVEL SECURITY;
CREATE POLICY everything ON wide USING (true);
CREATE VIEW customer_list AS SELECT id, dealership_id, email FROM customers;
"""


def _trace(conn: Conn) -> tuple[Any, ...]:
    """Everything the check could leave behind: rows, roles, grants."""
    rows = conn.execute(
        "SELECT (SELECT count(*) FROM dealerships), (SELECT count(*) FROM customers),"
        " (SELECT count(*) FROM leads),"
        " (SELECT count(*) FROM pg_roles WHERE rolname LIKE 'slipway_tenancy%'),"
        " (SELECT string_agg(relname || coalesce(relacl::text, ''), ',' ORDER BY relname)"
        "    FROM pg_class WHERE relnamespace = 'public'::regnamespace)"
    ).fetchone()
    assert rows is not None
    return tuple(rows)


def test_sound_isolation_passes_and_leaves_no_trace(db_conn: Conn) -> None:
    db_conn.execute(SOUND)
    db_conn.execute("INSERT INTO dealerships (name) VALUES ('real')")
    before = _trace(db_conn)
    report = check_tenancy(db_conn)
    assert report.tables == ["customers", "leads", "messages"]
    assert report.findings == [] and not report.failed
    assert _trace(db_conn) == before


def test_planted_leaks_are_reported_with_table_and_operation(db_conn: Conn) -> None:
    db_conn.execute(SOUND + LEAKY)
    report = check_tenancy(db_conn)
    found = {(f.target, f.name) for f in report.findings if f.code == "leak"}
    for table in ("notes", "wide"):
        for operation in (
            "read without tenant",
            "read other",
            "update other",
            "delete other",
            "move to other",
            "insert other",
            "read with empty tenant",
        ):
            assert (table, operation) in found, (table, operation)
    assert ("customer_list", "read other") in found
    assert not any(
        f.target in ("customers", "leads", "lead_list", "messages", "messages_default")
        for f in report.findings
    )
    by_table = {f.target: f.message for f in report.findings if f.name == "read other"}
    assert "row level security is not enabled" in by_table["notes"]
    assert "a policy is too wide" in by_table["wide"]
    assert "security_invoker" in by_table["customer_list"]
    assert report.failed


def test_unset_setting_that_errors_and_untestable_tables_are_reported(db_conn: Conn) -> None:
    db_conn.execute(
        SOUND
        + """
CREATE TABLE strict (id serial PRIMARY KEY, dealership_id uuid NOT NULL REFERENCES dealerships);
ALTER TABLE strict ENABLE ROW LEVEL SECURITY;
CREATE POLICY p ON strict USING (dealership_id = current_setting('app.current_dealership_id')::uuid);
CREATE TABLE coded (id serial PRIMARY KEY, dealership_id uuid NOT NULL REFERENCES dealerships,
                    code text NOT NULL CHECK (code ~ '^[0-9]{3}$'));
"""
    )
    report = check_tenancy(db_conn)
    kinds = {(f.target, f.name): f for f in report.findings}
    assert kinds[("strict", "read without tenant")].code == "error"
    assert (
        "unrecognized configuration parameter" in kinds[("strict", "read without tenant")].message
    )
    assert kinds[("strict", "read with empty tenant")].code == "error"
    assert kinds[("coded", "populate")].code == "untested"
    assert "coded_code_check" in kinds[("coded", "populate")].message
    assert report.failed


def test_foreign_key_to_a_partitioned_table_and_types_in_domains_and_schemas(
    db_conn: Conn,
) -> None:
    # A foreign key to a partitioned table has one copy per partition; the row must go in
    # through the parent (it once went into `regions_eu` directly, breaking its bound). A
    # varchar(5) inside a domain keeps its length; a quoted schema's enum gives its labels.
    db_conn.execute(
        SOUND
        + """
CREATE DOMAIN code5 AS varchar(5);
CREATE SCHEMA "Sales";
CREATE TYPE "Sales"."Stage" AS ENUM ('Lead', 'Won');
CREATE TABLE regions (code text PRIMARY KEY, dealership_id uuid NOT NULL REFERENCES dealerships)
  PARTITION BY LIST (code);
CREATE TABLE regions_eu PARTITION OF regions FOR VALUES IN ('eu');
CREATE TABLE regions_other PARTITION OF regions DEFAULT;
CREATE TABLE "Sales"."Visits" (id serial PRIMARY KEY,
  dealership_id uuid NOT NULL REFERENCES dealerships, region text NOT NULL REFERENCES regions,
  code code5 NOT NULL, stage "Sales"."Stage" NOT NULL);
"""
        + "".join(
            f"ALTER TABLE {t} ENABLE ROW LEVEL SECURITY;"
            f"CREATE POLICY tenant ON {t} USING (dealership_id = {TENANT});"
            for t in ("regions", '"Sales"."Visits"')
        )
    )
    report = check_tenancy(db_conn)
    assert {"regions", "Sales.Visits"} <= set(report.tables)
    assert report.findings == [], [str(f) for f in report.findings]


def test_app_role_and_missing_column(db_conn: Conn) -> None:
    db_conn.execute(SOUND)
    with pytest.raises(ConfigError, match="no table has the tenant column tenant_id"):
        check_tenancy(db_conn, "tenant_id")
    with pytest.raises(ConfigError, match="role nobody_here_x does not exist"):
        check_tenancy(db_conn, app_role="nobody_here_x")
    # pg_read_all_data reads every table, partitions included: a partition read directly
    # skips its parent's policies, and that is reported; the rest holds (it cannot write).
    report = check_tenancy(db_conn, app_role="pg_read_all_data")
    assert {(f.target, f.name, f.code) for f in report.findings} == {
        ("messages_default", "read without tenant", "leak"),
        ("messages_default", "read other", "leak"),
        ("messages_default", "read with empty tenant", "leak"),
    }


def test_rylie_passes(db_conn: Conn) -> None:
    folder = Path(__file__).resolve().parents[3] / "src/slipway/examples/rylie/migrations"
    for migration in load_folder(folder).migrations:
        run_script(db_conn, migration.up)
    report = check_tenancy(db_conn, "dealership_id", "app.current_dealership_id", "rylie_app")
    assert len(report.tables) >= 20
    assert report.findings == [], [str(f) for f in report.findings]


def test_cli_reads_tenancy_settings_and_exits_1_on_leak(
    project: Path, db_url: str, db_conn: Conn
) -> None:
    db_conn.execute(SOUND.replace("app.current_dealership_id", "app.dealer"))
    (project / "slipway.toml").write_text('[tenancy]\nsetting = "app.dealer"\n')
    run = slipway(project, db_url, "verify", "--tenancy")
    assert run.returncode == 0, run.stdout + run.stderr
    assert "ok: every tenant sees and changes only its own rows" in run.stdout
    db_conn.execute(LEAKY)
    run = slipway(project, db_url, "verify", "--tenancy", "--format", "json")
    assert run.returncode == 1
    data = json.loads(run.stdout)
    assert data["ok"] is False and data["setting"] == "app.dealer"
    assert {
        "target": "wide",
        "name": "read other",
        "code": "leak",
        "severity": "error",
    }.items() <= next(
        f for f in data["findings"] if f["target"] == "wide" and f["name"] == "read other"
    ).items()
