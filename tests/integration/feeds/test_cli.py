"""`slipway feed import` end to end, as a subprocess (the real exit codes and output)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

from .conftest import MAPPING, MIGRATIONS, OWNER
from .helpers import car, feed

SAMPLE = MIGRATIONS.parent / "data" / "inventory_feed.tsv"


def slipway(project: Path, url: str, *args: str) -> subprocess.CompletedProcess[str]:
    as_owner = f"{url} options='-c role={OWNER}'"  # RLS applies: not a superuser session
    return subprocess.run(
        [sys.executable, "-m", "slipway", "feed", "import", *args, "-d", as_owner],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def make_project(tmp_path: Path) -> Path:
    (tmp_path / "slipway.toml").write_text('[feeds]\ndirectory = "inbound/mappings"\n')
    (tmp_path / "inbound" / "mappings").mkdir(parents=True)
    shutil.copy(MAPPING, tmp_path / "inbound" / "mappings" / "vehicles.toml")
    return tmp_path


def test_import_by_name_prints_stats_and_errors(
    rylie_url: str, admin_conn: Any, tmp_path: Path
) -> None:
    project = make_project(tmp_path)
    done = slipway(project, rylie_url, "vehicles", str(SAMPLE), "--tenant", "1")
    assert done.returncode == 0, done.stderr
    assert "added 300  updated 0  unchanged 0  deactivated 0  errors 6" in done.stdout
    assert "line 132: Price = 'call for price': not a number" in done.stdout
    again = slipway(
        project, rylie_url, "vehicles", str(SAMPLE), "--tenant", "1", "--format", "json", "--strict"
    )
    assert again.returncode == 1  # --strict: rows were rejected
    data = json.loads(again.stdout)
    assert (data["added"], data["unchanged"], data["errors"]) == (0, 300, 6)
    assert len(data["error_report"]) == 6
    assert admin_conn.execute("SELECT count(*) FROM inventory_imports").fetchone() == (2,)


def test_mapping_path_full_feed_and_rejected_file(
    rylie_url: str, admin_conn: Any, tmp_path: Path
) -> None:
    good = feed(tmp_path / "good.tsv", [car(1), car(2)])
    done = slipway(tmp_path, rylie_url, str(MAPPING), str(good), "-t", "1", "--full", "-f", "json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["added"] == 2
    bad = tmp_path / "bad.tsv"
    bad.write_text("Make\tModel\nHonda\tAccord\n")
    failed = slipway(tmp_path, rylie_url, str(MAPPING), str(bad), "-t", "1", "--full")
    assert failed.returncode == 1
    lines = failed.stderr.strip().splitlines()
    assert len(lines) == 1 and "no identity column" in lines[0] and "Traceback" not in failed.stderr
    assert admin_conn.execute(
        "SELECT count(*) FILTER (WHERE is_active) FROM vehicles"
    ).fetchone() == (2,)


def test_unknown_mapping_name_is_a_usage_error(rylie_url: str, tmp_path: Path) -> None:
    project = make_project(tmp_path)
    done = slipway(project, rylie_url, "trucks", str(SAMPLE), "-t", "1")
    assert done.returncode == 2
    assert "no feed mapping named 'trucks'" in done.stderr and "known: vehicles" in done.stderr


def test_a_deeply_nested_email_is_one_line_and_exit_1(rylie_url: str, tmp_path: Path) -> None:
    depth = 3000
    opening = "".join(
        f'Content-Type: multipart/mixed; boundary="b{i}"\n\n--b{i}\n' for i in range(depth)
    )
    closing = "".join(f"\n--b{i}--\n" for i in reversed(range(depth)))
    inner = (
        'Content-Type: text/csv\nContent-Disposition: attachment; filename="f.csv"\n\nVIN,Make\n'
    )
    path = tmp_path / "deep.eml"
    path.write_text("From: feeds@example.com\nMIME-Version: 1.0\n" + opening + inner + closing)
    done = slipway(tmp_path, rylie_url, str(MAPPING), str(path), "-t", "1")
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr[-500:]
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "nests its MIME parts too deeply" in lines[0], lines
