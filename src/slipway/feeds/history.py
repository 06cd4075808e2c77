"""The import log read back: each import's counts, newest first (serve's feed chart)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import psycopg
from psycopg import sql

from slipway.feeds.mapping import FeedMapping
from slipway.sql.quote import quote_qualified


@dataclass(frozen=True)
class LoggedImport:
    started_at: datetime
    tenant: Any
    source_file: str | None
    added: int
    updated: int
    errors: int  # rows rejected


def logged_imports(
    conn: psycopg.Connection[Any], mapping: FeedMapping, limit: int = 200
) -> list[LoggedImport]:
    """The latest `limit` imports in the mapping's log table; [] without a log or its table."""
    if mapping.log is None:
        return []
    log = mapping.log
    found = conn.execute(
        "SELECT to_regclass(%s) IS NOT NULL", (quote_qualified(log.table),)
    ).fetchone()
    if not (found and found[0]):
        return []
    fields = ("started_at", "tenant", "source_file", "added", "updated", "errors")
    rows = conn.execute(
        sql.SQL("SELECT {} FROM {} ORDER BY {} DESC LIMIT %s").format(
            sql.SQL(", ").join(sql.Identifier(log.columns[f]) for f in fields),
            sql.Identifier(*log.table.split(".")),
            sql.Identifier(log.columns["started_at"]),
        ),
        (limit,),
    ).fetchall()
    return [LoggedImport(*row) for row in rows]
