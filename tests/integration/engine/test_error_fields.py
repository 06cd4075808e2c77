"""A failed script's MigrationFailed carries SQLSTATE and file position as fields, not only in
its text, whichever way the script ran (engine transaction, statement by statement, verify's
savepoint) — the same fields the text shows."""

from __future__ import annotations

from pathlib import Path

import psycopg
import pytest

from slipway.errors import MigrationFailed
from slipway.migrations.execute import run_script
from slipway.migrations.model import Script
from slipway.verify.scripts import run_in_transaction


def _fields(err: MigrationFailed) -> tuple[str | None, str | None, int | None, int | None]:
    return err.sqlstate, err.path, err.line, err.column


def test_transaction_failure_without_position_has_fields(db_conn: psycopg.Connection) -> None:
    script = Script(
        Path("m/0001_dup.sql"),
        "CREATE TABLE t (id int PRIMARY KEY);\n"
        "INSERT INTO t VALUES (1);\n\n  INSERT INTO t VALUES (1);\n",
        line_offset=2,
    )
    with pytest.raises(MigrationFailed) as caught:
        run_script(db_conn, script)
    assert _fields(caught.value) == ("23505", "m/0001_dup.sql", 6, 3)
    assert str(caught.value).startswith("m/0001_dup.sql:6:3: duplicate key value")


def test_position_from_the_server_has_fields(db_conn: psycopg.Connection) -> None:
    script = Script(Path("m/0002_col.sql"), "CREATE TABLE a (id int);\nSELECT nosuch FROM a;\n")
    with pytest.raises(MigrationFailed) as caught:
        run_script(db_conn, script)
    assert _fields(caught.value) == ("42703", "m/0002_col.sql", 2, 8)


def test_statement_by_statement_failure_has_fields(db_conn: psycopg.Connection) -> None:
    script = Script(
        Path("m/0003_idx.sql"),
        "CREATE TABLE b (id int);\n"
        "CREATE INDEX CONCURRENTLY b_id ON b (id);\nINSERT INTO b VALUES ('x');\n",
    )
    with pytest.raises(MigrationFailed) as caught:
        run_script(db_conn, script)
    assert _fields(caught.value) == ("22P02", "m/0003_idx.sql", 3, 23)
    assert "statement 3 of 3 failed" in str(caught.value)


def test_syntax_error_has_fields(db_conn: psycopg.Connection) -> None:
    script = Script(Path("m/0004_typo.sql"), "CREATE TABLE x (id int);\nSELEC 1;\n")
    with pytest.raises(MigrationFailed) as caught:
        run_script(db_conn, script)
    assert _fields(caught.value) == ("42601", "m/0004_typo.sql", 2, 1)


def test_verify_savepoint_failure_has_fields_and_keeps_the_transaction(
    db_conn: psycopg.Connection,
) -> None:
    script = Script(
        Path("m/0005_check.sql"),
        "CREATE TABLE c (n int CHECK (n > 0));\n"
        "INSERT INTO c VALUES (1);\nINSERT INTO c VALUES (-1);\n",
    )
    with db_conn.transaction(force_rollback=True):
        with pytest.raises(MigrationFailed) as caught:
            run_in_transaction(db_conn, script)
        assert db_conn.execute("SELECT 1").fetchone() == (1,)  # still usable
    assert _fields(caught.value) == ("23514", "m/0005_check.sql", 3, 1)
