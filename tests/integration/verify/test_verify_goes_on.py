"""`slipway verify` never stops early: every failure is one migration's verdict, the run goes
on to the last migration on a rebuilt scratch state, and the summary and JSON are complete."""

from __future__ import annotations

import json
from pathlib import Path

from verify_helpers import BASE, Corpus, slipway, write_corpus

# version_name -> (up, down, verify); EXPECTED says what each must get.
FAILING: Corpus = {
    **BASE,
    "0002_down_errors": ("CREATE TABLE a (id int);\n", "DROP TABLE a;\nDROP TABLE nope;\n", None),
    "0003_verify_fails": (
        "ALTER TABLE a ADD COLUMN b int;\n",
        "ALTER TABLE a DROP COLUMN b;\n",
        "SELECT missing FROM a;\n",
    ),
    # Committed statement by statement: the first index stays when the second fails.
    "0004_up_fails_midway": (
        (
            "CREATE INDEX CONCURRENTLY i4 ON customers (email);\n"
            "CREATE INDEX CONCURRENTLY i4b ON nowhere (x);\n"
        ),
        "DROP INDEX CONCURRENTLY i4b;\nDROP INDEX CONCURRENTLY i4;\n",
        None,
    ),
    # Passes only if the rebuild removed 0004's half-made index.
    "0005_same_name": ("CREATE INDEX i4 ON customers (email);\n", "DROP INDEX i4;\n", None),
    # The down kills its own connection: a psycopg error, not a failed script.
    "0006_down_crashes": (
        "CREATE TABLE t6 (id int);\n",
        "SELECT pg_terminate_backend(pg_backend_pid());\n",
        None,
    ),
    "0007_needs_0004": ("DROP INDEX i4b;\n", "CREATE INDEX i4b ON customers (id);\n", None),
    # Runs on the rebuilt state: 0002, 0003 and 0006's ups are there, 0004's is not.
    "0008_after_all_that": (
        "ALTER TABLE t6 ADD COLUMN z int;\n",
        "ALTER TABLE t6 DROP COLUMN z;\n",
        "SELECT a.b, t6.z FROM a, t6 WHERE false;\n",
    ),
}

EXPECTED = {  # version -> (verdict, text in the error or a difference)
    "0001": ("ok", None),
    "0002": ("rollback-failed", "0002_down_errors.down.sql:2:1"),
    "0003": ("verify-failed", "0003_verify_fails.verify.sql:1:8"),
    "0004": ("up-failed", "0004_up_fails_midway.sql:2:"),
    "0005": ("ok", None),
    "0006": ("rollback-failed", "down failed: "),
    "0007": ("not-run", "cannot be applied after 0004's up failed: "),
    "0008": ("ok", None),
}


def _write(project: Path) -> None:
    write_corpus(project / "migrations", FAILING)


def test_json_has_one_verdict_per_migration_whatever_fails(pg_server: str, project: Path) -> None:
    _write(project)
    run = slipway(project, pg_server, "verify", "--format", "json")
    assert run.returncode == 1, run.stdout + run.stderr
    assert "Traceback" not in run.stderr
    entries = {e["version"]: e for e in json.loads(run.stdout)["results"]}
    assert sorted(entries) == sorted(EXPECTED)
    for version, (verdict, needle) in EXPECTED.items():
        entry = entries[version]
        assert entry["verdict"] == verdict, entry
        text = " | ".join([*entry["differences"], entry["error"] or ""])
        if needle is None:
            assert entry["differences"] == [] and entry["error"] is None, entry
        else:
            assert needle in text, entry


def test_text_prints_every_migration_and_the_summary(pg_server: str, project: Path) -> None:
    _write(project)
    run = slipway(project, pg_server, "verify")
    assert run.returncode == 1, run.stdout + run.stderr
    assert "Traceback" not in run.stderr
    for version, (verdict, _) in EXPECTED.items():
        assert f"{version} " in run.stdout and f" ... {verdict} (" in run.stdout
    assert (
        "8 of 8 migration(s) verified: 1 not-run, 3 ok, 2 rollback-failed, 1 up-failed, "
        "1 verify-failed"
    ) in run.stdout, run.stdout


def test_exit_0_when_only_the_failures_are_fixed(pg_server: str, project: Path) -> None:
    """Exit 1 came from the verdicts: the same run with each failure fixed passes."""
    fixed: Corpus = {
        "0001_customers": BASE["0001_customers"],
        "0002_down_errors": ("CREATE TABLE a (id int);\n", "DROP TABLE a;\n", None),
    }
    write_corpus(project / "migrations", fixed)
    run = slipway(project, pg_server, "verify")
    assert run.returncode == 0, run.stdout + run.stderr
    assert "2 of 2 migration(s) verified: 2 ok" in run.stdout


def test_a_lost_connection_is_one_verdict_and_the_state_is_rebuilt(
    pg_server: str, project: Path
) -> None:
    """Not a failed script but a psycopg error: it used to escape, printing nothing."""
    corpus: Corpus = {
        "0001_customers": BASE["0001_customers"],
        "0002_down_crashes": FAILING["0006_down_crashes"],
        "0003_uses_t6": (
            "ALTER TABLE t6 ADD COLUMN z int;\n",
            "ALTER TABLE t6 DROP COLUMN z;\n",
            None,
        ),
    }
    write_corpus(project / "migrations", corpus)
    run = slipway(project, pg_server, "verify", "--format", "json")
    assert run.returncode == 1, run.stdout + run.stderr
    assert [e["verdict"] for e in json.loads(run.stdout)["results"]] == [
        "ok",
        "rollback-failed",
        "ok",
    ]


# Syntax of a newer PostgreSQL (18's `ADD CONSTRAINT name NOT NULL column`): slipway's parser
# accepts it, the server (15 or 16) refuses the whole message. Seen on a real project's down
# scripts; the verdict must name the real error, not a lost savepoint.
NEWER_SYNTAX: Corpus = {
    **BASE,
    "0002_newer_down": (
        "ALTER TABLE customers ALTER COLUMN email DROP NOT NULL;\n",
        "ALTER TABLE customers ADD CONSTRAINT email_nn NOT NULL email;\n",
        None,
    ),
    "0003_after": ("CREATE TABLE t3 (id int);\n", "DROP TABLE t3;\n", None),
}


def test_a_down_the_server_cannot_parse_is_its_own_verdict(pg_server: str, project: Path) -> None:
    write_corpus(project / "migrations", NEWER_SYNTAX)
    run = slipway(project, pg_server, "verify", "--format", "json")
    entries = {e["version"]: e for e in json.loads(run.stdout)["results"]}
    assert entries["0002"]["verdict"] == "rollback-failed", entries["0002"]
    assert "0002_newer_down.down.sql:1:" in entries["0002"]["error"]
    assert "syntax error" in entries["0002"]["error"]
    assert "savepoint" not in entries["0002"]["error"]
    assert entries["0003"]["verdict"] == "ok", entries["0003"]


def test_a_role_the_server_already_has_says_why_verify_cannot_replay_it(
    pg_server: str, project: Path
) -> None:
    """Roles belong to the whole server: once the real database created one, verify's scratch
    database cannot create it again, and the verdict says so and how to write it."""
    import uuid

    import psycopg

    role = f"slipway_role_{uuid.uuid4().hex[:8]}"
    corpus: Corpus = {"0001_role": (f"CREATE ROLE {role};\n", f"DROP ROLE {role};\n", None)}
    write_corpus(project / "migrations", corpus)
    with psycopg.connect(pg_server, autocommit=True) as conn:
        conn.execute(f"CREATE ROLE {role}")
        try:
            run = slipway(project, pg_server, "verify", "--format", "json")
        finally:
            conn.execute(f"DROP ROLE {role}")
    (entry,) = json.loads(run.stdout)["results"]
    assert entry["verdict"] == "up-failed"
    assert f'role "{role}" already exists' in entry["error"]
    assert "roles are shared by every database of a server" in entry["error"]
    assert "IF NOT EXISTS (SELECT FROM pg_roles" in entry["error"]
