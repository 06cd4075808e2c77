"""`slipway maintain schedule` against pg_cron on a PRIVATE throwaway cluster.

The system server on 5432 is never touched: the test runs initdb + pg_ctl on another port
with shared_preload_libraries = 'pg_cron' (Debian: apt-get install postgresql-15-cron), and
skips cleanly when the package or the server binaries are missing.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from maint_helpers import relations

from slipway.maintain.config import parse_maintain
from slipway.maintain.runs import last_refreshes
from slipway.maintain.schedule import install_pg_cron

Conn = psycopg.Connection[Any]


def _bindir() -> Path | None:
    for lib in sorted(glob.glob("/usr/lib/postgresql/*/lib/pg_cron.so"), reverse=True):
        bindir = Path(lib).parents[1] / "bin"
        if (bindir / "initdb").exists() and (bindir / "pg_ctl").exists():
            return bindir
    return None


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _as_postgres(cmd: list[str]) -> list[str]:
    # initdb refuses to run as root; the cluster belongs to the postgres user.
    return ["runuser", "-u", "postgres", "--", *cmd] if os.geteuid() == 0 else cmd


@pytest.fixture(scope="module")
def cron_url() -> Iterator[str]:
    bindir = _bindir()
    if bindir is None:
        pytest.skip("pg_cron is not installed (apt-get install -y postgresql-15-cron)")
    root = Path(tempfile.mkdtemp(prefix="slipway-cron-"))
    data, port = root / "data", free_port()
    if os.geteuid() == 0:
        shutil.chown(root, "postgres", "postgres")
    run = lambda *cmd: subprocess.run(
        _as_postgres(list(cmd)),
        check=True,
        capture_output=True,
        timeout=120,
    )
    run(str(bindir / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres", "--no-sync")
    with open(data / "postgresql.conf", "a", encoding="utf-8") as conf:
        conf.write(
            f"port = {port}\nlisten_addresses = '127.0.0.1'\n"
            f"unix_socket_directories = '{root}'\nshared_preload_libraries = 'pg_cron'\n"
            "cron.database_name = 'postgres'\ncron.use_background_workers = on\n"
            "max_connections = 20\nshared_buffers = 16MB\nfsync = off\n"
        )
    run(str(bindir / "pg_ctl"), "-D", str(data), "-l", str(root / "log"), "-w", "start")
    try:
        yield f"postgresql://postgres@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(
            _as_postgres([str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"]),
            capture_output=True,
            timeout=60,
            check=False,
        )
        shutil.rmtree(root, ignore_errors=True)


SCHEMA = """
DROP TABLE IF EXISTS cache, feedback, slipway_maintenance_runs CASCADE;
CREATE EXTENSION IF NOT EXISTS pg_cron;
CREATE TABLE feedback (id int PRIMARY KEY, score int);
INSERT INTO feedback SELECT g, g % 5 FROM generate_series(1, 100) g;
CREATE MATERIALIZED VIEW fb_summary AS SELECT score, count(*) AS n FROM feedback GROUP BY score;
CREATE UNIQUE INDEX ON fb_summary (score);
CREATE TABLE cache (id int PRIMARY KEY, expires_at timestamptz NOT NULL);
INSERT INTO cache SELECT g, now() - interval '1 hour' FROM generate_series(1, 250) g;
SELECT cron.unschedule(jobid) FROM cron.job;
"""
CONFIG = {
    "views": [{"name": "fb_summary", "schedule": "daily"}],
    "cleanup": [
        {"table": "cache", "where": "expires_at < now()", "batch": 100, "schedule": "hourly"}
    ],
}


def test_jobs_installed_and_their_sql_works(cron_url: str) -> None:
    with psycopg.connect(cron_url, autocommit=True) as conn:
        conn.execute(SCHEMA)
        jobs = install_pg_cron(conn, parse_maintain(CONFIG))
        stored = dict(conn.execute("SELECT jobname, schedule FROM cron.job").fetchall())
        assert stored == {
            "slipway:views:fb_summary": "17 3 * * *",
            "slipway:cleanup:cache": "17 * * * *",
        }
        # Run each stored command the way pg_cron does: one top-level statement string.
        conn.execute("INSERT INTO feedback VALUES (1000, 9)")
        for (command,) in conn.execute("SELECT command FROM cron.job ORDER BY jobname").fetchall():
            conn.execute(command)
        assert conn.execute("SELECT n FROM fb_summary WHERE score = 9").fetchone() == (1,)
        assert conn.execute("SELECT count(*) FROM cache").fetchone() == (0,)
        done = conn.execute(
            "SELECT details FROM slipway_maintenance_runs WHERE task = 'cleanup'"
        ).fetchone()
        assert done is not None and done[0] == {"reason": "pg_cron", "deleted": 250, "batches": 3}
        assert "fb_summary" in last_refreshes(conn)
        assert "CONCURRENTLY" in jobs[0].command
        # Re-installing with fewer rules removes slipway's stale job and keeps others' jobs.
        conn.execute("SELECT cron.schedule('someone-else', '0 0 * * *', 'SELECT 1')")
        install_pg_cron(conn, parse_maintain({"views": CONFIG["views"]}))
        names = sorted(r[0] for r in conn.execute("SELECT jobname FROM cron.job").fetchall())
        assert names == ["slipway:views:fb_summary", "someone-else"]
        assert ("cache", "r") in relations(conn)


@pytest.mark.slow
def test_pg_cron_really_runs_the_cleanup_job(cron_url: str) -> None:
    """pg_cron 1.4 schedules by the minute: wait for the next minute's run (up to ~70 s)."""
    with psycopg.connect(cron_url, autocommit=True) as conn:
        conn.execute(SCHEMA)
        (job,) = [j for j in install_pg_cron(conn, parse_maintain(CONFIG)) if "cleanup" in j.name]
        conn.execute("SELECT cron.schedule(%s, '* * * * *', %s)", (job.name, job.command))
        deadline = time.monotonic() + 75
        status = None
        while time.monotonic() < deadline:
            row = conn.execute(
                "SELECT d.status, d.return_message FROM cron.job_run_details d JOIN cron.job j"
                " USING (jobid) WHERE j.jobname = %s ORDER BY d.runid DESC LIMIT 1",
                (job.name,),
            ).fetchone()
            if row and row[0] in ("succeeded", "failed"):
                status = row
                break
            time.sleep(1)
        assert status is not None and status[0] == "succeeded", status
        assert conn.execute("SELECT count(*) FROM cache").fetchone() == (0,)
