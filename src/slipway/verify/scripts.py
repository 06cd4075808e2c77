"""Run a migration's scripts the way verification needs: inside the caller's transaction.

The engine's `run_script` owns its transaction (BEGIN ... COMMIT). Verification keeps one
transaction open around up, snapshot, verify, down, snapshot, up, so a transactional script
runs here in a SAVEPOINT of the caller's transaction, as one simple-query message (two round
trips per script: the savepoint, then the script). Errors become MigrationFailed with `file:line:column`, exactly like the
engine's; when PostgreSQL gives no position the statements are replayed one at a time (in a
savepoint that is rolled back) to name the failing one.
"""

from __future__ import annotations

from typing import Any

import psycopg

from slipway.errors import MigrationFailed
from slipway.migrations.execute import describe_error, run_script
from slipway.migrations.model import Script
from slipway.migrations.statements import ParsedScript

Conn = psycopg.Connection[Any]

# PostgreSQL refuses these in a transaction that already did something else: the migration is
# then verified again with each step committed (see roundtrip.py).
TRANSACTION_ONLY_SQLSTATES = {"25001", "55P04", "55006"}


def is_transactional(script: Script | None) -> bool:
    """True when the engine would run the script in one transaction (absent scripts count)."""
    return script is None or ParsedScript(script).mode != "statements"


def sqlstate(exc: BaseException) -> str | None:
    """SQLSTATE of the PostgreSQL error behind a MigrationFailed, if any."""
    cause = exc.__cause__ if isinstance(exc, MigrationFailed) else exc
    return getattr(cause, "sqlstate", None)


def run_in_transaction(conn: Conn, script: Script, *, keep: bool = True) -> None:
    """Run a transactional script in a savepoint of the open transaction.

    The savepoint commands travel in the same message as the script (one round trip). With
    `keep=False` the script's effects are rolled back right away (verify scripts). On failure
    the savepoint is rolled back (the transaction stays usable) and MigrationFailed says
    where and why.
    """
    parsed = ParsedScript(script)
    parsed.check_syntax()
    body, base = parsed.body_sql()
    if not body.strip():
        return
    # The savepoint is its own message: a script the server cannot parse (syntax newer than
    # the server's; our parser knows more versions) is refused as a whole message, which
    # would abort the caller's transaction with no savepoint to return to.
    conn.execute(f"SAVEPOINT {_SAVEPOINT}")
    end = f"ROLLBACK TO SAVEPOINT {_SAVEPOINT}; " if not keep else ""
    message = f"{body}\n;{end}RELEASE SAVEPOINT {_SAVEPOINT}"
    try:
        conn.execute(message.encode("utf-8"), prepare=False)
    except psycopg.Error as exc:
        conn.execute(f"ROLLBACK TO SAVEPOINT {_SAVEPOINT}; RELEASE SAVEPOINT {_SAVEPOINT}")
        position = exc.diag.statement_position
        offset = base + int(position) - 1 if position else None
        if offset is None or not 0 <= offset <= len(script.sql):
            offset = _locate(conn, parsed)
        raise MigrationFailed(describe_error(exc, script, offset)) from exc


_SAVEPOINT = "slipway_script"


def _locate(conn: Conn, parsed: ParsedScript) -> int | None:
    """Offset of the first statement that fails when replayed alone (then rolled back)."""
    sql_text = parsed.script.sql
    try:
        with conn.transaction(force_rollback=True):
            for stmt, text in parsed.statement_texts():
                if stmt.transaction_kind:
                    continue
                try:
                    with conn.transaction():
                        conn.execute(text.encode("utf-8"), prepare=False)
                except psycopg.Error:
                    raw = sql_text[stmt.start : stmt.end]
                    return stmt.start + len(raw) - len(raw.lstrip())
    except psycopg.Error:
        return None
    return None


def run_committed(conn: Conn, script: Script) -> None:
    """Run a script on its own, committed (the engine's way: CONCURRENTLY and friends)."""
    run_script(conn, script, lock_timeout=60.0)
