"""Retention never removes tenant isolation: a detached partition keeps row level security
(enabled, forced, the parent's policies), or moves to a declared archive schema that no
application role can read."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import psycopg
import pytest
from psycopg import errors as pgerrors
from psycopg import sql

from slipway.maintain.runner import run_maintenance

Conn = psycopg.Connection[Any]
POLICIES = """SELECT policyname, permissive, roles::text[], cmd, qual, with_check
              FROM pg_policies WHERE schemaname = %s AND tablename = %s ORDER BY 1"""


@pytest.fixture
def app_role(db_conn: Conn) -> Iterator[str]:
    name = f"slipway_ri_app_{uuid.uuid4().hex[:8]}"
    db_conn.execute(sql.SQL("CREATE ROLE {} NOLOGIN").format(sql.Identifier(name)))
    try:
        yield name
    finally:
        db_conn.execute(sql.SQL("DROP OWNED BY {}").format(sql.Identifier(name)))
        db_conn.execute(sql.SQL("DROP ROLE {}").format(sql.Identifier(name)))


def _tenant_notes(conn: Conn, role: str, default: bool) -> None:
    r = sql.Identifier(role)
    conn.execute("""
        CREATE TABLE notes (tenant_id int NOT NULL, body text, created_at timestamptz NOT NULL)
            PARTITION BY RANGE (created_at);
        ALTER TABLE notes ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
        CREATE POLICY "Tenant reads" ON notes FOR SELECT
            USING (tenant_id = current_setting('app.tenant', true)::int);
        CREATE POLICY tenant_writes ON notes AS RESTRICTIVE FOR INSERT TO public
            WITH CHECK (tenant_id = current_setting('app.tenant', true)::int);
    """)
    conn.execute(
        sql.SQL(
            "CREATE POLICY all_mine ON notes AS RESTRICTIVE TO {} USING (body IS NOT NULL)"
            " WITH CHECK (body <> '')"
        ).format(r)
    )
    for month in range(1, 13):
        conn.execute(
            f"CREATE TABLE notes_2024_{month:02d} PARTITION OF notes FOR VALUES FROM "
            f"('2024-{month:02d}-01') TO ('{2024 + month // 12}-{month % 12 + 1:02d}-01')"
        )
    if default:
        conn.execute("CREATE TABLE notes_default PARTITION OF notes DEFAULT")
    conn.execute("INSERT INTO notes SELECT t, 'n' || t, '2024-01-10' FROM generate_series(1, 3) t")
    # Default privileges reach every partition: a direct read of one needs its own RLS.
    conn.execute(sql.SQL("GRANT SELECT ON ALL TABLES IN SCHEMA public TO {}").format(r))


def _retire(conn: Conn, make_cfg: Any, **extra: Any) -> Any:
    cfg = make_cfg(
        partitions=[
            {
                "table": "notes",
                "interval": "month",
                "ahead": 0,
                "retention": "6 months",
                "retention_mode": "detach",
            }
        ],
        **extra,
    )
    now = datetime(2024, 12, 15, tzinfo=UTC)
    result = run_maintenance(conn, cfg, tasks=("partitions",), only_due=False, now=now)
    assert result.ok, result.to_dict()
    assert "notes_2024_01" in [a.details.get("partition") for a in result.actions]
    return result


def _as_role(conn: Conn, role: str, tenant: int, table: str) -> list[tuple[Any, ...]]:
    with conn.transaction(force_rollback=True):
        conn.execute(sql.SQL("SET LOCAL ROLE {}").format(sql.Identifier(role)))
        conn.execute("SELECT set_config('app.tenant', %s, true)", (str(tenant),))
        return conn.execute(sql.SQL("SELECT tenant_id FROM {}").format(sql.SQL(table))).fetchall()


@pytest.mark.parametrize("default", [False, True], ids=["concurrently", "in-a-transaction"])
def test_a_detached_partition_keeps_rls_forced_with_the_parents_policies(
    db_conn: Conn, make_cfg: Any, app_role: str, default: bool
) -> None:
    _tenant_notes(db_conn, app_role, default)
    _retire(db_conn, make_cfg)
    flags = db_conn.execute(
        "SELECT relrowsecurity, relforcerowsecurity, relispartition FROM pg_class"
        " WHERE oid = 'notes_2024_01'::regclass"
    ).fetchone()
    assert flags == (True, True, False)
    parent = db_conn.execute(POLICIES, ("public", "notes")).fetchall()
    assert len(parent) == 3
    assert db_conn.execute(POLICIES, ("public", "notes_2024_01")).fetchall() == parent
    assert _as_role(db_conn, app_role, 2, "notes_2024_01") == [(2,)]
    assert _as_role(db_conn, app_role, 2, "notes") == []  # its rows left the parent


def test_with_an_archive_schema_no_application_role_can_read_it(
    db_conn: Conn, make_cfg: Any, app_role: str
) -> None:
    _tenant_notes(db_conn, app_role, default=False)
    db_conn.execute(sql.SQL("GRANT ALL ON SCHEMA public TO {}").format(sql.Identifier(app_role)))
    _retire(db_conn, make_cfg, archive_schema="Old Notes")
    assert db_conn.execute("SELECT to_regclass('public.notes_2024_01')").fetchone() == (None,)
    assert db_conn.execute('SELECT count(*) FROM "Old Notes".notes_2024_01').fetchone() == (3,)
    with pytest.raises(pgerrors.InsufficientPrivilege):
        _as_role(db_conn, app_role, 2, '"Old Notes".notes_2024_01')
    granted = db_conn.execute(
        "SELECT has_table_privilege(%s, '\"Old Notes\".notes_2024_01', 'SELECT')", (app_role,)
    ).fetchone()
    assert granted == (False,)
