"""serve samples the database into slipway_serve_samples (or memory), prunes it past the
retention in batches, and /api/charts returns the series the dashboard draws."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import psycopg
import pytest
from chart_fixtures import fill, sampling_project
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict, make_conninfo
from serve_helpers import fetch, running

from slipway.config import load_settings
from slipway.serve import build_app, samples

TABLE = "slipway_serve_samples"


def wait_for(check: Callable[[], Any], seconds: float = 20) -> Any:
    deadline = time.monotonic() + seconds
    while not (value := check()):
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting")
        time.sleep(0.1)
    return value


def rows(conn: psycopg.Connection[Any], where: str = "true") -> int:
    row = conn.execute(f"SELECT count(*) FROM {TABLE} WHERE {where}").fetchone()
    return int(row[0]) if row else 0


def charts(base: str, window: str = "1h") -> dict[str, Any]:
    reply = fetch(f"{base}/api/charts?window={window}")
    assert reply.status == 200, reply.text
    return {c["id"]: c for c in reply.json()["charts"]} | {"": reply.json()}


def test_sampling_writes_rows_and_the_charts_read_them(
    project: Path, db_url: str, db_conn: psycopg.Connection[Any]
) -> None:
    settings = sampling_project(project, db_url)
    fill(project, settings, db_conn)
    app = build_app(settings, ttl=0.05)
    with running(app) as base:
        wait_for(lambda: db_conn.execute(f"SELECT to_regclass('{TABLE}')").fetchone()[0])
        wait_for(lambda: rows(db_conn) >= 3)  # the thread samples on its own, once a second
        got = charts(base)
        bad = fetch(f"{base}/api/charts?window=2y")
        metrics = fetch(base + "/metrics").text
    status = got[""]["samples"]
    assert status["mode"] == "table" and status["table"] == TABLE and status["taken"] >= 3
    row = db_conn.execute(
        f"SELECT connections, lock_waits, blks_hit + blks_read, database_bytes, tables,"
        f" avg(pg_column_size(s.*)) OVER () FROM {TABLE} s ORDER BY sampled_at DESC LIMIT 1"
    ).fetchone()
    assert row is not None
    connections, waits, blocks, size, tables, row_bytes = row
    assert sum(connections.values()) >= 1 and waits == 0 and blocks > 0 and size > 0
    leads = next(t for t in tables if t["name"] == "leads")
    assert leads["dead"] > 0 and leads["data"] > 0 and leads["indexes"] > 0
    print(f"\none sample: {float(row_bytes):.0f} bytes ({len(tables)} tables)")

    assert len(got["connections"]["x"]) >= 3
    assert {s["label"] for s in got["connections"]["series"]} >= {"idle"}
    sizes = {s["label"]: s["values"] for s in got["table-sizes"]["series"]}
    assert sizes["leads"][-1] == leads["data"]
    dead = {s["label"]: s["values"] for s in got["dead-tuples"]["series"]}
    assert dead["leads"][-1] == leads["dead"]
    hit = got["cache-hit"]["series"][0]["values"]
    assert hit[0] is None and all(v is None or 0 <= v <= 100 for v in hit)

    migrations = got["migration-durations"]
    assert [label.split()[0] for label in migrations["labels"]] == ["0001", "0002", "0003"]
    slow = migrations["series"][0]["values"][2]
    assert migrations["series"][0]["label"] == "up" and slow >= 0.3
    feed = {s["label"]: s["values"] for s in got["feed-leads"]["series"]}
    assert feed["added"] == [300, 150, 20] and feed["updated"] == [0, 200, 0]
    assert feed["errors"][-1] >= 1
    maintenance = got["maintenance-runs"]
    assert maintenance["labels"] == ["views lead_counts: ok"]
    assert bad.status == 400 and "1h, 6h, 24h, 7d" in bad.json()["error"]
    assert "slipway_serve_samples_in_memory 0.0" in metrics
    assert "slipway_serve_samples_total " in metrics


def test_retention_prunes_old_samples_in_batches(
    project: Path, db_url: str, db_conn: psycopg.Connection[Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = sampling_project(project, db_url)
    monkeypatch.setattr(samples, "PRUNE_BATCH", 100)
    monkeypatch.setattr(samples, "PRUNE_MAX_BATCHES", 3)
    app = build_app(settings, ttl=0.05)
    sampler = app.state.source.sampler
    with running(app):
        wait_for(lambda: sampler.taken >= 1)
        sampler.stop()  # from here on, samples are taken by hand: one prune each
        db_conn.execute(
            f"INSERT INTO {TABLE} (sampled_at, connections, lock_waits, blks_hit, blks_read,"
            " database_bytes, tables) SELECT now() - interval '2 hours' - g * interval '1 s',"
            " connections, lock_waits, blks_hit, blks_read, database_bytes, tables"
            f" FROM (SELECT * FROM {TABLE} LIMIT 1) s, generate_series(1, 450) g"
        )
        recent = rows(db_conn, "sampled_at > now() - interval '1 hour'")
        assert rows(db_conn, "sampled_at < now() - interval '1 hour'") == 450
        sampler.tick()
        after_one = rows(db_conn, "sampled_at < now() - interval '1 hour'")
        sampler.tick()
        after_two = rows(db_conn, "sampled_at < now() - interval '1 hour'")
    assert after_one == 150  # 3 batches of 100 in one sample
    assert after_two == 0
    assert rows(db_conn) == recent + 2  # nothing younger than the retention went


@pytest.mark.parametrize("why", ["no privilege", "read-only database"])
def test_a_role_that_cannot_write_keeps_samples_in_memory(
    why: str,
    project: Path,
    db_url: str,
    db_conn: psycopg.Connection[Any],
    capsys: pytest.CaptureFixture[str],
) -> None:
    role = f"slipway_reader_{uuid.uuid4().hex[:8]}"
    info = conninfo_to_dict(db_url)
    url = db_url
    if why == "no privilege":
        db_conn.execute(sql.SQL("CREATE ROLE {} LOGIN").format(sql.Identifier(role)))
        url = make_conninfo(**(info | {"user": role}))
    else:
        db_conn.execute(
            sql.SQL("ALTER DATABASE {} SET default_transaction_read_only = on").format(
                sql.Identifier(str(info["dbname"]))
            )
        )
    try:
        settings = sampling_project(project, url)
        app = build_app(settings, ttl=0.05)
        with running(app) as base:
            wait_for(lambda: app.state.source.sampler.taken >= 2)
            got = charts(base)
            metrics = fetch(base + "/metrics").text
        table = db_conn.execute(f"SELECT to_regclass('{TABLE}')").fetchone()
    finally:
        if why == "no privilege":
            db_conn.execute(sql.SQL("DROP OWNED BY {}").format(sql.Identifier(role)))
            db_conn.execute(sql.SQL("DROP ROLE {}").format(sql.Identifier(role)))
    status = got[""]["samples"]
    assert status["configured"] == "table" and status["mode"] == "memory"
    assert status["note"].startswith(f"cannot write to {TABLE}")
    assert table == (None,)
    assert len(got["connections"]["x"]) >= 2  # the charts still have their points
    assert "slipway_serve_samples_in_memory 1.0" in metrics
    err = capsys.readouterr().err
    warned = [line for line in err.splitlines() if "cannot write samples" in line]
    assert len(warned) == 1, err  # one line, not one per sample
    assert warned[0].startswith(f"slipway serve: cannot write samples to {TABLE}: ")
    assert 'set [serve] samples = "memory"' in warned[0] and "Traceback" not in err


def test_memory_and_off_never_write(project: Path, db_url: str) -> None:
    for mode in ("memory", "off"):
        settings = sampling_project(project, db_url, f'samples = "{mode}"\n')
        app = build_app(settings, ttl=0.05)
        with running(app) as base:
            if mode == "memory":
                wait_for(lambda app=app: app.state.source.sampler.taken >= 2)
            else:
                time.sleep(1.5)
            got = charts(base)
        assert got[""]["samples"]["mode"] == mode
        points = len(got["connections"]["x"])
        assert points >= 2 if mode == "memory" else points == 0
        if mode == "off":
            assert got["connections"]["empty"].startswith("sampling is off")
    with psycopg.connect(db_url) as conn:
        assert conn.execute(f"SELECT to_regclass('{TABLE}')").fetchone() == (None,)
    assert load_settings(database_url=db_url, project_dir=project).config.serve.samples == "off"


def test_a_sample_counts_lock_waits_and_connections_by_state(
    project: Path, db_url: str, db_conn: psycopg.Connection[Any]
) -> None:
    import threading

    settings = sampling_project(project, db_url)
    db_conn.execute("CREATE TABLE leads (id int)")
    app = build_app(settings, ttl=0.05)
    sampler = app.state.source.sampler
    with running(app) as base, psycopg.connect(db_url) as holder:
        wait_for(lambda: sampler.taken >= 1)
        sampler.stop()
        holder.execute("LOCK TABLE leads IN ACCESS EXCLUSIVE MODE")  # idle in transaction
        waiter = threading.Thread(
            target=lambda: psycopg.connect(db_url, autocommit=True).execute("SELECT * FROM leads")
        )
        waiter.start()
        wait_for(
            lambda: db_conn.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
            ).fetchone()[0]
        )
        sampler.tick()  # the table sizes wait for the lock: skipped, the rest is kept
        app.state.source.snapshot.clear()
        metrics = fetch(base + "/metrics").text  # the snapshot's sizes too: still "up"
        holder.rollback()
        waiter.join(10)
        sampler.tick()
        got = charts(base)
    waits = got["lock-waits"]["series"][0]["values"]
    assert waits[-2:] == [1.0, 0.0]
    assert "slipway_database_up 1.0" in metrics and "slipway_table_size_bytes{" not in metrics
    sizes = {s["label"]: s["values"] for s in got["table-sizes"]["series"]}
    assert sizes["leads"][-2] is None and sizes["leads"][-1] is not None  # a gap, then back
    states = {s["label"]: s["values"] for s in got["connections"]["series"]}
    assert states["idle in transaction"][-2] == 1.0 and states["active"][-2] >= 1.0
