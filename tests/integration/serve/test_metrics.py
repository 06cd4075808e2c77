"""/metrics parsed back with prometheus_client's parser and checked value by value."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psycopg
from prometheus_client.parser import text_string_to_metric_families
from serve_helpers import apply_all, fetch, running, write_migration

from slipway.config import Settings
from slipway.maintain.config import parse_maintain
from slipway.maintain.runner import run_maintenance
from slipway.migrations.lock import MigrationLock
from slipway.serve import build_app

Conn = psycopg.Connection[Any]


def samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    out = {}
    for family in text_string_to_metric_families(text):
        for s in family.samples:
            out[(s.name, tuple(sorted(s.labels.items())))] = s.value
    return out


def value(got: dict[Any, float], name: str, **labels: str) -> float:
    return got[(name, tuple(sorted(labels.items())))]


def _prepare(db_conn: Conn, project: Path, settings: Settings) -> None:
    write_migration(project, "0001_feedback", "CREATE TABLE feedback (id int PRIMARY KEY, v int);")
    apply_all(settings)
    db_conn.execute("INSERT INTO feedback SELECT g, g FROM generate_series(1, 100) g")
    db_conn.execute("DELETE FROM feedback WHERE id <= 30")
    db_conn.execute("CREATE MATERIALIZED VIEW fb AS SELECT count(*) AS n FROM feedback")
    db_conn.execute("CREATE TABLE messages (at timestamptz NOT NULL) PARTITION BY RANGE (at)")
    db_conn.execute("SELECT pg_stat_force_next_flush()")
    cfg = parse_maintain(
        {"partitions": [{"table": "messages", "ahead": 3}], "views": [{"name": "fb"}]}
    )
    assert run_maintenance(db_conn, cfg, only_due=False).ok


def test_metrics_value_by_value(
    db_url: str, db_conn: Conn, project: Path, serve_settings: Settings
) -> None:
    _prepare(db_conn, project, serve_settings)
    write_migration(project, "0002_later", "SELECT 1;")
    app = build_app(serve_settings, ttl=0.1)
    with (
        psycopg.connect(db_url, autocommit=True) as other,
        running(app) as base,
        MigrationLock(other, serve_settings.table, wait=1),
    ):
        reply = fetch(base + "/metrics")
    assert reply.status == 200 and reply.headers["content-type"].startswith("text/plain")
    got = samples(reply.text)
    assert value(got, "slipway_database_up") == 1
    assert value(got, "slipway_migrations", state="applied") == 1
    assert value(got, "slipway_migrations", state="pending") == 1
    assert value(got, "slipway_migrations", state="modified") == 0
    assert value(got, "slipway_migration_lock_held") == 1
    applied_at = db_conn.execute(f"SELECT max(applied_at) FROM {serve_settings.table}").fetchone()
    assert applied_at is not None
    assert (
        value(got, "slipway_migration_last_applied_timestamp_seconds") == applied_at[0].timestamp()
    )
    sizes = db_conn.execute(
        "SELECT pg_table_size('feedback'), pg_indexes_size('feedback')"
    ).fetchone()
    assert sizes is not None
    assert value(got, "slipway_table_size_bytes", schema="public", table="feedback") == sizes[0]
    assert (
        value(got, "slipway_table_index_size_bytes", schema="public", table="feedback") == sizes[1]
    )
    assert value(got, "slipway_table_live_tuples", schema="public", table="feedback") == 70
    assert value(got, "slipway_table_dead_tuples", schema="public", table="feedback") == 30
    assert value(got, "slipway_partitions_ahead", table="public.messages") == 3
    assert value(got, "slipway_partitions", table="public.messages") == 4
    refreshed = value(
        got, "slipway_matview_last_refresh_timestamp_seconds", schema="public", view="fb"
    )
    assert abs(refreshed - time.time()) < 60
    assert 0 <= value(got, "slipway_matview_age_seconds", schema="public", view="fb") < 60
    ran = value(
        got,
        "slipway_maintenance_last_success_timestamp_seconds",
        task="partitions",
        target="messages",
    )
    assert refreshed - 60 < ran <= refreshed
    assert value(got, "slipway_connections", state="idle") >= 1  # the lock holder
    assert 0 < value(got, "slipway_cache_hit_ratio") <= 1
    assert value(got, "slipway_blocked_queries") == 0
    assert value(got, "slipway_pool_max") == 2
    assert value(got, "slipway_pool_min") >= 0
    assert not any(name.startswith("slipway_pool_pool") for name, _ in got)
    assert value(got, "slipway_serve_db_queries_total") > 0
    _health_values_match(got, serve_settings)


def _health_values_match(got: dict[Any, float], settings: Settings) -> None:
    from slipway.db import connect
    from slipway.health.engine import DoctorOptions, run_doctor

    with connect(settings) as conn:
        report = run_doctor(conn, settings, DoctorOptions(crud=False))
    codes = {
        dict(labels)["code"]: v
        for (name, labels), v in got.items()
        if name == "slipway_health_check_status"
    }
    assert codes == {c.code: {"pass": 0, "warn": 1, "fail": 2}[c.status] for c in report.checks}
    assert codes["HC020"] >= 1  # migration-status notices the pending migration
    assert value(got, "slipway_health_status") == {"pass": 0, "warn": 1, "fail": 2}[report.status]


def test_metrics_when_database_is_down(project: Path) -> None:
    from slipway.config import load_settings

    settings = load_settings(
        database_url="postgresql://postgres:s3cret@127.0.0.1:1/nope", project_dir=project
    )
    with running(build_app(settings, ttl=30)) as base:
        metrics = fetch(base + "/metrics")
        ready = fetch(base + "/readyz")
        page = fetch(base + "/")
    assert metrics.status == 200
    assert value(samples(metrics.text), "slipway_database_up") == 0
    assert ready.status == 503 and ready.json()["reasons"][0].startswith("database unreachable")
    for reply in (metrics, ready, page):
        assert "s3cret" not in reply.text and "postgresql://" not in reply.text
    assert "unreachable" in page.text and datetime.now(UTC).year > 2000
