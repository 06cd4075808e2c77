"""The engine's safety promises, each exercised against the real server."""

from __future__ import annotations

import json
from pathlib import Path

import psycopg
import pytest
from engine_helpers import Cli, query, table_exists

from slipway.errors import MigrationFailed
from slipway.migrations.execute import RetryPolicy, run_statements
from slipway.migrations.model import Script
from slipway.migrations.statements import ParsedScript


def applied_versions(conn: psycopg.Connection) -> list[str]:
    return [r[0] for r in query(conn, "SELECT version FROM slipway_migrations ORDER BY version")]


def test_failed_migration_leaves_nothing_and_reports_file_line_column(cli: Cli, db_conn) -> None:
    cli.write("0001_ok.sql", "CREATE TABLE ok (id int);")
    cli.write(
        "0002_bad.sql",
        "-- Half good\nCREATE TABLE half (id int);\nINSERT INTO half VALUES (1);\n"
        "ALTER TABLE half ADD COLUMN x int REFERENCES nosuch (id);\n",
    )
    result = cli("up")
    assert result.code == 1
    assert "0002_bad.sql:4:" in result.err
    assert 'relation "nosuch" does not exist' in result.err
    assert "SQLSTATE 42P01" in result.err
    assert "Traceback" not in result.text
    assert table_exists(db_conn, "ok")
    assert not table_exists(db_conn, "half")
    assert applied_versions(db_conn) == ["0001"]
    failed = query(
        db_conn,
        "SELECT version, outcome, error FROM slipway_migrations_log WHERE outcome = 'failed'",
    )
    assert failed and failed[0][0] == "0002" and "nosuch" in failed[0][2]


def test_runtime_error_without_position_names_the_statement(cli: Cli, db_conn) -> None:
    cli.write(
        "0001_data.sql",
        "CREATE TABLE t (id int PRIMARY KEY);\nINSERT INTO t VALUES (1);\n\nINSERT INTO t VALUES (1);\n",
    )
    result = cli("up")
    assert result.code == 1
    assert "0001_data.sql:4:1: duplicate key value violates unique constraint" in result.err
    assert "detail: Key (id)=(1) already exists." in result.err
    assert not table_exists(db_conn, "t")


def test_syntax_error_is_caught_before_anything_runs(cli: Cli, db_conn) -> None:
    cli.write("0001_ok.sql", "CREATE TABLE ok (id int);")
    cli.write("0002_typo.sql", "CREATE TABLE x (id int);\nSELEC 1;\n")
    result = cli("up")
    assert result.code == 1
    assert "0002_typo.sql:2:1" in result.err and 'syntax error at or near "SELEC"' in result.err
    assert not table_exists(db_conn, "ok")  # nothing ran: parsing happens first


def test_a_psql_meta_command_is_named_as_such(cli: Cli, db_conn) -> None:
    """`\\set` is psql's, not SQL: the server's parser trips over it further on, so the
    message names the line with the meta-command, not the place the parser gave up."""
    cli.write(
        "0001_vars.sql", "CREATE TABLE a (id int);\n\\set owner app\nCREATE TABLE b (id int);\n"
    )
    cli.write("0002_typo.sql", "-- a \\set in a comment is not a meta-command\nSELEC 1;\n")
    result = cli("up")
    assert result.code == 1
    assert "0001_vars.sql:2:1: \\set is a psql meta-command" in result.err, result.err
    assert not table_exists(db_conn, "a")
    cli.write("0001_vars.sql", "CREATE TABLE a (id int);\n")
    result = cli("up")
    assert 'syntax error at or near "SELEC"' in result.err and "meta-command" not in result.err


def test_history_table_name_is_configurable(cli: Cli, db_conn) -> None:
    (cli.project / "slipway.toml").write_text('[migrations]\ntable = "ops_schema_history"\n')
    cli.write("0001_a.sql", "CREATE TABLE a (id int);")
    assert cli("up").code == 0
    assert table_exists(db_conn, "ops_schema_history")
    assert table_exists(db_conn, "ops_schema_history_log")
    assert not table_exists(db_conn, "slipway_migrations")
    row = query(
        db_conn, "SELECT version, name, checksum, applied_by, duration_ms FROM ops_schema_history"
    )
    assert row[0][0] == "0001" and len(row[0][2]) == 64 and "@" in row[0][3]
    assert row[0][4] is not None


def test_crlf_checkout_is_not_drift(cli: Cli) -> None:
    path = cli.write("0001_a.sql", "-- A\nCREATE TABLE a (id int);\n")
    assert cli("up").code == 0
    path.write_bytes(b"-- A\r\nCREATE TABLE a (id int);\r\n")
    states = json.loads(cli("status", "--format", "json").out)["migrations"]
    assert states[0]["state"] == "applied"
    assert cli("validate").code == 0


def test_modified_file_refused_then_accepted_with_audit(cli: Cli, db_conn) -> None:
    path = cli.write("0001_a.sql", "CREATE TABLE a (id int);")
    assert cli("up").code == 0
    path.write_text("CREATE TABLE a (id int, note text);")
    cli.write("0002_b.sql", "CREATE TABLE b (id int);")
    states = json.loads(cli("status", "--format", "json").out)["migrations"]
    assert [s["state"] for s in states] == ["modified", "pending"]
    result = cli("up")
    assert result.code == 1 and "0001_a.sql" in result.err
    assert not table_exists(db_conn, "b")
    assert cli("validate").code == 1
    accepted = cli("accept", "0001", "--reason", "added a column by hand too")
    assert accepted.code == 0, accepted.text
    audit = query(
        db_conn,
        "SELECT action, old_checksum, checksum, applied_by, detail FROM slipway_migrations_log WHERE action = 'accept'",
    )
    assert (
        audit
        and audit[0][1] != audit[0][2]
        and audit[0][4] == {"reason": "added a column by hand too"}
    )
    assert cli("up").code == 0
    assert table_exists(db_conn, "b")


def test_out_of_order_pending_refused_unless_allowed(cli: Cli, db_conn) -> None:
    cli.write("0001_a.sql", "CREATE TABLE a (id int);")
    cli.write("0003_c.sql", "CREATE TABLE c (id int);")
    assert cli("up").code == 0
    cli.write("0002_b.sql", "CREATE TABLE b (id int);")
    result = cli("up")
    assert result.code == 1 and "0002_b.sql" in result.err and "--allow-out-of-order" in result.err
    assert not table_exists(db_conn, "b")
    assert cli("up", "--allow-out-of-order").code == 0
    assert table_exists(db_conn, "b")


def test_down_without_rollback_refuses_and_changes_nothing(cli: Cli, db_conn) -> None:
    cli.write("0001_a.sql", "CREATE TABLE a (id int);")
    cli.write("0001_a.down.sql", "DROP TABLE a;")
    cli.write("0002_b.sql", "CREATE TABLE b (id int);")
    assert cli("up").code == 0
    result = cli("down", "--steps", "2")
    assert result.code == 1 and "0002" in result.err and "no rollback" in result.err
    assert table_exists(db_conn, "a") and table_exists(db_conn, "b")
    assert applied_versions(db_conn) == ["0001", "0002"]


def test_down_to_redo_and_dry_run(cli: Cli, db_conn) -> None:
    for n, name in enumerate("abc", 1):
        cli.write(f"000{n}_{name}.sql", f"CREATE TABLE {name} (id int);")
        cli.write(f"000{n}_{name}.down.sql", f"DROP TABLE {name};")
    assert cli("up", "--to", "0002").code == 0
    assert applied_versions(db_conn) == ["0001", "0002"]
    dry = cli("up", "--dry-run")
    assert "0003" in dry.out and "CREATE TABLE c" in dry.out
    assert not table_exists(db_conn, "c")
    plan = json.loads(cli("plan", "down", "--format", "json").out)
    assert [s["version"] for s in plan["steps"]] == ["0002"] and plan["steps"][0]["sql"].startswith(
        "DROP TABLE b"
    )
    assert cli("up").code == 0
    assert cli("down", "--to", "0001").code == 0
    assert applied_versions(db_conn) == ["0001"]
    assert cli("redo").code == 0
    assert applied_versions(db_conn) == ["0001"] and table_exists(db_conn, "a")
    runs = json.loads(cli("history", "--format", "json").out)["runs"]
    assert [r["action"] for r in runs[:2]] == ["up", "down"]


def test_files_with_their_own_transaction_work_as_written(cli: Cli, db_conn) -> None:
    cli.write("0001_wrapped.sql", "BEGIN;\nCREATE TABLE w (id int);\nCOMMIT;\n")
    cli.write(
        "0002_two_transactions.sql",
        "BEGIN;\nCREATE TABLE t1 (id int);\nCOMMIT;\nBEGIN;\nCREATE TABLE t2 (id int);\nCOMMIT;\n",
    )
    result = cli("up")
    assert result.code == 0, result.text
    assert all(table_exists(db_conn, t) for t in ("w", "t1", "t2"))
    assert applied_versions(db_conn) == ["0001", "0002"]


def test_wrapped_file_failure_rolls_back_everything(cli: Cli, db_conn) -> None:
    cli.write("0001_wrapped.sql", "BEGIN;\nCREATE TABLE w (id int);\nSELECT 1/0;\nCOMMIT;\n")
    result = cli("up")
    assert (
        result.code == 1
        and "0001_wrapped.sql:3:" in result.err
        and "division by zero" in result.err
    )
    assert not table_exists(db_conn, "w")
    assert applied_versions(db_conn) == []


def test_baseline_adopts_an_existing_database(cli: Cli, db_conn) -> None:
    db_conn.execute("CREATE TABLE legacy (id int)")
    cli.write("0001_legacy.sql", "CREATE TABLE legacy (id int);")
    cli.write("0002_more.sql", "CREATE TABLE more (id int);")
    assert cli("baseline", "0001").code == 0
    states = json.loads(cli("status", "--format", "json").out)["migrations"]
    assert [s["state"] for s in states] == ["applied", "pending"]
    assert cli("up").code == 0
    assert table_exists(db_conn, "more")
    assert cli("baseline", "0001").code == 1  # only for a database never migrated


def test_missing_file_is_reported(cli: Cli) -> None:
    path = cli.write("0001_a.sql", "CREATE TABLE a (id int);")
    assert cli("up").code == 0
    path.unlink()
    states = json.loads(cli("status", "--format", "json").out)["migrations"]
    assert states == [{**states[0], "version": "0001", "state": "missing", "has_rollback": False}]
    assert cli("validate", "--format", "json").code == 1


def test_quiet_prints_nothing_but_errors(cli: Cli) -> None:
    cli.write("0001_a.sql", "CREATE TABLE a (id int);")
    cli.write("0002_b.sql", "SELECT nosuch;")
    result = cli("up", "-q")
    assert result.code == 1
    assert result.out == ""
    assert "0002_b.sql:1:8" in result.err


def test_baseline_at_a_version_without_a_file_and_accept_without_an_edit(cli: Cli, db_conn) -> None:
    cli.write("0005_new.sql", "CREATE TABLE fresh (id int);")
    assert cli("baseline", "0004").code == 0  # the old history is gone; 0004 is only a marker
    states = json.loads(cli("status", "--format", "json").out)["migrations"]
    assert [(s["version"], s["state"]) for s in states] == [("0005", "pending")]
    assert cli("up").code == 0 and table_exists(db_conn, "fresh")
    refused = cli("accept", "0005")
    assert refused.code == 1 and "not modified" in refused.err
    marker = query(db_conn, "SELECT action FROM slipway_migrations_log WHERE version = '0004'")
    assert marker == [("baseline",)]


PROBE = "INSERT INTO probe VALUES ({n}, current_setting('synchronous_commit'));"


def _write_probes(cli: Cli) -> None:
    """Each migration records the synchronous_commit its own transaction runs with."""
    cli.write("0001_probe.sql", "CREATE TABLE probe (n int, sc text);\n" + PROBE.format(n=1))
    # Non-transactional: run statement by statement, its commits deferred the same way.
    cli.write(
        "0002_probe.sql", "CREATE INDEX CONCURRENTLY probe_n ON probe (n);\n" + PROBE.format(n=2)
    )
    cli.write("0003_probe.sql", PROBE.format(n=3))


def test_only_the_last_commit_of_a_run_waits_for_the_disk(cli: Cli, db_conn) -> None:
    _write_probes(cli)
    assert cli("up").code == 0
    # The last commit flushes the WAL of the earlier ones; a crash before it loses whole
    # migrations with their history rows, never one without the other.
    assert query(db_conn, "SELECT n, sc FROM probe ORDER BY n") == [
        (1, "off"),
        (2, "off"),
        (3, "on"),
    ]
    assert query(db_conn, "SHOW synchronous_commit") == [("on",)]  # nothing leaked


def test_flush_each_migration_makes_every_commit_wait(cli: Cli, db_conn) -> None:
    (cli.project / "slipway.toml").write_text("[migrations]\nflush_each_migration = true\n")
    _write_probes(cli)
    assert cli("up").code == 0
    assert query(db_conn, "SELECT sc FROM probe ORDER BY n") == [("on",), ("on",), ("on",)]


def test_flush_each_migration_must_be_a_boolean(cli: Cli) -> None:
    (cli.project / "slipway.toml").write_text('[migrations]\nflush_each_migration = "yes"\n')
    cli.write("0001_a.sql", "CREATE TABLE a (id int);")
    result = cli("up")
    assert result.code == 2
    assert "flush_each_migration" in result.err and "true or false" in result.err


def test_a_begin_without_commit_is_refused_before_anything_runs(cli: Cli, db_conn) -> None:
    # It used to run statement by statement, leave the transaction open, roll it back when
    # the migration ended, and still print "applied" and record it: the table was gone.
    cli.write("0001_a.sql", "CREATE TABLE before_begin (id int);\n")
    cli.write("0002_b.sql", "SELECT 1;\nBEGIN;\nCREATE TABLE lost (id int);\n")
    result = cli("up")
    assert result.code == 1, result.text
    assert "0002_b.sql:2:1" in result.err and "never committed" in result.err
    assert not table_exists(db_conn, "before_begin") and not table_exists(db_conn, "lost")
    cli.write("0002_b.sql", "SELECT 1;\nBEGIN;\nCREATE TABLE lost (id int);\nCOMMIT;\n")
    assert cli("up").code == 0
    assert table_exists(db_conn, "lost")


def test_the_statement_runner_never_rolls_back_an_open_transaction_quietly(db_url: str) -> None:
    # Behind the parse-time refusal: if a script still ends inside a transaction it opened,
    # the runner says so instead of rolling it back and reporting success.
    script = Script(Path("0001_open.sql"), "BEGIN;\nCREATE TABLE never_kept (id int);\n")
    with psycopg.connect(db_url, autocommit=True) as conn:
        with pytest.raises(MigrationFailed, match="ends inside a transaction"):
            run_statements(conn, ParsedScript(script), RetryPolicy(lock_timeout=5.0))
        assert conn.info.transaction_status == 0  # rolled back, the session usable
        assert conn.execute("SELECT to_regclass('never_kept')").fetchone() == (None,)
