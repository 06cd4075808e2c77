"""`slipway lint PATHS` finds the migrations it is given, in any layout and any form: a
migrations folder, one migration's folder, the project folder, a list of files, stdin."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

DIESEL = {
    "2019-02-26-002946_a/up.sql": "CREATE TABLE a (id bigint PRIMARY KEY);\n"
    "CREATE TABLE b (id bigint PRIMARY KEY, a_id bigint);\n",
    "2019-02-26-002946_a/down.sql": "DROP TABLE b;\nDROP TABLE a;\n",
    # Needs the replay of the first migration to know b has no index on a_id.
    "2025-11-19-091444-0000_b/up.sql": "ALTER TABLE b ADD CONSTRAINT b_a_fk FOREIGN KEY (a_id) "
    "REFERENCES a (id) NOT VALID;\n",
    "2025-11-19-091444-0000_b/down.sql": "ALTER TABLE b DROP CONSTRAINT b_a_fk;\n",
}
GOLANG = {
    "000001_a.up.sql": DIESEL["2019-02-26-002946_a/up.sql"],
    "000001_a.down.sql": DIESEL["2019-02-26-002946_a/down.sql"],
    "000002_b.up.sql": DIESEL["2025-11-19-091444-0000_b/up.sql"],
    "000002_b.down.sql": DIESEL["2025-11-19-091444-0000_b/down.sql"],
}
DBMATE = {
    "20190226002946_a.sql": "-- migrate:up\n"
    + GOLANG["000001_a.up.sql"]
    + "-- migrate:down\n"
    + GOLANG["000001_a.down.sql"],
    "20251119091444_b.sql": "-- migrate:up\n"
    + GOLANG["000002_b.up.sql"]
    + "-- migrate:down\n"
    + GOLANG["000002_b.down.sql"],
}
FLYWAY = {
    "V1__a.sql": GOLANG["000001_a.up.sql"],
    "U1__a.sql": GOLANG["000001_a.down.sql"],
    "V1.1__b.sql": GOLANG["000002_b.up.sql"],
    "U1.1__b.sql": GOLANG["000002_b.down.sql"],
}
LAYOUTS = {"diesel": DIESEL, "golang": GOLANG, "dbmate": DBMATE, "flyway": FLYWAY}


def project(tmp: Path, files: dict[str, str]) -> Path:
    for name, sql in files.items():
        path = tmp / "migrations" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(sql, encoding="utf-8")
    return tmp


def lint(cwd: Path, *args: str, stdin: str = "") -> tuple[int, list[dict[str, object]], str]:
    env = {**os.environ, "SLIPWAY_CACHE_DIR": str(cwd / ".cache")}
    done = subprocess.run(
        [sys.executable, "-m", "slipway", "lint", "--format", "json", *args],
        cwd=cwd,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        check=False,
    )
    findings = json.loads(done.stdout)["findings"] if done.stdout.strip() else []
    return done.returncode, findings, done.stderr


def rules_by_file(findings: list[dict[str, object]]) -> set[tuple[str, str]]:
    return {(str(f["location"]["file"]).replace(os.sep, "/"), str(f["name"])) for f in findings}


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_a_folder_and_its_files_give_the_same_findings(tmp_path: Path, layout: str) -> None:
    root = project(tmp_path, LAYOUTS[layout])
    code, whole, err = lint(root, "migrations")
    assert code == 0, err
    assert "foreign-key-without-index" in {f["name"] for f in whole}, whole
    files = sorted(str(p.relative_to(root)) for p in (root / "migrations").rglob("*.sql"))
    code, listed, err = lint(root, *files)
    assert code == 0, err
    assert rules_by_file(listed) == rules_by_file(whole)
    assert not {"duplicate-version", "migration-without-rollback"} & {f["name"] for f in listed}
    code, above, err = lint(root, ".")
    assert code == 0 and rules_by_file(above) == rules_by_file(whole), err


def test_one_migrations_folder_or_file_replays_the_earlier_ones(tmp_path: Path) -> None:
    root = project(tmp_path, DIESEL)
    expected = {("migrations/2025-11-19-091444-0000_b/up.sql", "foreign-key-without-index")}
    code, findings, err = lint(root, "migrations/2025-11-19-091444-0000_b")
    assert code == 0 and rules_by_file(findings) == expected, err
    code, findings, err = lint(root, "migrations/2025-11-19-091444-0000_b/up.sql")
    assert code == 0 and rules_by_file(findings) == expected, err
    inside = root / "migrations" / "2025-11-19-091444-0000_b"
    code, findings, err = lint(inside, ".")
    assert code == 0 and {r for _, r in rules_by_file(findings)} == {"foreign-key-without-index"}


def test_two_folders_are_two_histories(tmp_path: Path) -> None:
    """Two services' migrations (or the files a pre-commit hook passes from both) are replayed
    apart: a table one folder creates is not "existing" for the other."""
    for service in ("billing", "crm"):
        folder = tmp_path / service / "migrations"
        folder.mkdir(parents=True)
        (folder / "0001_t.sql").write_text("CREATE TABLE t (id bigint PRIMARY KEY, a int);\n")
        (folder / "0001_t.down.sql").write_text("DROP TABLE t;\n")
        (folder / "0002_i.sql").write_text("CREATE INDEX t_a_idx ON t (a);\n")
        (folder / "0002_i.down.sql").write_text("DROP INDEX t_a_idx;\n")
    code, findings, err = lint(tmp_path, "billing/migrations", "crm/migrations")
    assert code == 0, err
    found = rules_by_file(findings)
    # Each folder's 0001 creates t and its 0002 indexes an existing table: the same findings
    # for both, and no "t already exists" or 0001-of-crm-on-billing's-t confusion.
    assert {(f, r) for f, r in found if f.startswith("billing/")} == {
        (f.replace("crm/", "billing/"), r) for f, r in found if f.startswith("crm/")
    }
    assert ("crm/migrations/0002_i.sql", "require-concurrent-index-creation") in found
    assert not [f for f in findings if f["name"] == "duplicate-version"]


def test_a_dash_reads_one_script_from_stdin(tmp_path: Path) -> None:
    code, findings, err = lint(tmp_path, "-", stdin="DROP DATABASE production;\n")
    assert code == 1, err
    assert ("<stdin>", "ban-drop-database") in rules_by_file(findings)


@pytest.mark.parametrize("target", ["empty", "notes.txt", "missing"])
def test_paths_that_yield_no_migration_exit_2(tmp_path: Path, target: str) -> None:
    (tmp_path / "empty").mkdir()
    (tmp_path / "notes.txt").write_text("hello", encoding="utf-8")
    code, findings, err = lint(tmp_path, target)
    assert code == 2 and findings == [], err
    assert err.startswith(f"error: {target}: ") and "Traceback" not in err


def test_the_cache_sees_an_edit_of_an_earlier_migration(tmp_path: Path) -> None:
    root = project(tmp_path, DIESEL)
    named = "migrations/2025-11-19-091444-0000_b/up.sql"
    assert lint(root, named)[1] != []
    first = root / "migrations" / "2019-02-26-002946_a" / "up.sql"
    first.write_text(
        DIESEL["2019-02-26-002946_a/up.sql"] + "CREATE INDEX b_a ON b (a_id);\n", encoding="utf-8"
    )
    os.utime(first.parent, ns=(1, 1))  # the folder's own mtime must not be what tells
    assert lint(root, named)[1] == []
