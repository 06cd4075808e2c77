"""`slipway maintain` and `slipway serve` from the command line: output, exit codes, refusals."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import psycopg
from maint_helpers import relations

Conn = psycopg.Connection[Any]
TOML = """
[[maintain.partitions]]
table = "messages"
interval = "month"
ahead = 1

[[maintain.cleanup]]
table = "cache"
where = "expires_at < now()"
batch = 2
"""


def slipway(project: Path, db_url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, DATABASE_URL=db_url, NO_COLOR="1")
    return subprocess.run(
        [sys.executable, "-m", "slipway", *args],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _setup(project: Path, db_conn: Conn) -> None:
    (project / "slipway.toml").write_text(TOML, encoding="utf-8")
    db_conn.execute(
        "CREATE TABLE messages (at timestamptz NOT NULL) PARTITION BY RANGE (at);"
        "CREATE TABLE cache (id int, expires_at timestamptz);"
        "INSERT INTO cache SELECT g, now() - interval '1 day' FROM generate_series(1, 5) g"
    )


def test_dry_run_json_then_real_run(project: Path, db_url: str, db_conn: Conn) -> None:
    _setup(project, db_conn)
    before = relations(db_conn)
    dry = slipway(project, db_url, "maintain", "--dry-run", "--format", "json")
    assert dry.returncode == 0, dry.stderr
    plan = json.loads(dry.stdout)
    assert plan["dry_run"] is True
    assert plan["counts"] == {"partitions.create": 2, "cleanup.delete": 1}
    assert relations(db_conn) == before
    assert db_conn.execute("SELECT count(*) FROM cache").fetchone() == (5,)
    done = slipway(project, db_url, "maintain", "cleanup")
    assert done.returncode == 0, done.stderr
    assert "maintenance did: 1 cleanup.delete" in done.stdout
    assert db_conn.execute("SELECT count(*) FROM cache").fetchone() == (0,)
    batches = db_conn.execute(
        "SELECT details->>'batches' FROM slipway_maintenance_runs WHERE action = 'delete'"
    ).fetchone()
    assert batches == ("3",)


def test_failures_exit_nonzero(project: Path, db_url: str, db_conn: Conn) -> None:
    (project / "slipway.toml").write_text('[[maintain.views]]\nname = "nope"\n', encoding="utf-8")
    failed = slipway(project, db_url, "maintain", "views")
    assert failed.returncode == 1
    assert "views nope: [maintain] views: nope is not a materialized view" in failed.stdout
    bad = slipway(project, db_url, "maintain", "--schedule", "yearly")
    assert bad.returncode == 2 and "--schedule 'yearly'" in bad.stderr
    (project / "slipway.toml").write_text(
        '[[maintain.views]]\nschedule = "daily"\n', encoding="utf-8"
    )
    config = slipway(project, db_url, "maintain")
    assert config.returncode == 2 and config.stderr == (
        "error: slipway.toml: [[maintain.views]] #1 name: required, but missing\n"
    )


def test_schedule_prints_without_pg_cron(project: Path, db_url: str, db_conn: Conn) -> None:
    _setup(project, db_conn)
    out = slipway(project, db_url, "maintain", "schedule")
    assert out.returncode == 0, out.stderr
    assert "pg_cron is not installed" in out.stdout
    assert "maintain --schedule daily" in out.stdout and "[Timer]" in out.stdout
    assert db_url not in out.stdout


def test_serve_refuses_public_bind_without_token(project: Path, db_url: str) -> None:
    out = slipway(project, db_url, "serve", "--host", "0.0.0.0")
    assert out.returncode == 2
    assert "needs a token" in out.stderr
