"""The replayed migrations as a Catalog model."""

from __future__ import annotations

from lint_support import migrations

from slipway.lint.catalog import format_type, to_catalog
from slipway.lint.engine import lint


def test_replay_to_catalog() -> None:
    result = lint(
        migrations(
            "CREATE TABLE dealerships (id bigint PRIMARY KEY, name varchar(80) NOT NULL);\n"
            "CREATE TABLE leads (id bigint PRIMARY KEY, dealership_id bigint REFERENCES dealerships,"
            " email text, UNIQUE (dealership_id, email));\n"
            "CREATE INDEX leads_email_idx ON leads (email);",
            "ALTER TABLE leads ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;\n"
            "CREATE POLICY leads_tenant ON leads FOR SELECT USING (true);\n"
            "ALTER TABLE leads RENAME COLUMN email TO email_address;\n"
            "CREATE VIEW v WITH (security_invoker = true) AS SELECT * FROM leads;\n"
            "CREATE MATERIALIZED VIEW mv AS SELECT 1;\n"
            "CREATE TYPE mood AS ENUM ('a', 'b');\n"
            "CREATE TABLE audit.events (id bigint, at date, PRIMARY KEY (id, at)) PARTITION BY RANGE (at);",
            "DROP INDEX CONCURRENTLY IF EXISTS leads_email_idx;",
        )
    )
    assert result.state is not None
    catalog = to_catalog(result.state)
    leads = catalog.table("leads")
    assert leads is not None and leads.rls_enabled and leads.rls_forced
    assert [c.name for c in leads.columns] == ["id", "dealership_id", "email_address"]
    assert {(c.type, tuple(c.columns)) for c in leads.constraints} == {
        ("p", ("id",)),
        ("u", ("dealership_id", "email_address")),
        ("f", ("dealership_id",)),
    }
    # leads_email_idx was dropped by the last migration; the keys' own indexes remain, as in
    # PostgreSQL's catalog.
    assert {i.name for i in leads.indexes} == {"leads_pkey", "leads_dealership_id_email_key"}
    assert [(p.name, p.command) for p in leads.policies] == [("leads_tenant", "SELECT")]
    name = catalog.table("dealerships").columns[1]  # type: ignore[union-attr]
    assert (name.type, name.nullable) == ("character varying(80)", False)
    events = catalog.table("audit.events")
    assert events is not None and events.partition_key == "RANGE (at)"
    assert [v.options for v in catalog.views] == [("security_invoker=true",)]
    assert [m.name for m in catalog.matviews] == ["mv"]
    assert [e.labels for e in catalog.enums] == [("a", "b")]
    assert {s.name for s in catalog.schemas} == {"public", "audit"}


def test_format_type() -> None:
    assert format_type("int4", ()) == "integer"
    assert format_type("timestamptz", ()) == "timestamp with time zone"
    # What PostgreSQL's format_type() prints (the catalog compares them as text).
    assert format_type("numeric", (10, 2)) == "numeric(10,2)"
    assert format_type("timestamptz", (3,)) == "timestamp(3) with time zone"
    assert format_type("bpchar", ()) == "character(1)"
    assert format_type("text", (), array=True) == "text[]"
