"""Retention rules deleted in batches, one commit per batch: no long locks, no huge transaction.

Each batch is `DELETE ... WHERE (tableoid, ctid) IN (SELECT tableoid, ctid ... LIMIT n)`;
tableoid matters on partitioned tables, where the same ctid exists in every partition.
"""

from __future__ import annotations

from collections.abc import Callable

from psycopg import sql

from slipway.db import Conn
from slipway.errors import ConfigError
from slipway.maintain.config import CleanupRule, MaintainConfig
from slipway.maintain.ddl import check_rls_visible, with_lock_retry
from slipway.maintain.model import Action
from slipway.sql import parse_sql

Progress = Callable[[int, int], None]  # (rows deleted so far, rows expected)


def check_where(where: str) -> None:
    """The condition must be one SQL expression (no `;`-smuggled second statement)."""
    parsed = parse_sql(f"SELECT 1 FROM t WHERE {where}")
    if parsed.error is not None:
        raise ConfigError(
            f"[maintain] cleanup where {where!r} is not a SQL condition: {parsed.error}"
        ) from parsed.error
    if len(parsed.statements) != 1:
        raise ConfigError(
            f"[maintain] cleanup where {where!r} must be one condition, not statements"
        )


def _table(conn: Conn, rule: CleanupRule) -> sql.Composable:
    """The rule's table as PostgreSQL resolves it: the configured name is written as SQL
    (`"Audit Log"`, `public.events`), so it is resolved once by to_regclass and the resolved,
    properly quoted name is what every statement uses."""
    row = conn.execute("SELECT to_regclass(%s)::text", (rule.table,)).fetchone()
    if row is None or row[0] is None:
        raise ConfigError(f"[maintain] cleanup: table {rule.table} does not exist")
    return sql.SQL(str(row[0]))


def plan(conn: Conn, rule: CleanupRule) -> list[Action]:
    check_where(rule.where)
    table = _table(conn, rule)
    check_rls_visible(conn, rule.table, "cleanup")
    query = sql.SQL("SELECT count(*) FROM {} WHERE {}").format(table, sql.SQL(rule.where))
    row = conn.execute(query).fetchone()
    count = int(row[0]) if row else 0
    if count == 0:
        return []
    batches = -(-count // rule.batch)
    if rule.max_batches is not None:
        batches = min(batches, rule.max_batches)
    return [
        Action(
            "cleanup",
            rule.table,
            "delete",
            f"{count} row(s) match {rule.where!r}",
            sql=[
                (
                    f"DELETE FROM {rule.table} WHERE (tableoid, ctid) IN (SELECT tableoid, ctid"
                    f" FROM {rule.table} WHERE {rule.where} LIMIT {rule.batch})  -- x{batches}"
                )
            ],
            details={"matching": count, "batch": rule.batch, "where": rule.where},
        )
    ]


def apply(
    conn: Conn,
    action: Action,
    rule: CleanupRule,
    cfg: MaintainConfig,
    progress: Progress | None = None,
) -> None:
    """Delete in batches until nothing matches (or max_batches); counts go into details."""
    table = _table(conn, rule)
    stmt = sql.SQL(
        "DELETE FROM {t} WHERE (tableoid, ctid) IN"
        " (SELECT tableoid, ctid FROM {t} WHERE {w} LIMIT {n})"
    ).format(t=table, w=sql.SQL(rule.where), n=sql.Literal(rule.batch))
    expected = int(action.details.get("matching", 0))
    deleted = batches = 0
    while rule.max_batches is None or batches < rule.max_batches:
        cur = with_lock_retry(
            conn,
            lambda: conn.execute(stmt),
            lock_timeout=cfg.lock_timeout,
            retries=cfg.lock_retries,
            what=f"cleanup {rule.table}",
        )  # each call is its own transaction: one commit per batch
        batches += 1
        deleted += cur.rowcount
        action.details.update(deleted=deleted, batches=batches)
        if progress is not None:
            progress(deleted, max(expected, deleted))
        if cur.rowcount < rule.batch:
            break
