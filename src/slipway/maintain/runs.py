"""slipway_maintenance_runs: every maintenance action recorded, and the questions asked of it.

PostgreSQL does not remember when a materialized view was refreshed or when a cleanup last
ran; this table does, so `slipway maintain` knows what is due and the health report and the
dashboard can say how stale each view is.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from psycopg import sql
from psycopg.types.json import Jsonb

from slipway.maintain.model import Action
from slipway.sql.quote import quote_qualified

DDL = """
CREATE TABLE IF NOT EXISTS {table} (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    task        text NOT NULL,
    target      text NOT NULL,
    action      text NOT NULL,
    started_at  timestamptz NOT NULL,
    finished_at timestamptz,
    outcome     text NOT NULL,
    details     jsonb NOT NULL DEFAULT '{{}}'::jsonb
);
CREATE INDEX IF NOT EXISTS {index} ON {table} (task, target, started_at DESC)
"""

from slipway.db import Conn


def ident(name: str) -> sql.Identifier:
    """`schema.table` or `table` as a quoted identifier."""
    return sql.Identifier(*name.split("."))


def table_exists(conn: Conn, table: str) -> bool:
    """Whether the runs table exists, looked up exactly as `ident` creates it (case kept)."""
    row = conn.execute("SELECT to_regclass(%s) IS NOT NULL", (quote_qualified(table),)).fetchone()
    return bool(row and row[0])


def create_table(conn: Conn, table: str, ddl: str, index_suffix: str) -> None:
    """Create one of slipway's own tables from `ddl` (its {table} and {index}) unless it
    exists. Two processes starting together (maintenance runs, serve instances) must not race
    on CREATE TABLE, so it happens under an advisory lock named after the table."""
    if table_exists(conn, table):
        return
    index = sql.Identifier(table.split(".")[-1] + index_suffix)
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", (table,))
        for stmt in ddl.split(";"):
            conn.execute(sql.SQL(stmt).format(table=ident(table), index=index))


def ensure_table(conn: Conn, table: str) -> None:
    create_table(conn, table, DDL, "_task_target_idx")


def record(conn: Conn, table: str, action: Action) -> None:
    details = dict(action.details)
    details["reason"] = action.reason
    if action.error:
        details["error"] = action.error
    if action.sql:
        details["sql"] = action.sql
    conn.execute(
        sql.SQL(
            "INSERT INTO {} (task, target, action, started_at, finished_at, outcome, details)"
            " VALUES (%s, %s, %s, %s, %s, %s, %s)"
        ).format(ident(table)),
        (
            action.task,
            action.target,
            action.action,
            action.started_at,
            action.finished_at,
            action.outcome,
            Jsonb(details),
        ),
    )


def last_runs(conn: Conn, table: str) -> dict[tuple[str, str], datetime]:
    """When each (task, target) rule last completed a run successfully."""
    if not table_exists(conn, table):
        return {}
    rows = conn.execute(
        sql.SQL(
            "SELECT task, target, max(started_at) FROM {} WHERE action = 'run' AND outcome = 'ok'"
            " GROUP BY task, target"
        ).format(ident(table))
    ).fetchall()
    return {(r[0], r[1]): r[2] for r in rows}


def last_refreshes(conn: Conn, table: str = "slipway_maintenance_runs") -> dict[str, datetime]:
    """Materialized view -> when slipway last refreshed it successfully (for staleness)."""
    if not table_exists(conn, table):
        return {}
    rows = conn.execute(
        sql.SQL(
            "SELECT target, max(finished_at) FROM {} WHERE task = 'views' AND action = 'refresh'"
            " AND outcome = 'ok' GROUP BY target"
        ).format(ident(table))
    ).fetchall()
    return {r[0]: r[1] for r in rows}


def recent_runs(
    conn: Conn, table: str = "slipway_maintenance_runs", limit: int = 20
) -> list[dict[str, Any]]:
    """The latest recorded actions, newest first (for the dashboard)."""
    if not table_exists(conn, table):
        return []
    cur = conn.execute(
        sql.SQL(
            "SELECT task, target, action, started_at, finished_at, outcome,"
            " details->>'reason' AS reason, details->>'error' AS error"
            " FROM {} ORDER BY started_at DESC, id DESC LIMIT %s"
        ).format(ident(table)),
        (limit,),
    )
    names = [d.name for d in cur.description or []]
    return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]
