"""Tenant isolation, tested as the application role rylie_app (never as owner or superuser)."""

from __future__ import annotations

import psycopg
import pytest
from psycopg import sql

from .conftest import as_app, as_owner, as_tenant

Conn = psycopg.Connection[tuple[object, ...]]
A, B = 1, 2
REFUSED = (psycopg.errors.InsufficientPrivilege, psycopg.errors.ForeignKeyViolation)


def tenant_tables(conn: Conn) -> list[str]:
    """Every table (not partition) in public with a dealership_id column."""
    rows = conn.execute(
        """SELECT c.relname FROM pg_class c
           JOIN pg_namespace n ON n.oid = c.relnamespace
           JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'dealership_id' AND NOT a.attisdropped
           WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition
           ORDER BY 1"""
    ).fetchall()
    return [str(r[0]) for r in rows]


def insertable_columns(conn: Conn, table: str) -> list[str]:
    rows = conn.execute(
        """SELECT a.attname FROM pg_attribute a
           WHERE a.attrelid = %s::regclass AND a.attnum > 0 AND NOT a.attisdropped
             AND a.attidentity = '' AND a.attgenerated = ''
           ORDER BY a.attnum""",
        (f"public.{table}",),
    ).fetchall()
    return [str(r[0]) for r in rows]


def count(conn: Conn, table: str, dealership: int | None = None) -> int:
    query = sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table))
    if dealership is not None:
        query += sql.SQL(" WHERE dealership_id = {}").format(sql.Literal(dealership))
    row = conn.execute(query).fetchone()
    assert row is not None
    return int(str(row[0]))


def counts(conn: Conn, dealership: int) -> dict[str, int]:
    """Rows per tenant table for one dealership, as seen by the owner."""
    return {t: count(conn, t, dealership) for t in tenant_tables(conn)}


def can(conn: Conn, table: str, privilege: str) -> bool:
    row = conn.execute(
        "SELECT has_table_privilege('rylie_app', %s, %s)", (f"public.{table}", privilege)
    ).fetchone()
    return bool(row and row[0])


def test_every_tenant_table_is_protected(conn: Conn) -> None:
    tables = tenant_tables(conn)
    assert len(tables) >= 36
    rows = conn.execute(
        """SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity,
                  array(SELECT p.polcmd::text FROM pg_policy p WHERE p.polrelid = c.oid ORDER BY 1)
           FROM pg_class c WHERE c.oid = ANY(%s::regclass[])""",
        ([f"public.{t}" for t in tables],),
    ).fetchall()
    assert len(rows) == len(tables)
    for name, enabled, forced, cmds in rows:
        assert enabled and forced, f"{name}: RLS must be enabled and forced"
        assert cmds == ["a", "d", "r", "w"], f"{name}: policies {cmds}"
    # every policy reads the setting through NULLIF, so '' means "no tenant"
    for table, policy, expr in conn.execute(
        "SELECT tablename, policyname, coalesce(qual, with_check) FROM pg_policies WHERE schemaname = 'public'"
    ).fetchall():
        assert "NULLIF(current_setting('app.current_dealership_id'::text, true)" in str(expr), (
            table,
            policy,
        )


def test_app_role_is_unprivileged_and_owns_nothing(conn: Conn) -> None:
    role = conn.execute(
        "SELECT rolsuper, rolbypassrls, rolcanlogin, rolcreaterole FROM pg_roles WHERE rolname = 'rylie_app'"
    ).fetchone()
    assert role == (False, False, False, False)
    owned = conn.execute(
        """SELECT (SELECT count(*) FROM pg_class WHERE relowner = 'rylie_app'::regrole),
                  (SELECT count(*) FROM pg_proc WHERE proowner = 'rylie_app'::regrole)"""
    ).fetchone()
    assert owned == (0, 0)


def test_seed_has_rows_for_each_tenant(conn: Conn) -> None:
    for dealership in (1, 2, 3):
        empty = [t for t, n in counts(conn, dealership).items() if n == 0]
        assert not empty, f"seed has no rows for dealership {dealership} in {empty}"


def test_tenant_sees_only_its_rows(conn: Conn) -> None:
    expected = counts(conn, A)
    as_app(conn, A)
    for table, n in expected.items():
        assert count(conn, table) == n > 0, table
        assert count(conn, table, B) == 0, f"{table}: tenant {A} sees tenant {B}"


@pytest.mark.parametrize("reset", [True, False], ids=["empty-setting", "never-set"])
def test_no_tenant_sees_nothing_and_does_not_error(conn: Conn, reset: bool) -> None:
    tables = tenant_tables(conn)
    conn.execute("SET LOCAL ROLE rylie_app")
    if reset:
        as_tenant(conn, None)
    for table in tables:
        assert count(conn, table) == 0, table
    assert conn.execute("SELECT count(*) FROM dealerships").fetchone() == (0,)


def test_tenant_cannot_update_or_delete_other_tenant(conn: Conn) -> None:
    before = counts(conn, B)
    writable = {t: (can(conn, t, "UPDATE"), can(conn, t, "DELETE")) for t in before}
    as_app(conn, A)
    for table, (may_update, may_delete) in writable.items():
        ident = sql.Identifier(table)
        for allowed, query in (
            (may_update, "UPDATE {} SET dealership_id = dealership_id WHERE dealership_id = %s"),
            (may_delete, "DELETE FROM {} WHERE dealership_id = %s"),
        ):
            if not allowed:  # append-only tables (audit_logs) refuse outright
                with pytest.raises(psycopg.errors.InsufficientPrivilege), conn.transaction():
                    conn.execute(sql.SQL(query).format(ident), (B,))
                continue
            assert conn.execute(sql.SQL(query).format(ident), (B,)).rowcount == 0, (
                f"{table}: {query}"
            )
    as_owner(conn)
    assert counts(conn, B) == before


def test_tenant_cannot_insert_or_move_rows_into_other_tenant(conn: Conn) -> None:
    before = counts(conn, B)
    plans = {t: (insertable_columns(conn, t), can(conn, t, "UPDATE")) for t in before}
    as_app(conn, A)
    for table, (cols, may_update) in plans.items():
        values = [sql.Literal(B) if c == "dealership_id" else sql.Identifier(c) for c in cols]
        insert = sql.SQL("INSERT INTO {t} ({cols}) SELECT {vals} FROM {t} LIMIT 1").format(
            t=sql.Identifier(table),
            cols=sql.SQL(", ").join(map(sql.Identifier, cols)),
            vals=sql.SQL(", ").join(values),
        )
        # RLS refuses the row; message_feedback's BEFORE trigger refuses it even earlier
        # (the tenant cannot see the other tenant's message it would point at)
        with pytest.raises(REFUSED), conn.transaction():
            conn.execute(insert)
        if may_update:
            move = sql.SQL("UPDATE {} SET dealership_id = %s").format(sql.Identifier(table))
            with pytest.raises(REFUSED), conn.transaction():
                conn.execute(move, (B,))
    as_owner(conn)
    assert counts(conn, B) == before


def test_plain_insert_into_other_tenant_is_refused_by_rls(conn: Conn) -> None:
    as_app(conn, A)
    with pytest.raises(psycopg.errors.InsufficientPrivilege, match="row-level security"):
        conn.execute("INSERT INTO customers (dealership_id, full_name) VALUES (%s, 'Eve')", (B,))


def test_foreign_keys_cannot_point_into_another_tenant(conn: Conn) -> None:
    other = conn.execute(
        "SELECT id FROM conversations WHERE dealership_id = %s LIMIT 1", (B,)
    ).fetchone()
    assert other is not None
    as_app(conn, A)
    with pytest.raises(psycopg.errors.ForeignKeyViolation):
        conn.execute(
            "INSERT INTO messages (dealership_id, conversation_id, content, role) VALUES (%s, %s, 'x', 'customer')",
            (A, other[0]),
        )


@pytest.mark.parametrize(
    "relation",
    ["messages_default", "messages_2025_01", "message_feedback_summary", "monthly_usage_summary"],
)
def test_app_cannot_bypass_through_partitions_or_summaries(conn: Conn, relation: str) -> None:
    as_app(conn, A)
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        conn.execute(sql.SQL("SELECT 1 FROM {} LIMIT 1").format(sql.Identifier(relation)))


def test_dealerships_shows_only_own_and_is_read_only(conn: Conn) -> None:
    as_app(conn, A)
    assert conn.execute("SELECT id FROM dealerships").fetchall() == [(A,)]
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        conn.execute("UPDATE dealerships SET name = 'x'")


def test_current_day_usage_view_respects_rls(conn: Conn) -> None:
    for dealership in (A, B):
        as_tenant(conn, dealership)
        conn.execute(
            "SELECT increment_usage_metrics(%s, NULL, current_date, 1, 10, 10, 0.01)", (dealership,)
        )
    assert conn.execute("SELECT count(*) FROM current_day_usage").fetchone() == (
        2,
    )  # owner, superuser
    as_app(conn, A)
    assert conn.execute(
        "SELECT dealership_id, message_count FROM current_day_usage"
    ).fetchall() == [(A, 1)]
    as_tenant(conn, None)
    assert conn.execute("SELECT count(*) FROM current_day_usage").fetchone() == (0,)


def test_tenant_switch_on_pooled_connection(rylie_url: str) -> None:
    """Session-level settings, as a pool uses them: reset to '' leaves nothing visible."""
    with psycopg.connect(rylie_url, autocommit=True) as session:
        session.execute("SET ROLE rylie_app")
        session.execute("SELECT set_config('app.current_dealership_id', '1', false)")
        seen = session.execute("SELECT count(*) FROM conversations").fetchone()
        assert seen is not None and int(str(seen[0])) > 0
        session.execute("RESET app.current_dealership_id")
        assert session.execute("SELECT count(*) FROM conversations").fetchone() == (0,)
        session.execute("SELECT set_config('app.current_dealership_id', '2', false)")
        assert session.execute(
            "SELECT count(*) FROM conversations WHERE dealership_id <> 2"
        ).fetchone() == (0,)
