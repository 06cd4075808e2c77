"""A busy pool is a 503 with Retry-After and leaves /readyz ready; Host is checked without a
token (DNS rebinding); the token can come from SLIPWAY_SERVE_TOKEN instead of argv."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from serve_helpers import apply_all, fetch, free_port, running, write_migration
from typer.testing import CliRunner

from slipway.cli.app import app as cli
from slipway.config import load_settings
from slipway.serve import build_app
from slipway.serve.app import loopback_hosts


def test_busy_pool_is_503_and_probes_stay_ready(project: Path, db_url: str) -> None:
    (project / "slipway.toml").write_text("[pool]\ntimeout = 0.5\n", encoding="utf-8")
    write_migration(project, "0001_a", "CREATE TABLE a (id int);")
    settings = load_settings(database_url=db_url, project_dir=project)
    apply_all(settings)
    app = build_app(settings, ttl=0.05)
    pool = app.state.source.pool
    with running(app) as base:
        with pool.connection(), pool.connection():  # max_size 2: every pooled connection taken
            docs = fetch(base + "/docs")
            ready = fetch(base + "/readyz")
            health = fetch(base + "/healthz")
        time.sleep(0.1)  # past the ttl: the failure is not kept once the pool is free
        docs_after = fetch(base + "/docs")
    assert docs.status == 503, docs.text
    assert docs.headers["retry-after"] == "5"
    assert docs.text.startswith("page unavailable: ") and docs.text.count("\n") == 1
    assert "Traceback" not in docs.text
    assert ready.status == 200 and ready.json()["ready"] is True, ready.text
    assert health.status == 200
    assert docs_after.status == 200 and "<html" in docs_after.text.lower()


def test_host_header_checked_without_token(project: Path, db_url: str) -> None:
    settings = load_settings(database_url=db_url, project_dir=project)
    with running(build_app(settings)) as base:
        port = base.rsplit(":", 1)[1]
        plain = fetch(base + "/healthz")
        named = fetch(base + "/readyz", {"Host": f"localhost:{port}"})
        ipv6 = fetch(base + "/healthz", {"Host": f"[::1]:{port}"})
        rebound = fetch(base + "/metrics", {"Host": f"attacker.example:{port}"})
        lan = fetch(base + "/healthz", {"Host": "192.168.1.20"})
    assert plain.status == 200 and ipv6.status == 200
    assert named.status in (200, 503) and "ready" in named.json()
    assert rebound.status == 400 and lan.status == 400
    assert "slipway_database_up" not in rebound.text
    assert "127.0.0.2" in loopback_hosts("127.0.0.2") and "[::1]" in loopback_hosts("::1")


def test_token_set_allows_any_host(project: Path, db_url: str) -> None:
    settings = load_settings(database_url=db_url, project_dir=project)
    with running(build_app(settings, token="tok-123", host="0.0.0.0")) as base:
        other = fetch(
            base + "/metrics", {"Host": "dash.example", "Authorization": "Bearer tok-123"}
        )
        anonymous = fetch(base + "/metrics", {"Host": "dash.example"})
    assert other.status == 200 and anonymous.status == 401


def test_token_from_environment(project: Path, db_url: str) -> None:
    port = free_port()
    env = {**os.environ, "SLIPWAY_SERVE_TOKEN": "env-token-77", "DATABASE_URL": db_url}
    command = [sys.executable, "-m", "slipway", "serve", "--port", str(port)]
    proc = subprocess.Popen(command, cwd=project, env=env, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if fetch(base + "/healthz", timeout=2).status == 200:
                    break
            except OSError:
                pass
            assert proc.poll() is None and time.monotonic() < deadline, "serve did not start"
            time.sleep(0.1)
        anonymous = fetch(base + "/metrics")
        bearer = fetch(base + "/metrics", {"Authorization": "Bearer env-token-77"})
    finally:
        proc.terminate()
        proc.wait(15)
    assert anonymous.status == 401
    assert bearer.status == 200 and "slipway_database_up" in bearer.text
    assert "env-token-77" not in " ".join(command)  # nothing for `ps` to show


def test_serve_help_documents_token_env_and_host_check() -> None:
    out = CliRunner().invoke(cli, ["serve", "--help"], terminal_width=200).output
    assert "SLIPWAY_SERVE_TOKEN" in out
    assert "Host" in out and "loopback" in out
