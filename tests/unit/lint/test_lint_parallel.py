"""`slipway lint A B C D` lints half of the folders in a second process: the same findings, in
the same order, as linting them one after the other; errors read the same wherever they occur."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from slipway.lint import parallel

SERVICES = {
    # Each folder differs, so a finding attributed to the wrong folder or out of order shows.
    "billing": ["CREATE TABLE t (id int PRIMARY KEY, a int);", "CREATE INDEX t_a ON t (a);"],
    "crm": ["CREATE TABLE u (id bigint PRIMARY KEY, c char(2));", "ALTER TABLE u DROP COLUMN c;"],
    "ledger": ["CREATE TABLE v (id serial PRIMARY KEY);", "DROP TABLE v;"],
    "search": ["CREATE TABLE w (id bigint PRIMARY KEY, b int);", "ALTER TABLE w ADD UNIQUE (b);"],
    "notify": ["CREATE TABLE x (id bigint PRIMARY KEY, d timestamp);", "DROP TABLE x;"],
}


def services(root: Path) -> list[str]:
    for name, (first, second) in SERVICES.items():
        folder = root / name / "migrations"
        folder.mkdir(parents=True)
        (folder / "0001_first.sql").write_text(first + "\n")
        (folder / "0002_second.sql").write_text(second + "\n")
    return [f"{name}/migrations" for name in SERVICES]


def lint(cwd: Path, *paths: str) -> subprocess.CompletedProcess[str]:
    """The real command line (a whole process, where two cores may be used), uncached."""
    return subprocess.run(
        [sys.executable, "-m", "slipway", "lint", "--no-cache", "--format", "json", *paths],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
        env={k: v for k, v in os.environ.items() if k != "DATABASE_URL"},
    )


def test_folders_on_two_cores_give_the_findings_of_one_after_the_other(tmp_path: Path) -> None:
    targets = services(tmp_path)
    assert parallel.split([tmp_path / t for t in targets]) is not None  # it does split these
    together = lint(tmp_path, *targets)
    assert together.returncode == 0, together.stderr  # warnings only
    one_by_one = []
    for target in targets:
        alone = lint(tmp_path, target)
        assert alone.returncode == 0, alone.stderr
        one_by_one += json.loads(alone.stdout)["findings"]
    findings = json.loads(together.stdout)["findings"]
    assert findings == one_by_one
    assert {f["location"]["file"].split("/")[0] for f in findings} == set(SERVICES)


@pytest.mark.parametrize("empty_at", [0, 2, 4])
def test_an_error_in_either_process_is_the_serial_lints_error(
    tmp_path: Path, empty_at: int
) -> None:
    """A folder without migrations, wherever it is among the targets (so linted by either
    process): one line, exit code 2, no traceback, no findings printed. With two bad folders
    the first one named is reported, as a serial lint reports it."""
    targets = services(tmp_path)[:4]
    for name in ("empty", "void"):
        (tmp_path / name).mkdir()
    targets.insert(empty_at, "empty")
    targets.append("void")
    done = lint(tmp_path, *targets)
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.startswith("error: empty: no migrations found"), done.stderr
    assert "Traceback" not in done.stderr


def test_the_sides_are_balanced_by_sql_files(tmp_path: Path) -> None:
    """One big folder goes alone to one side, the small ones to the other, whatever their
    order; the indexes on each side stay in order."""
    targets = [tmp_path / t for t in services(tmp_path)]
    for number in range(3, 20):
        (targets[1] / f"{number:04d}_more.sql").write_text("SELECT 1;\n")
    sides = parallel.split(targets)
    assert sides is not None
    assert sorted([sides[0], sides[1]], key=len) == [[1], [0, 2, 3, 4]]


def test_what_is_linted_on_one_core(tmp_path: Path) -> None:
    """Splitting must not change which folder is a history of its own: one folder, a file, a
    folder named twice or inside another, or one diesel migration's own folder stay serial."""
    targets = [tmp_path / t for t in services(tmp_path)]
    diesel = tmp_path / "diesel" / "2019-02-26-002946_a"
    diesel.mkdir(parents=True)
    (diesel / "up.sql").write_text("SELECT 1;\n")
    first, rest = targets[0], targets[1:]
    sides = parallel.split(targets)
    assert sides is not None and sorted(sides[0] + sides[1]) == list(range(len(targets)))
    for serial in (
        [first],
        [first, first / "0001_first.sql"],
        [first, tmp_path / "billing" / "migrations" / "."],
        [tmp_path / "billing", first],
        [diesel, *rest],
        [Path("-"), *rest],
    ):
        assert parallel.split(serial) is None, serial
