"""Run one script against PostgreSQL: in one transaction when it can, else statement by
statement; DDL waits for locks at most lock_timeout and is retried with backoff.

Errors come back as MigrationFailed carrying `file:line:column`, PostgreSQL's message, detail,
hint and SQLSTATE.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from slipway.errors import ConnectionLost, MigrationFailed
from slipway.migrations.failure import (
    error_offset,
    failure_offset,
    script_failure,
    sqlstate_of,
)
from slipway.migrations.model import Script, checksum
from slipway.migrations.statements import ParsedScript
from slipway.sql import RunMode, Statement
from slipway.sql.quote import quote_literal

if TYPE_CHECKING:
    import psycopg

__all__ = [
    "MAX_BACKOFF",
    "RESET_IDENTITY",
    "RESET_SESSION",
    "RETRYABLE",
    "Progress",
    "RetryPolicy",
    "RunOutcome",
    "invalid_index_probe",
    "lock_retries",
    "run_script",
    "run_statements",
    "run_transaction",
    "statement_checksums",
]


RETRYABLE = {"55P03", "40P01"}  # lock_not_available, deadlock_detected
MAX_BACKOFF = 5.0


@dataclass
class RunOutcome:
    """How one script ran: its mode, lock retries, statements done and what resuming found."""

    mode: RunMode
    lock_retries: int = 0
    statements_done: int = 0
    statements_total: int = 0
    resumed_from: int = 0
    cleaned: list[str] = field(default_factory=list)  # leftovers removed before a retry
    notes: list[str] = field(default_factory=list)  # what resuming found done or cleaned


@dataclass(frozen=True)
class RetryPolicy:
    """How long DDL waits for a lock, and how often and how fast it is retried."""

    lock_timeout: float = 5.0
    retries: int = 5
    backoff: float = 0.5
    on_retry: Callable[[int, str], None] | None = None

    def pause(self, attempt: int) -> None:
        """Sleep before retry `attempt` (exponential backoff, capped at MAX_BACKOFF)."""
        time.sleep(min(self.backoff * 2 ** (attempt - 1), MAX_BACKOFF))


# A migration's SET ROLE / SET SESSION AUTHORIZATION must not outlive it: RESET ALL skips both.
RESET_IDENTITY = "RESET SESSION AUTHORIZATION;\nRESET ROLE;\n"
RESET_SESSION = RESET_IDENTITY + "RESET ALL"


def _ms(seconds: float) -> str:
    return f"{int(seconds * 1000)}ms"


def _session_settings(conn: psycopg.Connection[Any], lock_timeout: float, local: bool) -> str:
    scope = "LOCAL " if local else ""
    parts = [f"SET {scope}lock_timeout = '{_ms(lock_timeout)}'"]
    if conn.info.server_version >= 140000:
        # A killed client's statement is cancelled within a second, releasing its locks.
        parts.append(f"SET {scope}client_connection_check_interval = '1s'")
    return ";\n".join(parts) + ";\n"


T = TypeVar("T")


def lock_retries(
    policy: RetryPolicy,
    outcome: RunOutcome,
    attempt: Callable[[int], T],
    *,
    on_error: Callable[[psycopg.Error], None],
    fail: Callable[[psycopg.Error, int], Exception],
    retryable: bool = True,
) -> T:
    """The one lock-retry loop: `attempt(n)` (n = retries so far) until it succeeds.

    After an error `on_error` runs first (it may raise: a lost connection, a statement that
    must leave the transaction block). A lock timeout or deadlock is then retried with
    backoff up to `policy.retries` times (counted in `outcome.lock_retries`) when
    `retryable`; any other error, or the last one, raises `fail(error, retries so far)`.
    """
    import psycopg

    retries = 0
    while True:
        try:
            return attempt(retries)
        except psycopg.Error as exc:
            on_error(exc)
            if retryable and sqlstate_of(exc) in RETRYABLE and retries < policy.retries:
                retries += 1
                outcome.lock_retries += 1
                if policy.on_retry:
                    policy.on_retry(retries, str(getattr(exc.diag, "message_primary", exc)))
                policy.pause(retries)
                continue
            raise fail(exc, retries) from exc


def run_transaction(
    conn: psycopg.Connection[Any],
    parsed: ParsedScript,
    policy: RetryPolicy,
    epilogue: str = "",
    defer_flush: bool = False,
) -> RunOutcome:
    """BEGIN; settings; script; epilogue (history rows); COMMIT — one simple-query message.

    `defer_flush` commits without waiting for the WAL to reach disk (synchronous_commit off
    for this transaction only). The caller uses it for every migration of a run but the last:
    the last one's ordinary commit flushes the WAL of all earlier ones, and a crash before it
    can only lose a suffix of whole migrations, each together with its history row.
    """
    script = parsed.script
    body, body_offset = parsed.body_sql()
    prelude = "BEGIN;\n" + _session_settings(conn, policy.lock_timeout, local=True)
    if defer_flush:
        prelude += "SET LOCAL synchronous_commit = off;\n"
    # The history rows are written as the connecting user whatever role the script took, and
    # RESET ALL (which leaves role and session authorization alone) undoes any other SET.
    query = (
        prelude + body + "\n;\n" + RESET_IDENTITY + epilogue + ";\nCOMMIT;\n" + RESET_SESSION
    ).encode("utf-8")
    outcome = RunOutcome(mode=parsed.mode)

    def attempt(_: int) -> None:
        conn.execute(query, prepare=False)

    def on_error(exc: psycopg.Error) -> None:
        if conn.broken:
            raise ConnectionLost("nothing of it remains: its transaction never committed") from exc
        _rollback(conn)

    def fail(exc: psycopg.Error, retries: int) -> MigrationFailed:
        settings = _session_settings(conn, policy.lock_timeout, local=True)
        offset = failure_offset(conn, parsed, exc, body_offset - len(prelude), settings)
        return script_failure(exc, script, offset, _retry_note(exc, retries))

    lock_retries(policy, outcome, attempt, on_error=on_error, fail=fail)
    return outcome


def _retry_note(exc: Exception, retries: int) -> str:
    """What to do when the lock retries ran out ('' for any other error)."""
    if sqlstate_of(exc) not in RETRYABLE:
        return ""
    return (
        f"; gave up after {retries + 1} tries: a long transaction holds a lock this "
        "migration needs — find it in pg_stat_activity, or run again when traffic is lower"
    )


def _rollback(conn: psycopg.Connection[Any]) -> None:
    import psycopg

    try:
        conn.execute("ROLLBACK")
        conn.execute(RESET_SESSION)
    except psycopg.Error:
        pass


@dataclass(frozen=True)
class Progress:
    """How a non-transactional migration records its progress (SQL text from the runner).

    A statement that can run in a transaction commits together with `done_sql`, so its effect
    and its progress can never part. One that cannot (CONCURRENTLY, VACUUM, ...) is marked
    with `started_sql` first; a rerun then asks slipway.migrations.recover whether the
    interrupted run already did it.
    """

    done_sql: Callable[[int], str]  # `n` statements have taken effect
    started_sql: Callable[[int], str]  # statement `n` (1-based) is about to run on its own
    started_before: int = 0  # the statement an interrupted earlier run had started


def run_statements(
    conn: psycopg.Connection[Any],
    parsed: ParsedScript,
    policy: RetryPolicy,
    start_at: int = 0,
    progress: Progress | None = None,
    defer_flush: bool = False,
) -> RunOutcome:
    """Run each statement on its own, outside a transaction (unless the file opens one).

    With `progress`, every statement's effect is recorded as described there. A failure
    raises MigrationFailed naming how many statements ran. `defer_flush` as in
    run_transaction: the statements' own commits (and the progress rows written with them)
    do not wait for the disk; the session is reset before the caller's final, waiting commit.
    """
    import psycopg

    statements = parsed.statement_texts()
    outcome = RunOutcome(mode="statements", statements_total=len(statements), resumed_from=start_at)
    # Session settings ride along with the first statement's preparation (one round trip less).
    settings = _session_settings(conn, policy.lock_timeout, local=False)
    if defer_flush:
        settings += "SET synchronous_commit = off;\n"
    try:
        for index in range(start_at, len(statements)):
            stmt, text = statements[index]
            following = statements[index + 1][0] if index + 1 < len(statements) else None
            step = _StatementRun(conn, parsed, policy, outcome, index, progress)
            try:
                step.run(stmt, text, settings, following)
            except psycopg.Error as exc:
                if not conn.broken:
                    raise
                raise step.lost() from exc
            settings = ""
            outcome.statements_done = index + 1
        if conn.info.transaction_status != 0:  # the script left a transaction open
            raise MigrationFailed(
                f"{parsed.script.path}: the script ends inside a transaction it opened, which"
                " was rolled back; end it with COMMIT"
            )
    finally:
        if conn.info.transaction_status == 0:  # IDLE
            conn.execute(RESET_SESSION)
        elif not conn.closed:
            _rollback(conn)
    return outcome


def _prepare(conn: psycopg.Connection[Any], stmt: Statement, settings: str) -> list[str]:
    """Send what must precede `stmt` in one message (its lock timeout, as `statement_run`
    says); return INVALID indexes in its way."""
    probe = invalid_index_probe(stmt) if stmt.concurrent else None
    message = settings + ("" if stmt.run.lock_timeout else "SET lock_timeout = 0;\n")
    if probe:
        message = probe + ";\n" + message  # the probe's rows are the first result
    if not message:
        return []
    cursor = conn.execute(message.encode("utf-8"), prepare=False)
    return [str(row[0]) for row in cursor.fetchall()] if probe else []


_BEGIN = "BEGIN;\n"


@dataclass
class _StatementRun:
    """One statement of a non-transactional migration, with its retries and progress."""

    conn: psycopg.Connection[Any]
    parsed: ParsedScript
    policy: RetryPolicy
    outcome: RunOutcome
    index: int
    progress: Progress | None

    def run(self, stmt: Statement, text: str, settings: str, following: Statement | None) -> None:
        number = self.index + 1
        if self.progress and self.progress.started_before == number:
            resumed = self._resume(stmt, text)
            if resumed is None:
                self._after(stmt, following, recorded=False)
                return
            text = resumed
        wrap = (
            self.progress is not None
            and self.conn.info.transaction_status == 0
            and not stmt.run.outside_transaction
            and not stmt.transaction_kind
        )
        if wrap:
            if self._attempts(stmt, text, settings, wrapped=True):
                self._after(stmt, following, recorded=True)
                return
            settings = ""  # went with the attempt the transaction block refused
        recorded = False
        if self.progress and self.conn.info.transaction_status == 0:
            settings += self.progress.started_sql(number) + ";\n"
        if self.progress and stmt.transaction_kind == "TRANS_STMT_COMMIT":
            text = self.progress.done_sql(number) + ";\n" + text  # commits with the file's
            recorded = True
        self._attempts(stmt, text, settings, wrapped=False)
        self._after(stmt, following, recorded)

    def _resume(self, stmt: Statement, text: str) -> str | None:
        """The text to run for a statement an interrupted run had started; None if done."""
        from slipway.migrations.recover import resume

        found = resume(self.conn, stmt, text)
        for sql in found.cleanup:
            self.conn.execute(sql)
        if found.note:
            self.outcome.notes.append(found.note)
        return None if found.done else (found.instead or text)

    def _after(self, stmt: Statement, following: Statement | None, recorded: bool) -> None:
        if not stmt.run.lock_timeout and following is not None and following.run.lock_timeout:
            self.conn.execute(f"SET lock_timeout = '{_ms(self.policy.lock_timeout)}'")
        if self.progress and not recorded and self.conn.info.transaction_status == 0:
            self.conn.execute(self.progress.done_sql(self.index + 1).encode(), prepare=False)

    def _attempts(self, stmt: Statement, text: str, settings: str, wrapped: bool) -> bool:
        """Run `text` with lock retries; False if it must not run in a transaction block."""
        in_own_transaction = self.conn.info.transaction_status != 0
        prefix = len(_BEGIN) if wrapped else 0

        def attempt(retries: int) -> None:
            for qualified in _prepare(self.conn, stmt, settings if retries == 0 else ""):
                # Left by an interrupted CREATE INDEX CONCURRENTLY of the same name: dropped
                # first, so the retry neither fails nor (with IF NOT EXISTS) silently keeps it.
                self.conn.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {qualified}")
                self.outcome.cleaned.append(qualified)
            message = text
            if wrapped:
                assert self.progress is not None
                done = self.progress.done_sql(self.index + 1)
                message = f"{_BEGIN}{text}\n;\n{done};\nCOMMIT"
            self.conn.execute(message.encode("utf-8"), prepare=False)

        def on_error(exc: psycopg.Error) -> None:
            if self.conn.broken:
                raise self.lost() from exc
            if wrapped:
                _rollback(self.conn)
                if sqlstate_of(exc) == "25001":  # cannot run inside a transaction block
                    raise _MustRunAlone from exc
            if self.conn.closed:
                raise self._failure(stmt, exc, 0, prefix) from exc

        def fail(exc: psycopg.Error, retries: int) -> MigrationFailed:
            return self._failure(stmt, exc, retries, prefix)

        try:
            lock_retries(
                self.policy,
                self.outcome,
                attempt,
                on_error=on_error,
                fail=fail,
                retryable=not in_own_transaction,
            )
        except _MustRunAlone:
            return False
        return True

    def lost(self) -> ConnectionLost:
        index, total = self.index, self.outcome.statements_total
        ran = (
            f"statements 1..{index} of {total} ran and stay applied"
            if index
            else "no statement ran"
        )
        return ConnectionLost(
            f"{ran}; statement {index + 1} may have run too: the next run finds out and resumes"
        )

    def _failure(
        self, stmt: Statement, exc: Exception, retries: int, prefix: int
    ) -> MigrationFailed:
        script = self.parsed.script
        base = self.parsed.first_char(stmt)
        offset = error_offset(exc, base - prefix)
        index = self.index
        ran = f"statements 1..{index} ran and stay applied" if index else "no statement ran"
        return script_failure(
            exc,
            script,
            base if offset is None else offset,
            f"{_retry_note(exc, retries)}; statement {index + 1} of "
            f"{self.outcome.statements_total} failed ({ran}, outside a transaction); "
            "fix it and run again: slipway resumes at the failed statement",
        )


class _MustRunAlone(Exception):
    """The statement refused the transaction block it was wrapped in (SQLSTATE 25001)."""


def invalid_index_probe(stmt: Statement) -> str | None:
    """SELECT of the INVALID indexes named like the one `stmt` creates concurrently."""
    name = stmt.node.get("idxname") if stmt.kind == "IndexStmt" else None
    if not name:
        return None
    schema = (stmt.node.get("relation") or {}).get("schemaname")
    where_schema = (
        f"n.nspname = {quote_literal(schema)}"
        if schema
        else "n.nspname = ANY (current_schemas(false))"
    )
    return (
        "SELECT format('%I.%I', n.nspname, c.relname)"
        " FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid"
        " JOIN pg_namespace n ON n.oid = c.relnamespace"
        f" WHERE NOT i.indisvalid AND c.relname = {quote_literal(name)} AND {where_schema}"
    )


def statement_checksums(parsed: ParsedScript) -> list[str]:
    """One checksum per statement, so a resumed run can tell the script changed."""
    return [checksum(text) for _, text in parsed.statement_texts()]


def run_script(
    conn: psycopg.Connection[Any], script: Script, *, lock_timeout: float | None = None
) -> RunOutcome:
    """Run one script on an autocommit connection, the way `slipway up` would (without
    touching history). Used by verification and the demo."""
    parsed = ParsedScript(script)
    parsed.check_syntax()
    policy = RetryPolicy(lock_timeout=script.lock_timeout or lock_timeout or 5.0)
    if parsed.mode == "statements":
        return run_statements(conn, parsed, policy)
    return run_transaction(conn, parsed, policy)
