"""`slipway serve` as operators run it: a process with an access log, stopped by SIGTERM."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from serve_helpers import fetch, free_port, write_migration


def _start(project: Path, db_url: str, *extra: str) -> tuple[subprocess.Popen[str], str]:
    port = free_port()
    env = dict(os.environ, SLIPWAY_SERVE_TOKEN="s3cret-token", NO_COLOR="1")
    proc = subprocess.Popen(
        [sys.executable, "-m", "slipway", "serve", "--port", str(port), "-d", db_url, *extra],
        cwd=project,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(proc.stderr.read() if proc.stderr else "serve exited")
        try:
            fetch(base + "/healthz", timeout=1)
            return proc, base
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise AssertionError("serve did not start")


def test_access_log_has_no_secrets_and_sigterm_stops_with_one_line(
    project: Path, db_url: str
) -> None:
    write_migration(project, "0001_a", "CREATE TABLE a (id int);")
    proc, base = _start(project, db_url)
    auth = {"Authorization": "Bearer s3cret-token"}
    assert fetch(base + "/metrics?token=query-secret", headers=auth).status == 200
    assert fetch(base + "/readyz").status == 401  # refused requests are logged too
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == -signal.SIGTERM, err  # ended by the signal, after stopping
    lines = err.splitlines()
    assert any(line.endswith("ms") and " GET /metrics 200 " in line for line in lines), err
    assert any(" GET /readyz 401 " in line for line in lines), err
    assert "query-secret" not in err and "s3cret-token" not in err
    assert lines[-1] == "slipway serve: stopped"


def test_no_access_log(project: Path, db_url: str) -> None:
    proc, base = _start(project, db_url, "--no-access-log")
    assert fetch(base + "/healthz").status == 200
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=30)
    assert " GET /healthz " not in err and "slipway serve: stopped" in err


def test_samples_flag_overrides_the_config(project: Path, db_url: str) -> None:
    import psycopg

    (project / "slipway.toml").write_text('[serve]\nsample_interval = "1s"\n', encoding="utf-8")
    proc, base = _start(project, db_url, "--samples", "memory", "--no-access-log")
    auth = {"Authorization": "Bearer s3cret-token"}
    deadline = time.monotonic() + 20
    while (status := fetch(base + "/api/charts", headers=auth).json()["samples"])["taken"] < 2:
        assert time.monotonic() < deadline, status
        time.sleep(0.2)
    proc.send_signal(signal.SIGTERM)
    proc.communicate(timeout=30)
    assert status["mode"] == status["configured"] == "memory"
    with psycopg.connect(db_url) as conn:
        assert conn.execute("SELECT to_regclass('slipway_serve_samples')").fetchone() == (None,)
