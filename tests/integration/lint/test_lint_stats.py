"""`slipway lint --stats SNAPSHOT`: a snapshot saved by `slipway doctor --save-stats` from the
database the migrations will run on re-judges rewrites and scans by the size of their table.

The snapshot is taken from a real database; the "large" table's size is then raised in the
file, as a production snapshot would have it (a test cannot build a 250 MB table cheaply)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import psycopg

SETUP = """\
CREATE TABLE big (id bigint PRIMARY KEY, amount int);
CREATE TABLE small (id bigint PRIMARY KEY, amount int);
CREATE TABLE empty (id bigint PRIMARY KEY, amount int);
"""
CHANGE = """\
ALTER TABLE big ALTER COLUMN amount TYPE numeric;
ALTER TABLE small ALTER COLUMN amount TYPE numeric;
ALTER TABLE empty ALTER COLUMN amount TYPE numeric;
ALTER TABLE small ADD COLUMN note text NOT NULL;
ALTER TABLE empty ADD COLUMN note text NOT NULL;
"""


def _slipway(project: Path, url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, NO_COLOR="1", DATABASE_URL=url)
    return subprocess.run(
        [sys.executable, "-m", "slipway", *args],
        cwd=project, env=env, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip


def _findings(done: subprocess.CompletedProcess[str]) -> dict[tuple[str, str], dict[str, Any]]:
    data = json.loads(done.stdout)
    return {(f["name"], f["target"]): f for f in data["findings"]}


def test_table_sizes_from_a_snapshot_decide_the_severity(db_url: str, tmp_path: Path) -> None:
    migrations = tmp_path / "migrations"
    migrations.mkdir()
    (migrations / "0001_tables.sql").write_text(SETUP)
    (migrations / "0001_tables.down.sql").write_text("DROP TABLE big, small, empty;")
    assert _slipway(tmp_path, db_url, "up").returncode == 0
    with psycopg.connect(db_url, autocommit=True) as conn:
        conn.execute("INSERT INTO big SELECT g, g FROM generate_series(1, 2000) g")
        conn.execute("INSERT INTO small SELECT g, g FROM generate_series(1, 500) g")
        conn.execute("ANALYZE big, small, empty")
    snapshot = tmp_path / "prod-stats.json"
    saved = _slipway(tmp_path, db_url, "doctor", "--no-crud", "--save-stats", str(snapshot))
    assert snapshot.is_file(), saved.stdout + saved.stderr
    data = json.loads(snapshot.read_text())
    for table in data["tables"]:
        if table["name"] == "big":  # production's size: 4 GB, 40 million rows
            table["table_bytes"], table["estimated_rows"] = 4 * 1024**3, 40_000_000
    snapshot.write_text(json.dumps(data))
    (migrations / "0002_change.sql").write_text(CHANGE)
    (migrations / "0002_change.down.sql").write_text("SELECT 1;")

    plain = _findings(_slipway(tmp_path, db_url, "lint", "-f", "json", "migrations"))
    judged_run = _slipway(tmp_path, db_url, "lint", "-f", "json", "--stats", str(snapshot))
    judged = _findings(judged_run)

    rewrite = "changing-column-type"
    assert plain[(rewrite, "public.big")]["severity"] == "warning"
    big = judged[(rewrite, "public.big")]
    assert big["severity"] == "error" and "holds about 40,000,000 rows, 4.0 GB" in big["message"]
    assert "rewrites them for about 82 s at 50 MB/s" in big["message"]  # 4 GiB at 50 MiB/s
    small = judged[(rewrite, "public.small")]
    assert small["severity"] == "warning" and "holds about 500 rows" in small["message"]
    empty = judged[(rewrite, "public.empty")]
    assert empty["severity"] == "info" and "is empty in the statistics snapshot" in empty["message"]
    required = "adding-required-field"
    assert judged[(required, "public.small")]["severity"] == "error"
    assert judged[(required, "public.empty")]["severity"] == "info"
    assert judged_run.returncode == 1  # the large rewrite is an error now
    from slipway import api

    through_api = api.lint(["migrations"], project_dir=tmp_path, stats="prod-stats.json")
    by_target = {(f.name, f.target): f.severity for f in through_api.findings}
    assert by_target[(rewrite, "public.big")] == "error"
    assert by_target[(rewrite, "public.empty")] == "info"

    # A snapshot that is not one: one line, exit 2, no traceback.
    (tmp_path / "bad.json").write_text('{"format": "something else"}')
    bad = _slipway(tmp_path, db_url, "lint", "--stats", str(tmp_path / "bad.json"))
    assert bad.returncode == 2 and "not a slipway statistics snapshot" in bad.stderr
    assert "Traceback" not in bad.stderr
