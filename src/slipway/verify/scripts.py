"""Run a migration's scripts the way verification needs: inside the caller's transaction.

The engine's `run_script` owns its transaction (BEGIN ... COMMIT). Verification keeps one
transaction open around up, snapshot, verify, down, snapshot, up, so a transactional script
runs here in a SAVEPOINT of the caller's transaction, as one simple-query message (two round
trips per script: the savepoint, then the script). Errors become MigrationFailed exactly as
the engine's do (`migrations/failure.py`: `file:line:column`, SQLSTATE, also as fields).
"""

from __future__ import annotations

import psycopg

from slipway.db import Conn
from slipway.migrations.execute import run_script
from slipway.migrations.failure import failure_offset, script_failure, sqlstate_of
from slipway.migrations.model import Script
from slipway.migrations.statements import ParsedScript

# PostgreSQL refuses these in a transaction that already did something else: the migration is
# then verified again with each step committed (see roundtrip.py).
TRANSACTION_ONLY_SQLSTATES = {"25001", "55P04", "55006"}


def is_transactional(script: Script | None, rolled_back: bool = False) -> bool:
    """True when the engine would run the script in one transaction (absent scripts count);
    `rolled_back` (a verify script): a `BEGIN; ...; ROLLBACK;` file counts too."""
    if script is None:
        return True
    parsed = ParsedScript(script)
    return parsed.mode != "statements" or (rolled_back and parsed.begin_rollback)


def sqlstate(exc: BaseException) -> str | None:
    """SQLSTATE of the PostgreSQL error behind a MigrationFailed, if any."""
    return sqlstate_of(exc)


def run_in_transaction(conn: Conn, script: Script, *, keep: bool = True) -> None:
    """Run a transactional script in a savepoint of the open transaction.

    The savepoint commands travel in the same message as the script (one round trip). With
    `keep=False` the script's effects are rolled back right away (verify scripts). On failure
    the savepoint is rolled back (the transaction stays usable) and MigrationFailed says
    where and why.
    """
    parsed = ParsedScript(script)
    parsed.check_syntax()
    body, base = parsed.body_sql(rolled_back=not keep)
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
        raise script_failure(exc, script, failure_offset(conn, parsed, exc, base)) from exc


_SAVEPOINT = "slipway_script"


def run_committed(conn: Conn, script: Script) -> None:
    """Run a script on its own, committed (the engine's way: CONCURRENTLY and friends)."""
    run_script(conn, script, lock_timeout=60.0)
