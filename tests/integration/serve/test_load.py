"""50 concurrent scrapers all get answers while the database sees a bounded number of queries."""

from __future__ import annotations

import threading
import time
from typing import Any

import psycopg
from serve_helpers import fetch, in_threads, running

from slipway.config import Settings
from slipway.serve import build_app
from slipway.serve.source import APPLICATION_NAME

SCRAPERS = 50


def _burst(url: str) -> list[Any]:
    barrier = threading.Barrier(SCRAPERS)
    replies: list[Any] = [None] * SCRAPERS

    def scrape(i: int) -> None:
        barrier.wait()
        replies[i] = fetch(url, timeout=60)

    in_threads(SCRAPERS, scrape, 90)
    return replies


def test_fifty_scrapers_share_one_collection(db_url: str, serve_settings: Settings) -> None:
    app = build_app(serve_settings, ttl=30, health_ttl=30)
    source = app.state.source
    peak = 0
    stop = threading.Event()

    def watch() -> None:  # the database's view: how many serve sessions exist at once
        nonlocal peak
        with psycopg.connect(db_url, autocommit=True) as conn:
            while not stop.is_set():
                row = conn.execute(
                    # This database only: another worker's serve test runs beside this one.
                    "SELECT count(*) FROM pg_stat_activity"
                    " WHERE application_name = %s AND datname = current_database()",
                    (APPLICATION_NAME,),
                ).fetchone()
                peak = max(peak, int(row[0]) if row else 0)
                time.sleep(0.02)

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        with running(app) as base:
            assert fetch(base + "/metrics").status == 200  # one full collection, for scale
            one_cycle = source.queries
            source.snapshot.clear()
            source.health.clear()
            started = time.perf_counter()
            first = _burst(base + "/metrics")
            burst_seconds = time.perf_counter() - started
            after_first = source.queries
            second = _burst(base + "/metrics")
            after_second = source.queries
    finally:
        stop.set()
        watcher.join(10)
    assert [r.status for r in first + second] == [200] * (2 * SCRAPERS)
    assert all(b"slipway_database_up 1.0" in r.body for r in first + second)
    # The whole first burst cost one collection: the same statements as a single scrape.
    assert after_first - one_cycle == one_cycle
    assert source.snapshot.loads == 2 and source.health.loads == 2  # warm-up + burst
    assert after_second == after_first  # within the ttl: served from cache, no query at all
    assert 1 <= peak <= 2  # the pool's max_size
    print(
        f"\n50 scrapers: {burst_seconds:.2f} s, {one_cycle} statements per collection, peak {peak}"
    )
    assert burst_seconds < 30
