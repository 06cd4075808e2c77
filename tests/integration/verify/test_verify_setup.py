"""`slipway verify --setup FILE`: the scratch database gets what the project's environment has
before its first migration (here a previous tool's history table, as diesel's, that a migration
puts a trigger on), before the first migration and again after every rebuild."""

from __future__ import annotations

import json
from pathlib import Path

import psycopg
from verify_helpers import Corpus, slipway, write_corpus

from slipway.verify.scratch import user_objects

SETUP = "CREATE TABLE tool_history (version text PRIMARY KEY);\n"
CORPUS: Corpus = {
    "0001_guard_tool": (
        (
            "CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS"
            " $$ BEGIN RAISE EXCEPTION 'use slipway'; END $$;\n"
            "CREATE TRIGGER refuse BEFORE INSERT ON tool_history"
            " FOR EACH ROW EXECUTE FUNCTION refuse();\n"
        ),
        "DROP TRIGGER refuse ON tool_history;\nDROP FUNCTION refuse();\n",
        None,
    ),
    # Broken rollback outside a transaction: the scratch database is rebuilt after it.
    "0002_index_left": (
        ("-- slipway: no-transaction\nCREATE TABLE t (id int);\nCREATE INDEX t_id ON t (id);\n"),
        "-- slipway: no-transaction\nDROP TABLE t;\nCREATE TABLE t (id int);\n",
        None,
    ),
    "0003_after_rebuild": (
        "ALTER TABLE tool_history ADD COLUMN run_on timestamptz;\n",
        "ALTER TABLE tool_history DROP COLUMN run_on;\n",
        None,
    ),
}


def _verdicts(project: Path, pg_server: str, *flags: str) -> dict[str, str]:
    write_corpus(project / "migrations", CORPUS)
    run = slipway(project, pg_server, "verify", "--format", "json", *flags)
    assert "Traceback" not in run.stderr, run.stderr
    return {e["version"]: e["verdict"] for e in json.loads(run.stdout)["results"]}


def test_without_setup_the_tools_table_is_missing(pg_server: str, project: Path) -> None:
    assert _verdicts(project, pg_server) == {
        "0001": "up-failed",
        "0002": "rollback-incomplete",
        "0003": "not-run",
    }


def test_setup_runs_first_and_after_every_rebuild(pg_server: str, project: Path) -> None:
    (project / "setup.sql").write_text(SETUP, encoding="utf-8")
    assert _verdicts(project, pg_server, "--setup", "setup.sql") == {
        "0001": "ok",
        "0002": "rollback-incomplete",
        "0003": "ok",
    }


def test_setup_with_scratch_url_which_is_emptied_afterwards(
    pg_server: str, project: Path, db_url: str
) -> None:
    (project / "setup.sql").write_text(SETUP, encoding="utf-8")
    got = _verdicts(project, pg_server, "--setup", "setup.sql", "--scratch-url", db_url)
    assert got == {"0001": "ok", "0002": "rollback-incomplete", "0003": "ok"}
    with psycopg.connect(db_url, autocommit=True) as conn:
        assert user_objects(conn) == []


def test_a_missing_or_failing_setup_is_one_line(pg_server: str, project: Path) -> None:
    write_corpus(project / "migrations", CORPUS)
    missing = slipway(project, pg_server, "verify", "--setup", "nope.sql")
    assert missing.returncode != 0
    assert "Traceback" not in missing.stderr
    assert "cannot read the set-up script nope.sql" in missing.stderr + missing.stdout
    (project / "bad.sql").write_text("CREATE TABLE oops (;\n", encoding="utf-8")
    bad = slipway(project, pg_server, "verify", "--setup", "bad.sql")
    assert bad.returncode != 0
    assert "Traceback" not in bad.stderr
    assert "the set-up script bad.sql failed on the scratch database: syntax error" in (
        bad.stderr + bad.stdout
    )
