"""Materialized views refreshed on schedule, CONCURRENTLY when a unique index allows it.

PostgreSQL does not record when a view was last refreshed; each refresh is recorded in the
runs table (task 'views', action 'refresh'), which `runs.last_refreshes()` reads back.
"""

from __future__ import annotations

import time
from typing import NamedTuple

from psycopg import sql

from slipway.catalog.introspect import introspect as read_catalog
from slipway.catalog.model import MatView
from slipway.db import Conn
from slipway.errors import ConfigError
from slipway.maintain.config import MaintainConfig, ViewRule
from slipway.maintain.ddl import with_lock_retry
from slipway.maintain.model import Action

# The configured name as PostgreSQL resolves it (and prints it, quoted as needed); the
# structure comes from the Catalog.
_RESOLVE_SQL = """
SELECT n.nspname, c.relname, c.oid::regclass::text
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.oid = to_regclass(%s) AND c.relkind = 'm'
"""


class _Name(NamedTuple):
    schema: str
    name: str


def _concurrent_ready(view: MatView) -> bool:
    """CONCURRENTLY needs a valid unique index on plain columns, without a WHERE clause."""
    columns = {c.name for c in view.columns}
    return any(
        ix.unique and ix.valid and ix.predicate is None and set(ix.columns) <= columns
        for ix in view.indexes
    )


def plan(conn: Conn, rule: ViewRule) -> list[Action]:
    row = conn.execute(_RESOLVE_SQL, (rule.name,)).fetchone()
    view = None
    if row is not None:
        views = read_catalog(conn, schemas=[row[0]], kinds="m", members=("indexes",))
        view = views.matview(_Name(row[0], row[1]))
    if row is None or view is None:
        raise ConfigError(f"[maintain] views: {rule.name} is not a materialized view")
    populated, unique, regclass = view.populated, _concurrent_ready(view), str(row[2])
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
