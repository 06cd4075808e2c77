"""/metrics: a prometheus_client Collector built from the cached snapshot and health report."""

from __future__ import annotations

import time
from collections.abc import Iterator

from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import Collector, CollectorRegistry

from slipway.serve.queries import Snapshot
from slipway.serve.source import DataSource

STATUS_VALUE = {"pass": 0, "warn": 1, "fail": 2}
# psycopg_pool's get_stats() key -> metric name (its keys already say "pool").
POOL_GAUGES = {
    "pool_min": "slipway_pool_min",
    "pool_max": "slipway_pool_max",
    "pool_size": "slipway_pool_size",
    "pool_available": "slipway_pool_available",
    "requests_waiting": "slipway_pool_requests_waiting",
}


def _gauge(name: str, doc: str, labels: list[str] | None = None) -> GaugeMetricFamily:
    return GaugeMetricFamily(name, doc, labels=labels)


class SlipwayCollector(Collector):
    def __init__(self, source: DataSource) -> None:
        self.source = source

    def describe(self) -> list[Metric]:
        return []  # no database access when the collector is registered

    def collect(self) -> Iterator[Metric]:
        snap = self.source.snapshot.get()
        up = _gauge("slipway_database_up", "1 when the database answered the last collection")
        up.add_metric([], 1.0 if snap.reachable else 0.0)
        yield up
        yield from self._service(snap)
        if snap.reachable:
            yield from _migrations(snap)
            yield from _tables(snap)
            yield from _matviews(snap)
            yield from _activity(snap)
            yield from self._health()

    def _service(self, snap: Snapshot) -> Iterator[Metric]:
        q = CounterMetricFamily("slipway_serve_db_queries", "Statements this service sent")
        q.add_metric([], float(self.source.queries))
        yield q
        c = _gauge("slipway_serve_collect_seconds", "Time the last snapshot took to read")
        c.add_metric([], snap.collect_seconds)
        yield c
        age = _gauge("slipway_serve_snapshot_age_seconds", "Age of the cached snapshot served")
        age.add_metric([], max(0.0, time.time() - snap.collected_at))
        yield age
        stats = self.source.pool_stats()
        for key, name in POOL_GAUGES.items():
            g = _gauge(name, f"psycopg_pool get_stats() {key}")
            g.add_metric([], float(stats.get(key, 0)))
            yield g
        sampler = self.source.sampler
        taken = CounterMetricFamily("slipway_serve_samples", "Samples taken for the charts")
        taken.add_metric([], float(sampler.taken))
        yield taken
        memory = _gauge(
            "slipway_serve_samples_in_memory",
            "1 while samples are kept in memory only (configured so, or the table is not writable)",
        )
        memory.add_metric([], 1.0 if sampler.mode == "memory" else 0.0)
        yield memory
        for key in ("requests_num", "requests_queued", "connections_num", "requests_errors"):
            counter = CounterMetricFamily(f"slipway_pool_{key}", f"psycopg_pool {key}")
            counter.add_metric([], float(stats.get(key, 0)))
            yield counter

    def _health(self) -> Iterator[Metric]:
        view = self.source.health.get()
        if view.report is None:
            return
        overall = _gauge("slipway_health_status", "Health verdict: 0 pass, 1 warn, 2 fail")
        overall.add_metric([], float(STATUS_VALUE[view.report.status]))
        yield overall
        g = _gauge(
            "slipway_health_check_status",
            "Each health check: 0 pass, 1 warn, 2 fail",
            ["code", "name", "category"],
        )
        for check in view.report.checks:
            g.add_metric(
                [check.code, check.name, check.category], float(STATUS_VALUE[check.status])
            )
        yield g


def _migrations(snap: Snapshot) -> Iterator[Metric]:
    if snap.migrations is not None:
        g = _gauge("slipway_migrations", "Migrations by state", ["state"])
        for state, n in snap.migration_counts().items():
            g.add_metric([state], float(n))
        yield g
        last = snap.last_applied_at()
        if last is not None:
            t = _gauge(
                "slipway_migration_last_applied_timestamp_seconds",
                "When the newest applied migration was applied",
            )
            t.add_metric([], last.timestamp())
            yield t
    if snap.lock_held is not None:
        lock = _gauge("slipway_migration_lock_held", "1 while a slipway run holds the lock")
        lock.add_metric([], 1.0 if snap.lock_held else 0.0)
        yield lock


def _tables(snap: Snapshot) -> Iterator[Metric]:
    labels = ["schema", "table"]
    size = _gauge("slipway_table_size_bytes", "Table size without indexes", labels)
    idx = _gauge("slipway_table_index_size_bytes", "Size of the table's indexes", labels)
    dead = _gauge("slipway_table_dead_tuples", "Dead tuples (pg_stat_user_tables)", labels)
    live = _gauge("slipway_table_live_tuples", "Live tuples (pg_stat_user_tables)", labels)
    for t in snap.tables:
        key = [t.schema, t.name]
        size.add_metric(key, float(t.table_bytes))
        idx.add_metric(key, float(t.index_bytes))
        dead.add_metric(key, float(t.dead))
        live.add_metric(key, float(t.live))
    yield from (size, idx, dead, live)
    ahead = _gauge("slipway_partitions_ahead", "Partitions wholly in the future", ["table"])
    total = _gauge("slipway_partitions", "Attached range partitions", ["table"])
    for p in snap.partitions:
        ahead.add_metric([p.table], float(p.ahead))
        total.add_metric([p.table], float(p.total))
    yield from (ahead, total)


def _matviews(snap: Snapshot) -> Iterator[Metric]:
    labels = ["schema", "view"]
    populated = _gauge("slipway_matview_populated", "1 when the view holds data", labels)
    refreshed = _gauge(
        "slipway_matview_last_refresh_timestamp_seconds", "Last refresh by slipway maintain", labels
    )
    age = _gauge("slipway_matview_age_seconds", "Seconds since slipway last refreshed it", labels)
    now = time.time()
    for v in snap.matviews:
        populated.add_metric([v.schema, v.name], 1.0 if v.populated else 0.0)
        if v.refreshed_at is not None:
            refreshed.add_metric([v.schema, v.name], v.refreshed_at.timestamp())
            age.add_metric([v.schema, v.name], max(0.0, now - v.refreshed_at.timestamp()))
    yield from (populated, refreshed, age)
    runs = _gauge(
        "slipway_maintenance_last_success_timestamp_seconds",
        "When each [maintain] rule last ran without failure",
        ["task", "target"],
    )
    for (task, target), when in sorted(snap.last_runs.items()):
        runs.add_metric([task, target], when.timestamp())
    yield runs


def _activity(snap: Snapshot) -> Iterator[Metric]:
    conns = _gauge("slipway_connections", "Client connections to this database by state", ["state"])
    for state, n in sorted(snap.connections.items()):
        conns.add_metric([state], float(n))
    yield conns
    values: list[tuple[str, str, float | None]] = [
        (
            "slipway_cache_hit_ratio",
            "Buffer cache hit ratio of this database",
            snap.cache_hit_ratio,
        ),
        (
            "slipway_long_running_queries",
            "Active queries running longer than 60 s",
            float(snap.long_running),
        ),
        ("slipway_longest_query_seconds", "Longest-running active query", snap.longest_seconds),
        (
            "slipway_blocked_queries",
            "Sessions waiting for another session's lock",
            float(snap.blocked),
        ),
    ]
    for name, doc, value in values:
        if value is not None:
            g = _gauge(name, doc)
            g.add_metric([], value)
            yield g


def render(source: DataSource) -> tuple[bytes, str]:
    from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

    registry = CollectorRegistry(auto_describe=False)
    registry.register(SlipwayCollector(source))
    return generate_latest(registry), CONTENT_TYPE_LATEST
