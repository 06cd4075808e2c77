"""What /metrics and the dashboard show, read in one pass over one pooled connection.

Every query here is read-only and set-based; `collect()` never raises for a database
problem: it returns a Snapshot whose `error` says what went wrong. Sizes, tuples and cache
hits are the statistics model's (slipway.catalog.stats, exact sizes); partitions and
materialized views are the Catalog's.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import psycopg

from slipway.catalog.introspect import introspect
from slipway.catalog.model import Catalog
from slipway.catalog.stats import Statistics, read_statistics
from slipway.config import Settings
from slipway.db import Conn

if TYPE_CHECKING:
    from slipway.maintain.partitions import PartitionedTable
LONG_QUERY_SECONDS = 60.0

ACTIVITY_SQL = """
SELECT coalesce(state, 'unknown'), count(*),
       count(*) FILTER (WHERE state = 'active' AND now() - query_start > make_interval(secs => %s)),
       coalesce(max(extract(epoch FROM now() - query_start)) FILTER (WHERE state = 'active'), 0),
       count(*) FILTER (WHERE cardinality(pg_blocking_pids(pid)) > 0)
FROM pg_stat_activity
WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'
GROUP BY 1
"""
SAMPLED_TABLES = 10  # the largest tables each sample keeps


@dataclass(frozen=True)
class TableSize:
    schema: str
    name: str
    table_bytes: int
    index_bytes: int
    live: int
    dead: int


@dataclass(frozen=True)
class MatView:
    schema: str
    name: str
    populated: bool
    refreshed_at: datetime | None  # by slipway maintain, from the runs table


@dataclass(frozen=True)
class PartitionInfo:
    table: str
    total: int
    ahead: int  # partitions whose whole range lies in the future
    has_default: bool


@dataclass
class Snapshot:
    collected_at: float
    error: str | None = None
    server_version: str = ""
    migrations: list[dict[str, Any]] | None = None
    migrations_error: str | None = None
    lock_held: bool | None = None
    tables: list[TableSize] = field(default_factory=list)
    tables_error: str | None = None
    matviews: list[MatView] = field(default_factory=list)
    partitions: list[PartitionInfo] = field(default_factory=list)
    connections: dict[str, int] = field(default_factory=dict)
    long_running: int = 0
    longest_seconds: float = 0.0
    blocked: int = 0
    cache_hit_ratio: float | None = None
    runs: list[dict[str, Any]] = field(default_factory=list)
    last_runs: dict[tuple[str, str], datetime] = field(default_factory=dict)
    collect_seconds: float = 0.0

    @property
    def reachable(self) -> bool:
        return self.error is None

    def migration_counts(self) -> dict[str, int]:
        counts = dict.fromkeys(("applied", "pending", "modified", "missing"), 0)
        for m in self.migrations or []:
            counts[m["state"]] = counts.get(m["state"], 0) + 1
        return counts

    def last_applied_at(self) -> datetime | None:
        times = [m["applied_at"] for m in self.migrations or [] if m.get("applied_at")]
        return max(times) if times else None


def collect(conn: Conn, settings: Settings, runs_table: str, max_tables: int = 100) -> Snapshot:
    started = time.perf_counter()
    snap = Snapshot(collected_at=time.time())
    snap.server_version = conn.info.parameter_status("server_version") or ""
    _migrations(conn, settings, snap)
    snap.tables, snap.tables_error = table_sizes(conn, max_tables)
    catalog = introspect(conn, kinds="pm", members=())
    _matviews(conn, catalog, runs_table, snap)
    snap.partitions = _partitions(conn, catalog)
    _activity(conn, snap)
    snap.cache_hit_ratio = read_statistics(conn, relations=False).database.cache_hit_ratio
    from slipway.maintain.runs import last_runs, recent_runs

    snap.runs = recent_runs(conn, runs_table, limit=15)
    snap.last_runs = last_runs(conn, runs_table)
    snap.collect_seconds = time.perf_counter() - started
    return snap


@dataclass(frozen=True)
class Sample:
    """One reading for the dashboard's charts (serve/sampler.py keeps them)."""

    at: datetime  # the server's now(), with its time zone
    connections: dict[str, int]  # client backends of this database by state
    lock_waits: int  # sessions waiting for another session's lock
    blks_hit: int
    blks_read: int
    database_bytes: int
    tables: tuple[TableSize, ...]  # the largest SAMPLED_TABLES


def read_sample(conn: Conn) -> Sample:
    """A Sample: the same readings the snapshot takes."""
    snap = Snapshot(collected_at=time.time())
    _activity(conn, snap)
    stats = read_statistics(conn, relations=False)
    db, at = stats.database, stats.collected_at or datetime.now(UTC)
    tables, _ = table_sizes(conn, SAMPLED_TABLES)
    return Sample(at, snap.connections, snap.blocked, db.blocks_hit, db.blocks_read, db.bytes,
                  tuple(tables))  # fmt: skip


def table_sizes(conn: Conn, limit: int) -> tuple[list[TableSize], str | None]:
    """The largest tables, or none and why: a size needs a share lock on the table, so while
    a migration holds an exclusive one the read gives up after the lock timeout instead of
    making the whole snapshot (and slipway_database_up) fail."""
    try:
        return _largest(read_statistics(conn, sizes="exact"), limit), None
    except psycopg.errors.LockNotAvailable:
        return [], "table sizes skipped: a table is locked exclusively (a migration running?)"


def migration_state(conn: Conn, settings: Settings) -> Snapshot:
    """Only what /readyz needs: the database answers, and the migrations' states."""
    snap = Snapshot(collected_at=time.time())
    snap.server_version = conn.info.parameter_status("server_version") or ""
    _migrations(conn, settings, snap)
    return snap


def _migrations(conn: Conn, settings: Settings, snap: Snapshot) -> None:
    from slipway.errors import SlipwayError
    from slipway.migrations.lock import is_locked
    from slipway.migrations.status import migration_status

    try:
        states = migration_status(conn, settings)
        snap.migrations = [
            {
                "version": s.version,
                "name": s.name,
                "state": s.state,
                "has_rollback": s.has_rollback,
                "rollback": s.rollback,
                "applied_at": s.applied_at,
            }
            for s in states
        ]
    except SlipwayError as exc:
        snap.migrations_error = str(exc)
    snap.lock_held = is_locked(conn, settings)


def _largest(stats: Statistics, limit: int) -> list[TableSize]:
    """The `limit` largest tables and materialized views (partitioned parents hold nothing)."""
    tables = [t for t in stats.tables if t.kind != "partitioned"]
    tables.sort(key=lambda t: (-t.total_bytes, t.schema, t.name))
    return [
        TableSize(t.schema, t.name, t.table_bytes, t.index_bytes, t.live_tuples, t.dead_tuples)
        for t in tables[:limit]
    ]


def _matviews(conn: Conn, catalog: Catalog, runs_table: str, snap: Snapshot) -> None:
    from slipway.maintain.runs import last_refreshes

    refreshed = last_refreshes(conn, runs_table)
    for m in catalog.matviews:
        when = refreshed.get(m.name) or refreshed.get(f"{m.schema}.{m.name}")
        snap.matviews.append(MatView(m.schema, m.name, m.populated, when))


def _partitions(conn: Conn, catalog: Catalog) -> list[PartitionInfo]:
    from slipway.errors import SlipwayError
    from slipway.maintain.partitions import from_catalog

    now = datetime.now(UTC).replace(tzinfo=None)
    out = []
    for parent in catalog.tables:
        if not parent.is_partitioned or parent.is_partition:
            continue
        name = parent.qualified
        try:
            table = from_catalog(parent, catalog, name)
        except SlipwayError:
            continue  # expression keys and other layouts maintenance does not handle
        ranged = table.ranged
        if ranged and isinstance(ranged[-1].lo, int):
            ahead = _int_ahead(conn, table)
        else:
            ahead = sum(1 for p in ranged if isinstance(p.lo, datetime) and p.lo > now)
        out.append(PartitionInfo(name, len(ranged), ahead, table.default is not None))
    return out


def _int_ahead(conn: Conn, table: PartitionedTable) -> int:
    from psycopg import sql

    row = conn.execute(
        sql.SQL("SELECT max({}) FROM {}").format(sql.Identifier(table.key), table.qualified)
    ).fetchone()
    top = row[0] if row and row[0] is not None else None
    return sum(1 for p in table.ranged if isinstance(p.lo, int) and (top is None or p.lo > top))


def _activity(conn: Conn, snap: Snapshot) -> None:
    for state, n, long_n, longest, blocked in conn.execute(
        ACTIVITY_SQL, (LONG_QUERY_SECONDS,)
    ).fetchall():
        snap.connections[state] = int(n)
        snap.long_running += int(long_n)
        snap.longest_seconds = max(snap.longest_seconds, float(longest))
        snap.blocked += int(blocked)
