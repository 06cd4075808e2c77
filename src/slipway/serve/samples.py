"""slipway_serve_samples: what `slipway serve` samples for the dashboard's charts, kept in
the database it serves ([serve] samples_table; one row per sample, pruned in batches).

PostgreSQL keeps only the present (sizes, dead tuples, connections, lock waits) and running
totals (cache hits): a trend needs readings taken over time. A row holds the database-wide
values and the largest tables as JSON, so a week at one sample a minute is ~10,000 rows.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import psycopg
from psycopg import sql
from psycopg.types.json import Jsonb

from slipway.maintain.runs import create_table, ident, table_exists
from slipway.serve.queries import Sample, TableSize

Conn = psycopg.Connection[Any]
PRUNE_BATCH = 1000  # rows per DELETE, each its own transaction
PRUNE_MAX_BATCHES = 20  # per sample; a larger backlog waits for the next one

DDL = """
CREATE TABLE IF NOT EXISTS {table} (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    sampled_at     timestamptz NOT NULL,
    connections    jsonb NOT NULL,
    lock_waits     integer NOT NULL,
    blks_hit       bigint NOT NULL,
    blks_read      bigint NOT NULL,
    database_bytes bigint NOT NULL,
    tables         jsonb NOT NULL
);
CREATE INDEX IF NOT EXISTS {index} ON {table} (sampled_at)
"""
COLUMNS = "sampled_at, connections, lock_waits, blks_hit, blks_read, database_bytes, tables"


def ensure_table(conn: Conn, table: str) -> None:
    """Create the table once; two services starting together do not race on it."""
    create_table(conn, table, DDL, "_sampled_at_idx")


def insert(conn: Conn, table: str, sample: Sample) -> None:
    tables = [
        {"schema": t.schema, "name": t.name, "data": t.table_bytes, "indexes": t.index_bytes,
         "live": t.live, "dead": t.dead}
        for t in sample.tables
    ]  # fmt: skip
    conn.execute(
        sql.SQL("INSERT INTO {} (" + COLUMNS + ") VALUES (%s, %s, %s, %s, %s, %s, %s)").format(
            ident(table)
        ),
        (
            sample.at,
            Jsonb(sample.connections),
            sample.lock_waits,
            sample.blks_hit,
            sample.blks_read,
            sample.database_bytes,
            Jsonb(tables),
        ),
    )


def prune(conn: Conn, table: str, retention_seconds: float) -> int:
    """Delete samples older than the retention, PRUNE_BATCH rows per statement (short
    transactions, no long lock on a large backlog); returns how many went."""
    statement = sql.SQL(
        "DELETE FROM {t} WHERE id IN (SELECT id FROM {t}"
        " WHERE sampled_at < now() - make_interval(secs => %s) ORDER BY id LIMIT %s)"
    ).format(t=ident(table))
    deleted = 0
    for _ in range(PRUNE_MAX_BATCHES):
        gone = conn.execute(statement, (retention_seconds, PRUNE_BATCH)).rowcount
        deleted += gone
        if gone < PRUNE_BATCH:
            break
    return deleted


def read(conn: Conn, table: str, since: datetime, max_points: int) -> list[Sample]:
    """Samples taken since `since`, oldest first, thinned evenly to at most `max_points`."""
    if not table_exists(conn, table):
        return []
    rows = conn.execute(
        sql.SQL(
            "SELECT " + COLUMNS + " FROM (SELECT *, row_number() OVER (ORDER BY sampled_at) - 1"
            " AS n, count(*) OVER () AS total FROM {} WHERE sampled_at >= %s) s"
            " WHERE n %% greatest(1, ceil(total::float8 / %s)::bigint) = 0 ORDER BY sampled_at"
        ).format(ident(table)),
        (since, max_points),
    ).fetchall()
    return [_sample(*row) for row in rows]


def _sample(
    at: datetime,
    connections: dict[str, int],
    lock_waits: int,
    hit: int,
    read: int,
    size: int,
    tables: list[dict[str, Any]],
) -> Sample:
    sizes = tuple(
        TableSize(t["schema"], t["name"], t["data"], t["indexes"], t["live"], t["dead"])
        for t in tables
    )
    return Sample(at.astimezone(UTC), connections, lock_waits, hit, read, size, sizes)
