"""The sampler: every [serve] sample_interval, one reading of the database for the charts.

It runs in a thread of its own on a connection of its own (application_name
slipway-serve-sampler), outside the request pool, so scrapers and pages never wait for it and
its statements are not the requests'. The HTTP side stays read-only: this thread is the only
writer, and it writes only to its samples table. When the table cannot be written (a role
without the privilege, a standby, default_transaction_read_only) it says so in one line on
stderr and keeps the samples in memory instead; `samples = "memory"` never writes at all.
"""

from __future__ import annotations

import sys
import threading
from collections import deque
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

import psycopg

from slipway.serve import samples
from slipway.serve.queries import Sample, read_sample

if TYPE_CHECKING:
    from slipway.config_schema import ServeSection

SAMPLER_APPLICATION_NAME = "slipway-serve-sampler"
MEMORY_MAX = 20_000  # samples kept in memory at most, whatever the retention says
# Why a write may never succeed for this role or server: give up on the table, keep memory.
CANNOT_WRITE = (psycopg.errors.InsufficientPrivilege, psycopg.errors.ReadOnlySqlTransaction)


def _stderr(line: str) -> None:
    print(f"slipway serve: {line}", file=sys.stderr, flush=True)  # stderr of the moment


def _line(exc: BaseException) -> str:
    from slipway.db import mask_url

    return mask_url(" ".join(str(exc).split()) or type(exc).__name__)[:300]


class Sampler:
    def __init__(
        self,
        url: str,
        section: ServeSection,
        *,
        mode: str | None = None,
        log: Callable[[str], None] = _stderr,
    ) -> None:
        self.url = url
        self.configured = mode or section.samples  # table | memory | off
        self.mode = self.configured  # what it does now ("memory" once the table failed)
        self.table = section.samples_table
        self.interval = section.sample_interval
        self.retention = section.sample_retention
        self.log = log
        self.note: str | None = None  # why the samples are not where configured
        self.taken = 0  # samples taken since start (tests and the dashboard read it)
        self.pruned = 0
        keep = min(MEMORY_MAX, int(self.retention / self.interval) + 1)
        self.memory: deque[Sample] = deque(maxlen=keep)
        self._lock = threading.Lock()  # one tick at a time
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._conn: psycopg.Connection[Any] | None = None
        self._table_ready = False
        self._last_error: str | None = None

    def start(self) -> None:
        if self.mode == "off" or self._thread is not None:
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="slipway-sampler", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(15)
            self._thread = None
        with self._lock:
            self._drop()

    def _run(self) -> None:
        while not self._stop.is_set():
            self.tick()
            self._stop.wait(self.interval)

    def tick(self) -> None:
        """Take one sample and keep it (and prune the table); failures are logged, not raised."""
        with self._lock:
            try:
                conn = self._connection()
                sample = read_sample(conn)
            except psycopg.Error as exc:
                self._drop()
                self._complain(f"sampling failed: {_line(exc)}; retrying every {self.interval:g} s")
                return
            if self.mode == "table":
                self._keep_in_table(conn, sample)
            if self.mode == "memory":
                self._keep_in_memory(sample)
            self.taken += 1
            self._last_error = None

    def _keep_in_table(self, conn: psycopg.Connection[Any], sample: Sample) -> None:
        try:
            if not self._table_ready:
                samples.ensure_table(conn, self.table)
                self._table_ready = True
            samples.insert(conn, self.table, sample)
            self.pruned += samples.prune(conn, self.table, self.retention)
        except CANNOT_WRITE as exc:
            self.mode = "memory"
            self.note = f"cannot write to {self.table} ({_line(exc)}): samples kept in memory"
            self.log(
                f"cannot write samples to {self.table}: {_line(exc)}; keeping the last"
                f" {self.memory.maxlen} in memory instead (lost on restart). Grant this role"
                f" INSERT and DELETE on it (CREATE on its schema to create it), or set [serve]"
                f' samples = "memory" to stop trying'
            )
        except psycopg.Error as exc:
            self._drop()
            self._complain(f"keeping a sample in {self.table} failed: {_line(exc)}")

    def _keep_in_memory(self, sample: Sample) -> None:
        self.memory.append(sample)
        horizon = sample.at - timedelta(seconds=self.retention)
        while self.memory and self.memory[0].at < horizon:
            self.memory.popleft()

    def recent(
        self, conn: psycopg.Connection[Any], since: datetime, max_points: int
    ) -> list[Sample]:
        """Samples since `since`, oldest first, at most `max_points` (read from the table
        through `conn`, a pool connection, or from memory)."""
        if self.mode == "table":
            return samples.read(conn, self.table, since, max_points)
        kept = [s for s in list(self.memory) if s.at >= since]
        step = max(1, -(-len(kept) // max_points))
        return kept[::step]

    def _complain(self, message: str) -> None:
        if message != self._last_error:  # once per distinct problem, not once a minute
            self.log(message)
        self._last_error = message

    def _connection(self) -> psycopg.Connection[Any]:
        if self._conn is None or self._conn.closed:
            conn = psycopg.connect(
                self.url,
                autocommit=True,
                application_name=SAMPLER_APPLICATION_NAME,
                connect_timeout=5,
            )
            conn.execute("SET statement_timeout = '10s'")
            conn.execute("SET lock_timeout = '200ms'")
            self._conn = conn
        return self._conn

    def _drop(self) -> None:
        if self._conn is not None:
            self._conn.close()
        self._conn = None

    def status(self) -> dict[str, Any]:
        return {
            "configured": self.configured,
            "mode": self.mode,
            "table": self.table if self.mode == "table" else None,
            "interval_seconds": self.interval,
            "retention_seconds": self.retention,
            "taken": self.taken,
            "note": self.note,
        }
