"""The dashboard's charts as JSON, in uPlot's columnar form: `x` in Unix seconds, one array
per series aligned with it (null where a series has no value), optional `labels` per x.

Trends come from the samples (serve/sampler.py) over a window; events come from what slipway
already records: migration runs (the history table's run log), feed imports (each mapping's
import log) and maintenance runs (the runs table), the latest EVENTS of each.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import psycopg

from slipway.config import Settings
from slipway.serve.queries import Sample
from slipway.serve.sampler import Sampler

Conn = psycopg.Connection[Any]
Chart = dict[str, Any]
WINDOWS = {"1h": 3600, "6h": 6 * 3600, "24h": 86400, "7d": 7 * 86400}
DEFAULT_WINDOW = "24h"
MAX_POINTS = 720  # per trend chart; more samples are thinned evenly
EVENTS = 200
TOP_TABLES = 5


def chart(
    ident: str,
    title: str,
    unit: str,
    x: Sequence[float],
    series: Mapping[str, Sequence[float | None]],
    *,
    style: str = "line",
    labels: Sequence[str] | None = None,
    empty: str = "no data yet",
) -> Chart:
    """One chart; `style` line (trends) or points (events); `unit` bytes, s, %, or count."""
    out: Chart = {
        "id": ident,
        "title": title,
        "unit": unit,
        "style": style,
        "x": list(x),
        "series": [{"label": k, "values": list(v)} for k, v in series.items()],
        "empty": empty,
    }
    if labels is not None:
        out["labels"] = list(labels)
    return out


def build(
    conn: Conn, settings: Settings, sampler: Sampler, window: str, runs_table: str
) -> dict[str, Any]:
    """Every chart for `window` (a key of WINDOWS), read through `conn` (read-only)."""
    since = datetime.now(UTC) - timedelta(seconds=WINDOWS[window])
    charts = sample_charts(sampler.recent(conn, since, MAX_POINTS), sampler)
    charts.append(migration_chart(conn, settings))
    charts += feed_charts(conn, settings)
    charts.append(maintenance_chart(conn, runs_table))
    return {
        "generated_at": time.time(),
        "window": window,
        "windows": list(WINDOWS),
        "samples": sampler.status(),
        "charts": charts,
    }


def _sample_empty(sampler: Sampler) -> str:
    if sampler.mode == "off":
        return 'sampling is off ([serve] samples = "off")'
    return f"no samples in this window yet (one every {sampler.interval:g} s)"


def sample_charts(samples: list[Sample], sampler: Sampler) -> list[Chart]:
    x = [s.at.timestamp() for s in samples]
    empty = _sample_empty(sampler)
    states = sorted({state for s in samples for state in s.connections})
    connections = {st: [float(s.connections.get(st, 0)) for s in samples] for st in states}
    waits = {"waiting for a lock": [float(s.lock_waits) for s in samples]}
    out = [
        chart("connections", "Connections by state", "count", x, connections, empty=empty),
        chart("lock-waits", "Lock waits", "count", x, waits, empty=empty),
        chart("cache-hit", "Cache hit ratio", "%", x, {"cache hit": _hit_ratios(samples)},
              empty=empty),
    ]  # fmt: skip
    top = _top_tables(samples)
    for ident, title, unit, field in (
        ("table-sizes", "Table sizes", "bytes", "table_bytes"),
        ("index-sizes", "Index sizes", "bytes", "index_bytes"),
        ("dead-tuples", "Dead tuples", "count", "dead"),
    ):
        series = {name: _table_values(samples, key, field) for key, name in top}
        out.append(chart(ident, title, unit, x, series, empty=empty))
    return out


def _hit_ratios(samples: list[Sample]) -> list[float | None]:
    """Per interval: the blocks found in the cache among those read since the previous sample
    (null for the first, when nothing was read, or across a statistics reset)."""
    out: list[float | None] = [None] if samples else []
    for before, now in itertools.pairwise(samples):
        hit, read = now.blks_hit - before.blks_hit, now.blks_read - before.blks_read
        out.append(100.0 * hit / (hit + read) if hit >= 0 and read >= 0 and hit + read else None)
    return out


def _top_tables(samples: list[Sample]) -> list[tuple[tuple[str, str], str]]:
    """The TOP_TABLES largest tables of the newest sample, slipway's own left out (as the
    catalog leaves them out): (schema, name) and the label."""
    from fnmatch import fnmatchcase

    from slipway.catalog.introspect import DEFAULT_EXCLUDE_TABLES

    if not samples:
        return []
    theirs = [
        t
        for t in samples[-1].tables
        if not any(fnmatchcase(t.name, pattern) for pattern in DEFAULT_EXCLUDE_TABLES)
    ]
    newest = sorted(theirs, key=lambda t: -(t.table_bytes + t.index_bytes))
    return [
        ((t.schema, t.name), t.name if t.schema == "public" else f"{t.schema}.{t.name}")
        for t in newest[:TOP_TABLES]
    ]


def _table_values(samples: list[Sample], key: tuple[str, str], field: str) -> list[float | None]:
    out: list[float | None] = []
    for s in samples:
        found = next((t for t in s.tables if (t.schema, t.name) == key), None)
        out.append(float(getattr(found, field)) if found is not None else None)
    return out


def _aligned(
    events: Iterable[tuple[float, str, float, str]],
) -> tuple[list[float], dict[str, list[float | None]], list[str]]:
    """(x, series, value, label) events, oldest first, as aligned columns."""
    rows = sorted(events)
    names = list(dict.fromkeys(series for _, series, _, _ in rows))
    columns: dict[str, list[float | None]] = {n: [] for n in names}
    for _, series, value, _ in rows:
        for n in names:
            columns[n].append(value if n == series else None)
    return [r[0] for r in rows], columns, [r[3] for r in rows]


def migration_chart(conn: Conn, settings: Settings) -> Chart:
    from slipway.migrations.history import History

    events = []
    for run in History(settings.table).runs(conn, EVENTS):
        if run.action not in ("up", "down") or run.duration_ms is None:
            continue
        kind = run.action if run.outcome == "success" else "failed"
        label = f"{run.version} {run.name or ''} ({run.action}, {run.outcome})"
        events.append((run.started_at.timestamp(), kind, run.duration_ms / 1000, label))
    x, series, labels = _aligned(events)
    return chart(
        "migration-durations", "Migration durations", "s", x, series,
        style="points", labels=labels, empty="no migration has run yet",
    )  # fmt: skip


def feed_charts(conn: Conn, settings: Settings) -> list[Chart]:
    """One chart per mapping in the feeds folder that keeps an import log."""
    from slipway.errors import ConfigError
    from slipway.feeds.history import logged_imports
    from slipway.feeds.mapping import feeds_dir, load_mapping

    folder = feeds_dir(settings)
    out = []
    for path in sorted(folder.glob("*.toml")) if folder.is_dir() else []:
        try:
            mapping = load_mapping(path)
        except ConfigError as exc:
            out.append(chart(f"feed-{path.stem}", f"Feed {path.stem}", "count", [], {},
                             empty=str(exc)))  # fmt: skip
            continue
        if mapping.log is None:
            continue
        imports = list(reversed(logged_imports(conn, mapping, EVENTS)))
        x = [i.started_at.timestamp() for i in imports]
        series: dict[str, list[float | None]] = {
            "added": [float(i.added) for i in imports],
            "updated": [float(i.updated) for i in imports],
            "errors": [float(i.errors) for i in imports],
        }
        labels = [f"{i.source_file} (tenant {i.tenant})" for i in imports]
        out.append(chart(
            f"feed-{mapping.name}", f"Feed imports: {mapping.name} (rows per import)", "count",
            x, series, style="points", labels=labels,
            empty=f"no import logged in {mapping.log.table} yet",
        ))  # fmt: skip
    return out


def maintenance_chart(conn: Conn, runs_table: str) -> Chart:
    """Each rule run of `slipway maintain`: how long it took, by task; failures apart."""
    from slipway.maintain.runs import recent_runs

    events = []
    for run in recent_runs(conn, runs_table, limit=EVENTS * 5):
        if run["action"] != "run" or run["finished_at"] is None:
            continue
        seconds = (run["finished_at"] - run["started_at"]).total_seconds()
        kind = "failed" if run["outcome"] == "failed" else run["task"]
        label = f"{run['task']} {run['target']}: {run['outcome']}"
        events.append((run["started_at"].timestamp(), kind, seconds, label))
    x, series, labels = _aligned(events[:EVENTS])
    return chart(
        "maintenance-runs", "Maintenance runs (duration per rule run)", "s", x, series,
        style="points", labels=labels, empty="no maintenance recorded yet",
    )  # fmt: skip
