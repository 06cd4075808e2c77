"""Literals and identifiers quoted by slipway.sql.quote read back unchanged on the real server,
in both string-quoting modes."""

from __future__ import annotations

import psycopg
import pytest

from slipway.sql.quote import quote_ident, quote_literal, quote_qualified

VALUES = ["plain", "it's", "back\\slash", "both \\' mixed", "", "ünïcode ✓", "two\nlines", "E'x'"]


@pytest.mark.parametrize("scs", ["on", "off"])
def test_literals_read_back_unchanged(db_conn: psycopg.Connection, scs: str) -> None:
    db_conn.execute(f"SET standard_conforming_strings = {scs}")
    for value in VALUES:
        row = db_conn.execute(f"SELECT {quote_literal(value)}").fetchone()
        assert row == (value,), value
    assert db_conn.execute(f"SELECT {quote_literal(None)}::text").fetchone() == (None,)
    assert db_conn.execute(f"SELECT {quote_literal(42)}").fetchone() == (42,)


def test_identifiers_keep_case_and_quotes(db_conn: psycopg.Connection) -> None:
    odd = quote_ident('Odd "Name"')
    db_conn.execute(f"CREATE TABLE {odd} (id int)")
    db_conn.execute("CREATE SCHEMA ops")
    db_conn.execute(f"CREATE TABLE {quote_qualified('ops.History')} (id int)")
    names = db_conn.execute(
        "SELECT n.nspname || '.' || c.relname FROM pg_class c JOIN pg_namespace n"
        " ON n.oid = c.relnamespace WHERE c.relname IN ('Odd \"Name\"', 'History') ORDER BY 1"
    ).fetchall()
    assert names == [("ops.History",), ('public.Odd "Name"',)]


def test_nul_is_refused() -> None:
    with pytest.raises(ValueError):
        quote_literal("a\x00b")
    with pytest.raises(ValueError):
        quote_ident("a\x00b")
