"""The dashboard driven in headless Chromium: content checked, a screenshot kept as an artifact."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
from typing import Any

import psycopg
import pytest
from serve_helpers import apply_all, running, write_migration

from browser import CHROMIUM, FLAGS, artifacts_dir
from slipway.config import Settings
from slipway.maintain.config import parse_maintain
from slipway.maintain.runner import run_maintenance
from slipway.serve import build_app

WINDOW = "--window-size=1280,1500"

pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="chromium is not installed (apt-get install -y chromium)"
)


def chromium(tmp_path: Path, *args: str) -> str:
    assert CHROMIUM is not None
    profile = tmp_path / f"profile-{len(list(tmp_path.iterdir()))}"
    done = subprocess.run(
        [CHROMIUM, *FLAGS, WINDOW, f"--user-data-dir={profile}", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def test_dashboard_in_headless_chromium(
    tmp_path: Path, project: Path, db_conn: psycopg.Connection[Any], serve_settings: Settings
) -> None:
    write_migration(project, "0001_leads", "CREATE TABLE leads (id int PRIMARY KEY, name text);")
    apply_all(serve_settings)
    write_migration(project, "0002_pending_one", "ALTER TABLE leads ADD COLUMN phone text;")
    db_conn.execute("INSERT INTO leads SELECT g, 'lead ' || g FROM generate_series(1, 5000) g")
    db_conn.execute("CREATE MATERIALIZED VIEW lead_counts AS SELECT count(*) AS n FROM leads")
    cfg = parse_maintain({"views": [{"name": "lead_counts"}]})
    assert run_maintenance(db_conn, cfg, only_due=False).ok
    shot = artifacts_dir(tmp_path) / "dashboard.png"
    shot.unlink(missing_ok=True)
    with running(build_app(serve_settings, ttl=30)) as base:
        dom = chromium(tmp_path, "--virtual-time-budget=3000", "--dump-dom", base + "/")
        chromium(tmp_path, f"--screenshot={shot}", base + "/")
    assert 'data-live="1"' in dom  # the page's script ran
    assert re.search(r'<span id="readiness" class="badge notready">not ready</span>', dom)
    assert "migration 0002 pending_one is pending" in dom
    assert re.search(r"<td>0001</td><td>leads</td><td><span class=\"badge applied\">", dom)
    assert re.search(r'<span id="verdict" class="badge (pass|warn|fail)">health: ', dom)
    assert "HC020" in dom  # the health report's checks are listed
    assert "<td>lead_counts</td>" in dom and "refresh" in dom  # the maintenance run
    assert "public.leads" in dom  # the tables section
    assert re.search(r'<span id="stamp"[^>]*>\d+ s ago</span>', dom)
    assert "http://" not in dom.replace(base, "")  # no external assets or links
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20_000
