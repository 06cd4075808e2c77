"""Prove every rollback: up, snapshot, verify, down, compare, up again, compare.

For each migration, in order, on a scratch database:

    S0 = catalog before (the previous migration's final snapshot, not re-read)
    up        -> S1;  the verify script runs (in a savepoint that is rolled back)
    down      -> S2;  S2 must equal S0  (else rollback-incomplete, each difference named)
    up again  -> S3;  S3 must equal S1

Speed. A transactional migration runs up, verify, down, S2, up, S3 inside ONE transaction:
introspection sees the uncommitted DDL, and the down + second up sit in a SAVEPOINT taken
right after the first up. When S2 equals S0 the transaction commits, keeping the second up,
and S3 stands for S1 (an identical catalog plus the same script gives the same catalog), so
S1 is never read. When the down fails or leaves differences, we ROLLBACK TO the savepoint,
which puts the database back exactly in the 'after up' state; S1 is read there, compared
with S3, and kept — so later migrations run on the schema they expect, and one run reports
every broken rollback. Nothing is rebuilt. Snapshots are incremental (snapshots.py): only
tables whose catalog rows changed are re-read, and a snapshot whose every row is unchanged
(a down that exactly removed what the up created) costs one fingerprint query.

Non-transactional migrations (CREATE INDEX CONCURRENTLY, ...) run each step committed, the
engine's way. After a broken rollback there is no savepoint to return to, so the scratch
database is rebuilt: emptied and every up applied so far replayed (not the ups that failed).

A transactional migration that PostgreSQL refuses to run in one transaction with its down
(e.g. ALTER TYPE ... ADD VALUE followed by a use of the value) is retried the committed way.
Nothing stops the run: every migration gets a verdict. An up that fails is up-failed and
is left out (a committed one's partial effects are removed by a rebuild); a later up that
fails too is not-run, naming the earlier failure it most likely depends on, unless it is a
syntax error (up-failed: no earlier migration explains it). Any other error
(a lost connection, a failed snapshot) is the verdict of the step it happened in, and the
scratch database is rebuilt from the applied ups before the next migration.

Verdicts: ok; rollback-incomplete (each difference named; a second up that fails is one of
them); rollback-failed (file:line:column and PostgreSQL's error); verify-failed; no-rollback
(a failure for the CLI unless --allow-no-rollback: an irreversible migration should be a
decision, not an accident); up-failed; not-run. When several apply, the worst wins and the others
are kept in `differences`.

Column order. PostgreSQL cannot put a column back in its place: a down that re-adds a dropped
column (or an up that drops and re-adds one) leaves the same columns in another order. Such a
difference is kept apart in `column_order` and does not make a verdict by itself; with
Options.strict_column_order it is a difference like any other (rollback-incomplete). Either
way the state is not exact, so the fast paths below treat it as a difference.

Instants. `'now'::timestamp` in a view, default or constraint is frozen when it is created, so
a faithful down stores another instant: literals that fall within the run are masked before
comparing (instants.py).

Caveat: roles and tablespaces are cluster-wide. A migration that creates or drops a role
does so on the target's server; write such migrations with IF [NOT] EXISTS guards, or use
--scratch-url on another server.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any, Final, Literal

import psycopg

from slipway.catalog.diff import COLUMN_ORDER, ROLLBACK, Change, Wording, diff
from slipway.catalog.model import Catalog
from slipway.db import Conn
from slipway.errors import MigrationFailed, SlipwayError
from slipway.migrations.model import Migration
from slipway.verify.instants import Instants
from slipway.verify.scratch import Scratch
from slipway.verify.scripts import (
    TRANSACTION_ONLY_SQLSTATES,
    is_transactional,
    run_committed,
    run_in_transaction,
    sqlstate,
)
from slipway.verify.snapshots import Snapshot, Snapshots

Verdict = Literal[
    "ok",
    "rollback-incomplete",
    "rollback-failed",
    "verify-failed",
    "no-rollback",
    "up-failed",
    "not-run",
]
OK: Final = "ok"
INCOMPLETE: Final = "rollback-incomplete"
FAILED: Final = "rollback-failed"
VERIFY_FAILED: Final = "verify-failed"
NO_ROLLBACK: Final = "no-rollback"
UP_FAILED: Final = "up-failed"
NOT_RUN: Final = "not-run"
VERDICTS: tuple[Verdict, ...] = (
    OK,
    INCOMPLETE,
    FAILED,
    VERIFY_FAILED,
    NO_ROLLBACK,
    UP_FAILED,
    NOT_RUN,
)
# How a migration's up ran: in a transaction, or committed statement by statement.
ScriptMode = Literal["transaction", "committed"]
# The verdict of an unexpected error (lost connection, failed snapshot) by the step it hit.
STEP_VERDICTS: dict[str, Verdict] = {
    "up": UP_FAILED,
    "verify": VERIFY_FAILED,
    "down": FAILED,
    "up again": INCOMPLETE,
}
AGAIN = Wording(added="extra after down and up again", removed="missing after down and up again")
# An up that fails with one of these failed on its own text, not for want of an earlier up.
OWN_FAILURES = {"42601"}  # syntax_error


@dataclass
class Result:
    version: str
    name: str
    verdict: Verdict = OK
    differences: list[str] = field(default_factory=list)  # what makes the verdict
    # Differences only in the order of columns, not counted without --strict-column-order.
    column_order: list[str] = field(default_factory=list)
    error: str | None = None
    # where `error` happened, when PostgreSQL or the parser said: sqlstate, path, line, column
    error_at: dict[str, Any] | None = None
    mode: ScriptMode = "transaction"
    seconds: float = 0.0
    sqlstate: str | None = None  # of the failed up, if any: whether it may be not-run

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "version": self.version,
            "name": self.name,
            "verdict": self.verdict,
            "differences": self.differences,
            "column_order": self.column_order,
            "error": self.error,
        }
        if self.error and self.error_at:
            out["error_at"] = self.error_at
        return out

    def failed(self, verdict: Verdict, exc: MigrationFailed) -> None:
        """The verdict of a script that failed, with the error's text and its place."""
        self.verdict, self.error = verdict, str(exc) + _why_in_scratch(exc)
        where = {"sqlstate": exc.sqlstate, "path": exc.path, "line": exc.line, "column": exc.column}
        self.error_at = where if any(v is not None for v in where.values()) else None

    @property
    def exact(self) -> bool:
        """No difference of any kind so far, column order included."""
        return not self.differences and not self.column_order

    def add(self, changes: list[Change], strict_column_order: bool) -> None:
        """Record `changes`; column order apart unless it is strict."""
        for change in changes:
            order = change.kind == COLUMN_ORDER and not strict_column_order
            (self.column_order if order else self.differences).append(str(change))


@dataclass(frozen=True)
class Options:
    privileges: bool = True  # compare grants and ownership
    thorough: bool = False  # full snapshots; read S1 and compare S3 with it even when exact
    check_snapshots: bool = False  # tests: cross-check every incremental snapshot
    strict_column_order: bool = False  # a change of column order alone is rollback-incomplete


class _Restore(Exception):
    """Roll back to the 'after up' savepoint."""


class _Retry(Exception):
    """PostgreSQL refused this in one transaction: verify the migration step by step."""


class Verifier:
    """Verifies migrations one after another on one scratch database."""

    def __init__(self, scratch: Scratch, options: Options = Options()) -> None:
        self.scratch, self.options = scratch, options
        self.applied: list[Migration] = []  # whose up the scratch database holds, in order
        self.step = "up"
        self.conn = self._connect()
        # Server-local time: 'now'::timestamp literals frozen after it are instants of the run.
        row = self.conn.execute("SELECT localtimestamp").fetchone()
        self.started = (row[0] if row else datetime.now(), time.monotonic())
        self.before = self.snapshot()

    def _connect(self) -> Conn:
        conn = self.scratch.connect()
        conn.execute("SET jit = off")  # catalog queries are short; JIT compiles for seconds
        # The same catalog queries run hundreds of times: plan them once (measured ~20% less
        # per incremental snapshot than re-planning each run for its parameters).
        conn.execute("SET plan_cache_mode = force_generic_plan")
        self.snaps = Snapshots(
            conn, self.options.privileges, not self.options.thorough, self.options.check_snapshots
        )
        return conn

    def close(self) -> None:
        self.conn.close()

    def snapshot(self, base: Snapshot | None = None) -> Snapshot:
        return self.snaps.take(base)

    def compare(
        self, result: Result, before: Snapshot, after: Snapshot, wording: Wording = ROLLBACK
    ) -> bool:
        """Record the differences between two snapshots in `result`; True when there are none."""
        old, new = _without_shared(before.catalog, after.catalog)
        start, clock = self.started
        instants = Instants(start, start + timedelta(seconds=time.monotonic() - clock + 60))
        old, new = instants.catalog(old), instants.catalog(new)
        changes: list[Change] = diff(
            old,
            new,
            compare_privileges=self.options.privileges,
            compare_owner=self.options.privileges,
            wording=wording,
        )
        result.add(changes, self.options.strict_column_order)
        return not changes

    def run(
        self, migrations: Sequence[Migration], on_result: Callable[[Result], None] | None = None
    ) -> list[Result]:
        """One result per migration, whatever fails: a failure is that migration's verdict."""
        results: list[Result] = []
        for migration in migrations:
            started = time.perf_counter()
            result = self._verify_safely(migration, results)
            result.seconds = time.perf_counter() - started
            results.append(result)
            if on_result:
                on_result(result)
        return results

    def _verify_safely(self, migration: Migration, earlier: list[Result]) -> Result:
        try:
            result = self.verify_one(migration)
        except (SlipwayError, psycopg.Error) as exc:  # the scratch state is unknown: rebuild
            result = _unexpected(migration, self.step, exc)
            if result.verdict != UP_FAILED:
                self.applied.append(migration)
            self._recover(result)
        if result.verdict == UP_FAILED:
            failed = [r.version for r in earlier if r.verdict in (UP_FAILED, NOT_RUN)]
            if failed and result.sqlstate not in OWN_FAILURES:
                # most likely it needs what the failed migration would have made
                result.verdict = NOT_RUN
                result.error = f"cannot be applied after {failed[-1]}'s up failed: {result.error}"
        return result

    def _recover(self, result: Result) -> None:
        """Rebuild the scratch state after an unexpected error; one more difference if not."""
        try:
            self._rebuild()
        except (SlipwayError, psycopg.Error) as exc:
            result.differences.append(f"the scratch database could not be rebuilt: {exc}")
            if result.verdict == OK:
                result.verdict = INCOMPLETE

    def verify_one(self, migration: Migration) -> Result:
        result = Result(migration.version, migration.name)
        scripts = (migration.up, migration.down)
        if all(is_transactional(s) for s in scripts) and is_transactional(migration.verify, True):
            try:
                self._in_transaction(migration, result)
                if result.verdict != UP_FAILED:
                    self.applied.append(migration)
                return _decide(result, migration)
            except _Retry:
                result = Result(migration.version, migration.name)
        result.mode = "committed"
        self._committed(migration, result)
        if result.verdict != UP_FAILED:
            self.applied.append(migration)
        return _decide(result, migration)

    # -- one transaction, savepoints -------------------------------------------------------

    def _in_transaction(self, m: Migration, result: Result) -> None:
        try:
            with self.conn.transaction():
                if not self._step(result, "up", lambda: run_in_transaction(self.conn, m.up)):
                    raise _Restore
                self._verify_script(m, result)
                if m.down is None:
                    self.before = self.snapshot(self.before)
                else:
                    self.before = self._down_and_up(m, result)
        except _Restore:  # the up failed: nothing of this migration stays
            pass

    def _down_and_up(self, m: Migration, result: Result) -> Snapshot:
        """down, S2 (= S0?), up again, S3; returns the snapshot of the state left behind.

        S1 (after the first up) is read only when needed: after ROLLBACK TO the savepoint,
        which restores it exactly. When the rollback was exact, S3 stands for S1 (the same
        script on the same catalog) and its fingerprints match the committed state, so the
        next migration's snapshots reuse everything it does not touch.
        """
        assert m.down is not None
        down = m.down
        again: Snapshot | None = None
        try:
            with self.conn.transaction():
                if not self._step(result, "down", lambda: run_in_transaction(self.conn, down)):
                    raise _Restore
                after_down = self.snapshot(self.before)
                self.compare(result, self.before, after_down)
                if not self._step(result, "up again", lambda: run_in_transaction(self.conn, m.up)):
                    raise _Restore
                again = self.snapshot(after_down)
                if result.exact and not self.options.thorough:
                    return again  # savepoint released: the second up stays
                raise _Restore
        except _Restore:
            pass
        after_up = self.snapshot(self.before)  # back in state S1, exactly
        if again is not None:
            self.compare(result, after_up, again, AGAIN)
        return after_up

    def _step(self, result: Result, what: str, action: Callable[[], None]) -> bool:
        """Run one script; record its failure in `result`. False when it failed."""
        self.step = what
        try:
            action()
            return True
        except MigrationFailed as exc:
            if sqlstate(exc) in TRANSACTION_ONLY_SQLSTATES and result.mode == "transaction":
                raise _Retry from exc
            if what == "up":
                result.failed(UP_FAILED, exc)
                result.sqlstate = sqlstate(exc)
            elif what == "down":
                result.failed(FAILED, exc)
            else:
                result.differences.append(f"up failed after the rollback: {exc}")
            return False

    def _verify_script(self, m: Migration, result: Result) -> None:
        if m.verify is None:
            return
        check = m.verify
        self.step = "verify"
        try:  # rolled back at once: a verify script changes nothing
            if self.conn.info.transaction_status == psycopg.pq.TransactionStatus.IDLE:
                with self.conn.transaction(force_rollback=True):
                    run_in_transaction(self.conn, check, keep=False)
            else:
                run_in_transaction(self.conn, check, keep=False)
        except MigrationFailed as exc:
            result.failed(VERIFY_FAILED, exc)

    # -- step by step, committed -----------------------------------------------------------

    def _committed(self, m: Migration, result: Result) -> None:
        if not self._step(result, "up", lambda: run_committed(self.conn, m.up)):
            self._rebuild()  # statements before the failing one were committed
            return
        after_up = self.snapshot()
        self._verify_script(m, result)
        broken = m.down is not None and not self._committed_round(m, result, after_up)
        self.before = after_up
        if broken:
            self._rebuild([m])

    def _committed_round(self, m: Migration, result: Result, after_up: Snapshot) -> bool:
        """down, compare, up, compare; False when the database is not back in state S1."""
        down = m.down
        assert down is not None
        if not self._step(result, "down", lambda: run_committed(self.conn, down)):
            return False
        self.compare(result, self.before, self.snapshot())
        if not self._step(result, "up again", lambda: run_committed(self.conn, m.up)):
            return False
        if result.exact and not self.options.thorough:
            return True
        # Not back in S1 exactly (column order included): the caller rebuilds.
        return self.compare(result, after_up, self.snapshot(), AGAIN)

    def _rebuild(self, extra: Sequence[Migration] = ()) -> None:
        """Empty the scratch database and replay the applied ups (and `extra`): after a broken
        committed step or an unexpected error. The snapshot of 'before' is read afresh."""
        self.step = "rebuild"
        self.conn.close()
        self.scratch.reset()
        self.conn = self._connect()
        for m in [*self.applied, *extra]:
            run_committed(self.conn, m.up)
        self.before = self.snapshot()


def _without_shared(old: Catalog, new: Catalog) -> tuple[Catalog, Catalog]:
    """Both catalogs minus the tables and sequences an incremental snapshot took over from
    the other (the very same objects): diffing them would only cost time."""
    same_tables = {id(t) for t in old.tables} & {id(t) for t in new.tables}
    same_sequences = {id(q) for q in old.sequences} & {id(q) for q in new.sequences}

    def strip(c: Catalog) -> Catalog:
        return replace(
            c,
            tables=tuple(t for t in c.tables if id(t) not in same_tables),
            sequences=tuple(q for q in c.sequences if id(q) not in same_sequences),
        )

    return strip(old), strip(new)


def _unexpected(migration: Migration, step: str, exc: Exception) -> Result:
    """The verdict of an error no step caught, named by the step it happened in."""
    result = Result(migration.version, migration.name)
    result.verdict = STEP_VERDICTS.get(step, FAILED)
    message = f"{step} failed: {exc}"
    if result.verdict == INCOMPLETE:
        result.differences.append(message)
    else:
        result.error = message
    return result


def _why_in_scratch(exc: MigrationFailed) -> str:
    """What only verify's scratch database makes fail: roles belong to the whole server, so a
    role a migration creates already exists there once the real database has run it."""
    if exc.sqlstate == "42710" and "role" in str(exc).split(" (SQLSTATE", 1)[0]:
        return (
            "; roles are shared by every database of a server, so the scratch database verify "
            "uses has it already: create it only when missing (DO $$ BEGIN IF NOT EXISTS "
            "(SELECT FROM pg_roles WHERE rolname = '...') THEN CREATE ROLE ...; END IF; END $$)"
        )
    return ""


def _decide(result: Result, migration: Migration) -> Result:
    """The one-word verdict: the worst thing that happened."""
    if result.verdict in (UP_FAILED, FAILED):
        return result
    if migration.down is None and result.verdict == OK:
        result.verdict = NO_ROLLBACK
    if result.differences:
        if migration.rollback == "empty":  # the reason for every difference below
            result.differences.insert(0, "the down script is empty (no statement)")
        if result.verdict == VERIFY_FAILED:
            result.differences.append(f"verify script failed: {result.error}")
        result.verdict = INCOMPLETE
        result.error = None
    return result


def verify_migrations(
    scratch: Scratch,
    migrations: Sequence[Migration],
    options: Options = Options(),
    on_result: Callable[[Result], None] | None = None,
) -> list[Result]:
    """Verify `migrations` (in order) on an empty scratch database."""
    verifier = Verifier(scratch, options)
    try:
        return verifier.run(migrations, on_result)
    finally:
        verifier.close()
