"""100 concurrent clients on the heavy pages: no 5xx but 503, and /readyz stays ready.

Bounded: loopback only, a fixed number of requests per client and a deadline for starting
new ones. It asserts behaviour, never speed (bench/serve_load.py measures that).
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from pathlib import Path

from serve_helpers import Reply, apply_all, fetch, in_threads, running, write_migration

from slipway.config import Settings, load_settings
from slipway.serve import build_app

CLIENTS = 100
PER_CLIENT = 4
LOAD_SECONDS = 3.0
TABLES = 60  # enough catalog that one /docs render takes a noticeable while
PATHS = ("/docs", "/guide", "/metrics", "/")


def _schema(project: Path, db_url: str) -> Settings:
    """A few tables for the catalog pages, and a pool that gives up quickly when busy."""
    (project / "slipway.toml").write_text("[pool]\ntimeout = 1\n", encoding="utf-8")
    tables = "\n".join(
        f"CREATE TABLE t{i} (id bigint PRIMARY KEY, name text NOT NULL, note text,"
        f" up bigint REFERENCES t{max(i - 1, 0)} (id)); CREATE INDEX ON t{i} (name);"
        for i in range(TABLES)
    )
    write_migration(project, "0001_tables", tables)
    settings = load_settings(database_url=db_url, project_dir=project)
    apply_all(settings)
    return settings


def _load(base: str) -> list[tuple[str, Reply]]:
    barrier = threading.Barrier(CLIENTS)
    results: list[tuple[str, Reply]] = []
    lock = threading.Lock()

    def client(i: int) -> None:
        barrier.wait()
        deadline = time.monotonic() + LOAD_SECONDS
        for n in range(PER_CLIENT):
            if time.monotonic() > deadline:
                break
            path = PATHS[(i + n) % len(PATHS)]
            reply = fetch(base + path, timeout=60)
            with lock:
                results.append((path, reply))

    in_threads(CLIENTS, client, 120)
    return results


def _probe_during(base: str, stop: threading.Event, seen: list[Reply]) -> None:
    while not stop.is_set():
        seen.append(fetch(base + "/readyz", timeout=60))
        seen.append(fetch(base + "/healthz", timeout=60))
        time.sleep(0.05)


def test_heavy_pages_under_load(project: Path, db_url: str) -> None:
    settings = _schema(project, db_url)
    app = build_app(settings, ttl=0.2, health_ttl=0.2)  # expire often: renders keep happening
    probes: list[Reply] = []
    stop = threading.Event()
    with running(app) as base:
        prober = threading.Thread(target=_probe_during, args=(base, stop, probes))
        prober.start()
        try:
            results = _load(base)
        finally:
            stop.set()
            prober.join(60)
    statuses = Counter((path, r.status) for path, r in results)
    assert len(results) >= CLIENTS, statuses
    assert {r.status for _, r in results} <= {200, 503}, statuses
    for path in PATHS:
        assert statuses[(path, 200)] > 0, statuses  # every page was served, not only refused
    for _, r in results:
        if r.status == 503:  # busy: say when to come back, in one line, no traceback
            assert r.headers.get("retry-after", "").isdigit(), r.headers
            assert r.text.count("\n") <= 1 and "Traceback" not in r.text, r.text
    assert probes and all(p.status == 200 for p in probes), [
        p.text for p in probes if p.status != 200
    ]
    ready = [p.json() for p in probes if b'"ready"' in p.body]
    assert ready and all(body["ready"] is True for body in ready), ready
    docs = next(r for path, r in results if path == "/docs" and r.status == 200)
    assert "t59" in docs.text  # the catalog page shows the schema
