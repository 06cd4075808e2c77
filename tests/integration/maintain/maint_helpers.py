"""Catalog probes shared by the maintenance tests."""

from __future__ import annotations

from typing import Any

import psycopg


def partitions_of(conn: psycopg.Connection[Any], parent: str) -> dict[str, str]:
    """partition name -> its bound spec, as PostgreSQL prints it (UTC session)."""
    conn.execute("SET TIME ZONE 'UTC'")
    rows = conn.execute(
        "SELECT c.relname, pg_get_expr(c.relpartbound, c.oid) FROM pg_inherits i"
        " JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = %s::regclass ORDER BY 1",
        (parent,),
    ).fetchall()
    return {r[0]: r[1] for r in rows}


def relations(conn: psycopg.Connection[Any]) -> list[tuple[str, str]]:
    return conn.execute(
        "SELECT relname, relkind::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
        " WHERE n.nspname = 'public' ORDER BY 1"
    ).fetchall()
