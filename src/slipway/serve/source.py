"""The service's only ways to the database: a small pool, the probes' own connection, and
cached, single-flight reads (snapshot, health report, heavy pages).

Pool connections are read-only (default_transaction_read_only), time-limited, and count the
statements they send, so a test (and /metrics) can show scrapers do not pile up queries.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

import psycopg
from psycopg_pool import PoolTimeout

from slipway.config import Settings
from slipway.serve.cache import SingleFlight
from slipway.serve.charts import WINDOWS
from slipway.serve.charts import build as build_charts
from slipway.serve.probe import ProbeConnection
from slipway.serve.queries import Snapshot, collect, migration_state
from slipway.serve.sampler import Sampler

APPLICATION_NAME = "slipway-serve"


@dataclass
class HealthView:
    report: Any = None  # slipway.report.model.Report
    error: str | None = None


@dataclass(frozen=True)
class DriftView:
    """The live schema against its applied migrations (built on a scratch database)."""

    changes: list[str] | None = None  # one line per difference; None when unknown
    error: str | None = None


@dataclass(frozen=True)
class Rendered:
    """A heavy page: its HTML, or why there is none (the view answers 503 then)."""

    html: str | None = None
    error: str | None = None


def db_label(url: str) -> str:
    """`dbname on host:port`: enough to recognise, never the user, password or full URL."""
    from psycopg.conninfo import conninfo_to_dict

    try:
        info = conninfo_to_dict(url)
    except psycopg.ProgrammingError:
        return "database"
    host = str(info.get("host") or "local socket")
    port = f":{info['port']}" if info.get("port") else ""
    return f"{info.get('dbname') or 'database'} on {host}{port}"


def _error_line(exc: BaseException) -> str:
    from slipway.db import mask_url

    text = " ".join(str(exc).split()) or type(exc).__name__
    return mask_url(text)[:300]


class DataSource:
    def __init__(
        self,
        settings: Settings,
        url: str,
        *,
        ttl: float = 5.0,
        health_ttl: float = 60.0,
        runs_table: str | None = None,
        ready_on_drift: str = "ignore",
        samples: str | None = None,
    ) -> None:
        from psycopg_pool import ConnectionPool

        from slipway.config import pool_settings

        self.settings = settings
        self.url = url
        self.label = db_label(url)
        self.runs_table = runs_table or settings.config.maintain.runs_table
        self.queries = 0
        self._count_lock = threading.Lock()
        pool = pool_settings(settings)  # [pool] of slipway.toml, as the health report shows it
        self.pool = ConnectionPool(
            url,
            min_size=int(pool["min_size"]),
            max_size=int(pool["max_size"]),
            max_idle=pool["max_idle"],
            max_lifetime=pool["max_lifetime"],
            open=False,
            timeout=pool["timeout"],
            name=APPLICATION_NAME,
            kwargs={"autocommit": True, "application_name": APPLICATION_NAME, "connect_timeout": 5},
            configure=self._configure,
        )
        self.snapshot = SingleFlight(self._load_snapshot, ttl)
        self.health = SingleFlight(self._load_health, health_ttl)
        self.probe_conn = ProbeConnection(url, self._configure)
        self.probe = SingleFlight(self._load_probe, ttl)  # what /readyz reads
        # `fail`: /readyz also fails while the schema has drifted from its migrations; the
        # check builds a scratch database, so it is reused for the health report's ttl.
        self.ready_on_drift = ready_on_drift
        self.drift = SingleFlight(self._load_drift, health_ttl)
        # The charts' readings, on a connection and thread of their own (`samples`: table |
        # memory | off, default [serve] samples); the charts are read through the pool.
        self.sampler = Sampler(url, settings.config.serve, mode=samples)
        self.charts = {
            window: SingleFlight(partial(self._load_charts, window), ttl) for window in WINDOWS
        }

    def open(self) -> None:
        self.pool.open(wait=False)
        self.sampler.start()

    def close(self) -> None:
        self.sampler.stop()
        self.pool.close()
        self.probe_conn.close()

    def count_query(self) -> None:
        with self._count_lock:
            self.queries += 1

    def _configure(self, conn: psycopg.Connection[Any]) -> None:
        source = self

        class CountingCursor(psycopg.Cursor[Any]):
            def execute(self, *args: Any, **kwargs: Any) -> Any:
                source.count_query()
                return super().execute(*args, **kwargs)

        conn.execute("SET default_transaction_read_only = on")
        conn.execute("SET statement_timeout = '10s'")
        conn.execute("SET lock_timeout = '1s'")
        conn.execute("SET datestyle = 'ISO, YMD'")
        conn.cursor_factory = CountingCursor

    def _load_snapshot(self) -> Snapshot:
        try:
            with self.pool.connection() as conn:
                return collect(conn, self.settings, self.runs_table)
        except PoolTimeout as exc:  # a busy pool is not a down database: keep the last one
            return self.snapshot.peek() or Snapshot(time.time(), error=_error_line(exc))
        except Exception as exc:  # noqa: BLE001 - a failure is reported as a value, never a 500
            return Snapshot(collected_at=time.time(), error=_error_line(exc))

    def _load_probe(self) -> Snapshot:
        """Reachability and migration state only, on the probes' own connection."""
        try:
            return self.probe_conn.run(lambda conn: migration_state(conn, self.settings))
        except Exception as exc:  # noqa: BLE001 - unreachable is an answer, never a 500
            return Snapshot(collected_at=time.time(), error=_error_line(exc))

    def _load_drift(self) -> DriftView:
        from slipway.db import server_url
        from slipway.migrations.layouts import load_folder
        from slipway.verify.drift import detect_drift
        from slipway.verify.scratch import scratch_database

        try:
            mset = load_folder(self.settings.migrations_dir)
            # A connection of its own (not the pool's): the comparison reads the whole catalog.
            with (
                scratch_database(server_url(self.settings)) as scratch,
                psycopg.connect(self.url, autocommit=True, connect_timeout=5) as target,
            ):
                report = detect_drift(target, scratch, mset, self.settings.table)
            return DriftView(changes=[c.message for c in report.changes])
        except Exception as exc:  # noqa: BLE001 - an unknown drift is an answer, never a 500
            return DriftView(error=_error_line(exc))

    def _load_charts(self, window: str) -> dict[str, Any]:
        try:
            with self.pool.connection() as conn:
                return build_charts(conn, self.settings, self.sampler, window, self.runs_table)
        except Exception as exc:  # noqa: BLE001 - a failed read is an answer, never a 500
            previous = self.charts[window].peek()  # a busy pool: the last charts, if any
            if previous is not None and "error" not in previous:
                return previous
            return {"error": _error_line(exc), "window": window, "charts": []}

    def page(
        self, render: Callable[[psycopg.Connection[Any], Settings], str]
    ) -> SingleFlight[Rendered]:
        """A heavy page, rendered by one request at a time through the pool and reused for the
        snapshot's ttl; when a render fails, the previous copy is kept if there is one."""

        def load() -> Rendered:
            try:
                with self.pool.connection() as conn:
                    return Rendered(html=render(conn, self.settings))
            except Exception as exc:  # noqa: BLE001 - a busy pool or a failed render is a 503
                previous = cache.peek()
                return previous if previous and previous.html else Rendered(error=_error_line(exc))

        cache = SingleFlight(load, self.snapshot.ttl)
        return cache

    def _load_health(self) -> HealthView:
        try:
            from slipway.health.engine import DoctorOptions, run_doctor
        except ImportError as exc:
            return HealthView(error=f"health checks are not available ({exc})")
        snap = self.snapshot.get()
        if not snap.reachable:  # do not wait for the pool a second time
            return HealthView(error=f"database unreachable: {snap.error}")
        try:
            with self.pool.connection() as conn:
                options = DoctorOptions(crud=False, database_label=self.label)
                return HealthView(report=run_doctor(conn, self.settings, options))
        except Exception as exc:  # noqa: BLE001 - a broken check must not break the page
            return HealthView(error=_error_line(exc))

    def pool_stats(self) -> dict[str, int]:
        return dict(self.pool.get_stats())
