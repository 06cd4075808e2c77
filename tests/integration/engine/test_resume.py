"""Resuming after a kill in either direction, `partial` in status, and lost connections."""

from __future__ import annotations

import json
import signal
import threading
import time
from typing import Any

import psycopg
from engine_helpers import Cli, query

SLIPWAY_ACTIVE = (
    "SELECT pid FROM pg_stat_activity WHERE application_name = 'slipway'"
    " AND state = 'active' AND query ILIKE %s AND pid <> pg_backend_pid()"
)


def wait_for(conn: psycopg.Connection[Any], sql: str, *params: Any, timeout: float = 15) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        rows = query(conn, sql, *params)
        if rows:
            return rows[0][0]
        if time.monotonic() > deadline:
            raise AssertionError(f"not seen in time: {sql} {params}")
        time.sleep(0.02)


def wait_gone(conn: psycopg.Connection[Any]) -> None:
    """Until the server has noticed that the killed client is gone (within a second)."""
    wait_for(
        conn,
        "SELECT 1 WHERE NOT EXISTS (SELECT FROM pg_stat_activity WHERE application_name = 'slipway')",
    )


def index_defs(conn: psycopg.Connection[Any]) -> list[tuple[str, bool]]:
    return query(
        conn,
        "SELECT c.relname, i.indisvalid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid"
        " WHERE i.indrelid = 't'::regclass ORDER BY 1",
    )


def _kill_after_index_is_built(cli: Cli, db_conn: psycopg.Connection[Any], url: str) -> None:
    """The server finishes the CREATE INDEX CONCURRENTLY, then the client dies before its
    progress is written (held up here by a lock on the run log)."""
    holder = psycopg.connect(url)  # an old snapshot: the build waits for it to end
    holder.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
    holder.execute("SELECT 1")
    proc = cli.spawn("up")
    wait_for(db_conn, SLIPWAY_ACTIVE, "CREATE INDEX CONCURRENTLY t_a%")
    locker = psycopg.connect(url)
    locker.execute("LOCK TABLE slipway_migrations_log IN EXCLUSIVE MODE")
    holder.rollback()
    wait_for(
        db_conn, SLIPWAY_ACTIVE.replace("state = 'active'", "wait_event_type = 'Lock'"), "%log%"
    )
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=10)
    wait_gone(db_conn)  # the server noticed the dead client: its UPDATE is cancelled
    locker.rollback()
    holder.close()
    locker.close()


def test_index_built_by_a_killed_run_counts_as_done(cli: Cli, db_conn, db_url: str) -> None:
    cli.write("0001_t.sql", "CREATE TABLE t (a int, b text);")
    assert cli("up").code == 0
    cli.write(
        "0002_idx.sql",
        "CREATE INDEX CONCURRENTLY t_a ON t (a, lower(b)) WHERE b <> 'x';\n"
        "CREATE INDEX CONCURRENTLY t_b ON t (b);\n",
    )
    _kill_after_index_is_built(cli, db_conn, db_url)
    assert index_defs(db_conn) == [("t_a", True)]  # built, but no progress recorded
    assert "partial: up stopped in statement 1 of 2" in cli("status").out
    rerun = cli("up")
    assert rerun.code == 0, rerun.text
    assert "index public.t_a was built by the earlier run" in rerun.out
    assert index_defs(db_conn) == [("t_a", True), ("t_b", True)]
    assert "partial" not in cli("status").out


def test_an_index_that_differs_is_not_taken_for_the_one_started(
    cli: Cli, db_conn, db_url: str
) -> None:
    cli.write("0001_t.sql", "CREATE TABLE t (a int, b text);")
    assert cli("up").code == 0
    cli.write("0002_idx.sql", "CREATE INDEX CONCURRENTLY t_a ON t (a) WHERE b <> 'x';\n")
    _kill_after_index_is_built(cli, db_conn, db_url)
    db_conn.execute("DROP INDEX t_a")
    db_conn.execute("CREATE INDEX t_a ON t (a) WHERE b <> 'y'")  # same name, other predicate
    rerun = cli("up")
    assert rerun.code == 1
    assert 'relation "t_a" already exists' in rerun.err


def test_down_resumes_where_it_stopped_and_status_says_partial(
    cli: Cli, db_conn, db_url: str
) -> None:
    cli.write("0001_t.sql", "CREATE TABLE t (a int); CREATE TABLE u (b int);")
    cli.write(
        "0002_idx.sql",
        "CREATE INDEX CONCURRENTLY t_a ON t (a);\nCREATE INDEX CONCURRENTLY u_b ON u (b);\n",
    )
    cli.write("0002_idx.down.sql", "DROP INDEX CONCURRENTLY t_a;\nDROP INDEX CONCURRENTLY u_b;\n")
    assert cli("up").code == 0
    reader = psycopg.connect(db_url)
    reader.execute("SELECT * FROM u")  # holds a lock the second DROP waits for
    proc = cli.spawn("down")
    wait_for(db_conn, SLIPWAY_ACTIVE, "DROP INDEX CONCURRENTLY u_b%")
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=10)
    wait_gone(db_conn)
    reader.close()
    assert index_defs(db_conn) == []
    assert query(db_conn, "SELECT to_regclass('u_b') IS NOT NULL") == [(True,)]
    status = cli("status")
    assert "partial: down stopped after statement 1 of 2" in status.out, status.out
    shown = json.loads(cli("status", "--format", "json").out)["migrations"][1]
    assert shown["state"] == "partial"
    assert shown["partial"]["action"] == "down" and shown["partial"]["statements_done"] == 1
    refused = cli("up")
    assert refused.code == 1 and "partly rolled back" in refused.err
    rerun = cli("down")
    assert rerun.code == 0, rerun.text
    assert "resuming at statement 2 of 2 (down" in rerun.out
    assert query(db_conn, "SELECT to_regclass('u_b')") == [(None,)]
    assert [r[0] for r in query(db_conn, "SELECT version FROM slipway_migrations")] == ["0001"]


def _terminate_when_running(db_conn: psycopg.Connection[Any], pattern: str) -> threading.Thread:
    def terminate() -> None:
        pid = wait_for(db_conn, SLIPWAY_ACTIVE, pattern)
        db_conn.execute("SELECT pg_terminate_backend(%s)", (pid,))

    thread = threading.Thread(target=terminate)
    thread.start()
    return thread


def test_lost_connection_in_a_transaction_is_one_line(cli: Cli, db_conn) -> None:
    cli.write("0001_slow.sql", "CREATE TABLE gone (id int);\nSELECT pg_sleep(30);\n")
    thread = _terminate_when_running(db_conn, "%pg_sleep(30)%")
    result = cli("up")
    thread.join()
    assert result.code == 1, result.text
    assert "Traceback" not in result.text and "OperationalError" not in result.text
    line = result.err.strip()
    assert line.count("\n") == 0
    assert "lost the connection to the database while applying 0001 slow" in line
    assert "nothing of it remains" in line
    assert query(db_conn, "SELECT to_regclass('gone')") == [(None,)]
    logged = query(db_conn, "SELECT outcome, error FROM slipway_migrations_log")
    assert logged[0][0] == "failed" and "lost the connection" in logged[0][1]


def test_lost_connection_statement_by_statement_says_what_ran(cli: Cli, db_conn) -> None:
    cli.write(
        "0001_steps.sql",
        "CREATE TABLE kept (id int);\nCREATE INDEX CONCURRENTLY kept_id ON kept (id);\n"
        "SELECT pg_sleep(CASE WHEN to_regnamespace('slow_flag') IS NULL THEN 0 ELSE 30 END);\n"
        "CREATE TABLE later (id int);\n",
    )
    db_conn.execute("CREATE SCHEMA slow_flag")
    thread = _terminate_when_running(db_conn, "%slow_flag%")
    result = cli("up")
    thread.join()
    assert result.code == 1, result.text
    assert "OperationalError" not in result.text
    assert "statements 1..2 of 4 ran and stay applied" in result.err, result.err
    db_conn.execute("DROP SCHEMA slow_flag")
    again = cli("up")
    assert again.code == 0 and "resuming at statement 3 of 4" in again.out, again.text


def test_lost_connection_during_down_is_one_line(cli: Cli, db_conn) -> None:
    cli.write("0001_t.sql", "CREATE TABLE t (id int);")
    cli.write("0001_t.down.sql", "SELECT pg_sleep(30);\nDROP TABLE t;")
    assert cli("up").code == 0
    thread = _terminate_when_running(db_conn, "%pg_sleep(30)%")
    result = cli("down")
    thread.join()
    assert result.code == 1
    assert "lost the connection to the database while rolling back 0001 t" in result.err
    assert "nothing of it remains" in result.err
    assert "OperationalError" not in result.text
    assert query(db_conn, "SELECT version FROM slipway_migrations") == [("0001",)]
