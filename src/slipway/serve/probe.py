"""The probes' own connection, outside the shared pool.

A pool busy with dashboard pages is not a database that is down: /readyz reads through this
one connection (opened on first use, reopened once if the server dropped it), so it reports
"unreachable" only when a fresh connection cannot be made.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TypeVar

import psycopg

T = TypeVar("T")
from slipway.db import Conn

PROBE_APPLICATION_NAME = "slipway-serve-probe"


class ProbeConnection:
    def __init__(self, url: str, configure: Callable[[Conn], None]) -> None:
        self._url = url
        self._configure = configure
        self._lock = threading.Lock()
        self._conn: Conn | None = None

    def _connect(self) -> Conn:
        conn = psycopg.connect(
            self._url,
            autocommit=True,
            application_name=PROBE_APPLICATION_NAME,
            connect_timeout=5,
        )
        self._configure(conn)
        return conn

    def run(self, work: Callable[[Conn], T]) -> T:
        """`work(conn)` on the probe connection, one caller at a time."""
        with self._lock:
            reused = self._conn is not None and not self._conn.closed
            if not reused:
                self._conn = self._connect()
            assert self._conn is not None
            try:
                return work(self._conn)
            except psycopg.OperationalError:
                self._drop()
                if not reused:
                    raise
            self._conn = self._connect()  # a dropped connection (server restart): once more
            return work(self._conn)

    def _drop(self) -> None:
        if self._conn is not None:
            self._conn.close()
        self._conn = None

    def close(self) -> None:
        with self._lock:
            self._drop()
