"""A value recomputed at most once per `ttl` seconds, however many threads ask (single-flight).

50 scrapers arriving together cause one computation; the rest wait for it and share the
result (or, once a value exists, get the previous one at once while it is being reloaded). Failures are values too (the loader returns an error snapshot), so an unreachable
database is not hammered either.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")


class SingleFlight(Generic[T]):
    def __init__(self, load: Callable[[], T], ttl: float) -> None:
        self._load = load
        self.ttl = ttl
        self._lock = threading.Lock()
        self._value: T | None = None
        self._at = 0.0
        self.loads = 0  # how many times the loader ran (tests and metrics read it)

    def _fresh(self) -> T | None:
        if self._value is not None and time.monotonic() - self._at < self.ttl:
            return self._value
        return None

    def get(self) -> T:
        value = self._fresh()
        if value is not None:
            return value
        stale = self._value
        if stale is None:
            self._lock.acquire()
        elif not self._lock.acquire(blocking=False):
            return stale  # another thread is reloading: the previous copy, not a queue
        try:
            value = self._fresh()  # another thread may have loaded it while we waited
            if value is not None:
                return value
            value = self._load()
            self.loads += 1
            self._value, self._at = value, time.monotonic()
            return value
        finally:
            self._lock.release()

    def peek(self) -> T | None:
        """The last value loaded, however old (a loader keeps it when a reload fails)."""
        return self._value

    def age(self) -> float:
        return time.monotonic() - self._at if self._value is not None else 0.0

    def clear(self) -> None:
        with self._lock:
            self._value = None
