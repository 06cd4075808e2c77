"""Materialized views refreshed on schedule, CONCURRENTLY when a unique index allows it.

PostgreSQL does not record when a view was last refreshed; each refresh is recorded in the
runs table (task 'views', action 'refresh'), which `runs.last_refreshes()` reads back.
"""

from __future__ import annotations

import time

from psycopg import sql

from slipway.db import Conn
from slipway.errors import ConfigError
from slipway.maintain.config import MaintainConfig, ViewRule
from slipway.maintain.ddl import with_lock_retry
from slipway.maintain.model import Action

# CONCURRENTLY needs a unique index on plain columns, without a WHERE clause, on a populated view.
_VIEW_SQL = """
SELECT c.relispopulated,
       EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = c.oid AND i.indisunique
               AND i.indisvalid AND i.indpred IS NULL AND i.indexprs IS NULL),
       c.oid::regclass::text
FROM pg_class c
WHERE c.oid = to_regclass(%s) AND c.relkind = 'm'
"""


def plan(conn: Conn, rule: ViewRule) -> list[Action]:
    row = conn.execute(_VIEW_SQL, (rule.name,)).fetchone()
    if row is None:
        raise ConfigError(f"[maintain] views: {rule.name} is not a materialized view")
    populated, unique, regclass = bool(row[0]), bool(row[1]), str(row[2])
    possible = populated and unique
    if rule.concurrently and not possible:
        why = "it is not populated yet" if not populated else "it has no plain unique index"
        raise ConfigError(f"{rule.name}: concurrently = true but {why}")
    concurrently = possible if rule.concurrently is None else rule.concurrently
    if concurrently:
        reason = "scheduled; unique index allows CONCURRENTLY (readers not blocked)"
    elif not populated:
        reason = "scheduled; first refresh of an unpopulated view cannot be CONCURRENTLY"
    else:
        reason = "scheduled; no unique index, so readers wait during the refresh"
    word = "CONCURRENTLY " if concurrently else ""
    return [
        Action(
            "views",
            rule.name,
            "refresh",
            reason,
            sql=[f"REFRESH MATERIALIZED VIEW {word}{regclass}"],
            details={"concurrently": concurrently, "view": regclass},
        )
    ]


def apply(conn: Conn, action: Action, cfg: MaintainConfig) -> None:
    word = sql.SQL("CONCURRENTLY " if action.details.get("concurrently") else "")
    # The name as PostgreSQL printed it at planning (regclass output: quoted where needed).
    stmt = sql.SQL("REFRESH MATERIALIZED VIEW {}{}").format(word, sql.SQL(action.details["view"]))
    started = time.perf_counter()
    with_lock_retry(
        conn,
        lambda: conn.execute(stmt),
        lock_timeout=cfg.lock_timeout,
        retries=cfg.lock_retries,
        what=f"refresh {action.target}",
    )
    action.details["seconds"] = round(time.perf_counter() - started, 3)
