"""The engine: plan and apply migrations up and down under the advisory lock.

The engine returns result objects and reports progress through an Events object; it never
prints. Every migration runs in its own transaction together with its history row, except
migrations that cannot run in one, which run statement by statement with their progress
recorded so a rerun resumes where the last one stopped.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from slipway.config import Settings
from slipway.errors import ConfigError, ConnectionLost, MigrationFailed, Refused
from slipway.migrations.adopt import check_unmanaged
from slipway.migrations.execute import (
    Progress,
    RetryPolicy,
    RunOutcome,
    run_statements,
    run_transaction,
    statement_checksums,
)
from slipway.migrations.history import History
from slipway.migrations.lock import MigrationLock
from slipway.migrations.lost import LostStep, explain
from slipway.migrations.model import DOWN_SECTIONS, Direction, Migration, MigrationSet, Script
from slipway.migrations.runlog import Partial, RunRow, partials
from slipway.migrations.statements import ParsedScript, parse_script
from slipway.migrations.status import MigrationState, combine
from slipway.sql import RunMode

if TYPE_CHECKING:
    import psycopg


__all__ = ["Engine", "Events", "RunReport", "Step", "StepResult"]


class Events:
    """Progress callbacks; the CLI overrides what it shows. All do nothing by default."""

    def waiting_for_lock(self, holder: str | None) -> None:
        """Another session holds the migration lock (`holder` names it when known)."""

    def start(self, step: Step, index: int, total: int) -> None:
        """Step `index` of `total` is about to run."""

    def done(self, result: StepResult, index: int, total: int) -> None:
        """Step `index` of `total` finished."""

    def retry(self, step: Step, attempt: int, message: str) -> None:
        """A statement of `step` timed out waiting for a lock and is retried."""

    def note(self, message: str) -> None:
        """Something worth telling that is not a step (e.g. what resuming found)."""


@dataclass(frozen=True)
class Step:
    """One migration to run in one direction (`up` or `down`)."""

    migration: Migration
    action: Direction

    @property
    def script(self) -> Script:
        """The script this step runs."""
        script = self.migration.up if self.action == "up" else self.migration.down
        assert script is not None
        return script

    @property
    def mode(self) -> RunMode:
        """How the script runs (see `slipway.sql.run_mode`)."""
        return parse_script(self.script).mode

    def to_dict(self) -> dict[str, Any]:
        """The `plan --format json` shape, SQL included."""
        return {
            "version": self.migration.version,
            "name": self.migration.name,
            "action": self.action,
            "file": str(self.script.path),
            "transaction": self.mode != "statements",
            "sql": self.script.sql,
        }


@dataclass
class StepResult:
    """One step that ran: how long it took and how (RunOutcome)."""

    step: Step
    seconds: float
    outcome: RunOutcome


@dataclass
class RunReport:
    """What one up, down or redo did, step by step."""

    action: Literal["up", "down", "redo"]
    results: list[StepResult] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


class Engine:
    """Plans and runs migrations on one connection, under the advisory lock; never prints."""

    def __init__(
        self,
        conn: psycopg.Connection[Any],
        settings: Settings,
        mset: MigrationSet,
        events: Events | None = None,
        lock_timeout: float | None = None,
    ) -> None:
        self.conn = conn
        self.settings = settings
        self.mset = mset
        self._partials: dict[str, Partial] | None = None  # loaded once per run
        self.events = events or Events()
        self.history = History(settings.table)
        self.lock_timeout = lock_timeout if lock_timeout is not None else settings.lock_timeout

    # -- reading ----------------------------------------------------------------------------

    def states(self) -> list[MigrationState]:
        """Every migration's state: the folder and the history combined."""
        found = partials(self.conn, self.history)
        return combine(self.mset, self.history.applied(self.conn), found)

    def _find(self, version: str) -> Migration:
        key = self.mset.key(version)
        for mig in self.mset.migrations:
            if mig.sort_key == key:
                return mig
        raise ConfigError(f"no migration with version {version} in {self.mset.directory}")

    # -- planning ---------------------------------------------------------------------------

    def plan_up(self, to: str | None = None, allow_out_of_order: bool = False) -> list[Step]:
        """The pending migrations up to `to`; refuses edited, out-of-order or partly rolled back
        ones."""
        states = self.states()
        modified = [s for s in states if s.state == "modified"]
        if modified:
            files = ", ".join(str(s.migration.up.path) for s in modified if s.migration)
            raise Refused(
                f"applied migration file changed since it was applied: {files}",
                hint="restore it, or accept the edit with `slipway accept VERSION`",
            )
        self._refuse_partial_down(states)
        limit = self._find(to).sort_key if to else None
        pending = [
            s.migration
            for s in states
            if s.state == "pending" and s.migration and (limit is None or s.sort_key <= limit)
        ]
        applied_keys = [s.sort_key for s in states if s.state in ("applied", "missing")]
        newest = max(applied_keys, default=None)
        late = [m for m in pending if newest is not None and m.sort_key < newest]
        if late and not allow_out_of_order:
            names = ", ".join(self.mset.shown(m.up.path) for m in late)
            raise Refused(
                f"pending migration older than the newest applied one: {names}",
                hint="renumber it, or pass --allow-out-of-order to apply it anyway",
            )
        return [Step(m, "up") for m in pending]

    def _refuse_partial_down(self, states: list[MigrationState]) -> None:
        """A half rolled back migration is still recorded as applied: `up` would skip it."""
        for state in states:
            if state.partial is not None and state.partial.action == "down":
                raise Refused(
                    f"{state.version} {state.name} is partly rolled back "
                    f"(partial: {state.partial.describe()})",
                    hint="finish the rollback with `slipway down` first",
                )

    def plan_down(
        self, steps: int | None = 1, to: str | None = None, allow_empty: bool = False
    ) -> list[Step]:
        """The rollbacks `down` would run, newest first (`steps=None`: every applied one);
        refuses (changing nothing) a missing, modified or (without allow_empty)
        empty-for-a-schema-change rollback."""
        states = [s for s in self.states() if s.state != "pending"]
        if to is not None:
            floor = self._find(to).sort_key
            targets = [s for s in states if s.sort_key > floor]
        else:
            targets = states if steps is None else states[-steps:] if steps > 0 else []
        targets.reverse()
        for state in targets:
            if state.migration is None:
                raise Refused(
                    f"cannot roll back {state.version} {state.name}: its file is missing; "
                    "restore the file first"
                )
            if state.state == "modified":
                raise Refused(
                    f"cannot roll back {state.version}: {self.mset.shown(state.migration.up.path)} changed "
                    "since it was applied",
                    hint="restore it, or accept the edit with `slipway accept VERSION`",
                )
            if state.migration.down is None:
                raise Refused(
                    f"cannot roll back {state.version} {state.name}: it has no rollback script "
                    f"(expected: {state.migration.rollback_place}); nothing was changed"
                )
            self._refuse_empty_rollback(state.migration, allow_empty)
        return [Step(s.migration, "down") for s in targets if s.migration]

    def _refuse_empty_rollback(self, migration: Migration, allow_empty: bool) -> None:
        """An empty down script would record the rollback of a schema change it never undid."""
        down = migration.down
        if allow_empty or down is None or not down.empty or not migration.up.changes_schema:
            return
        where = self.mset.shown(down.path)
        if migration.layout in DOWN_SECTIONS:
            where = f"(the `{DOWN_SECTIONS[migration.layout]}` section of {where})"
        raise Refused(
            f"cannot roll back {migration.version} {migration.name}: its rollback "
            f"{where} is empty but its up script changes the schema; "
            "nothing was changed",
            hint="write the down script, or pass `slipway down --allow-empty` to record the "
            "rollback without undoing anything",
        )

    # -- running ----------------------------------------------------------------------------

    @contextmanager
    def _locked(self) -> Iterator[MigrationLock]:
        """The advisory lock for a run; a connection that breaks outside a migration (while
        locking or planning) is one line too (one inside a migration: _run_step)."""
        import psycopg

        try:
            with MigrationLock(
                self.conn,
                self.settings.table,
                self.settings.lock_wait,
                self.events.waiting_for_lock,
            ) as lock:
                yield lock
        except psycopg.Error as exc:
            if not self.conn.broken:
                raise
            raise ConnectionLost(
                "lost the connection to the database between migrations: every migration "
                "reported done is committed, nothing else ran; run slipway again"
            ) from exc

    def up(
        self,
        to: str | None = None,
        allow_out_of_order: bool = False,
        restart_partial: bool = False,
        allow_existing: bool = False,
    ) -> RunReport:
        """Apply the pending migrations (up to `to`) under the lock; refuses unmanaged databases."""
        report = RunReport("up")
        self._partials = None
        with self._locked():
            if not allow_existing:
                config = self.settings.config
                own = (config.maintain.runs_table, config.serve.samples_table)
                check_unmanaged(self.conn, self.history, own)
            self.history.ensure(self.conn)
            plan = self.plan_up(to, allow_out_of_order)
            self._check_syntax(plan)
            for index, step in enumerate(plan, 1):
                report.results.append(self._run_step(step, index, len(plan), restart_partial))
        return report

    def down(
        self, steps: int | None = 1, to: str | None = None, allow_empty: bool = False
    ) -> RunReport:
        """Roll back the newest `steps` migrations (None: all), or every one newer than `to`."""
        report = RunReport("down")
        self._partials = None
        with self._locked():
            self.history.ensure(self.conn)
            plan = self.plan_down(steps, to, allow_empty)
            self._check_syntax(plan)
            for index, step in enumerate(plan, 1):
                report.results.append(self._run_step(step, index, len(plan), False))
        return report

    def redo(self) -> RunReport:
        """Roll back the newest applied migration and apply it again."""
        report = RunReport("redo")
        self._partials = None
        with self._locked():
            self.history.ensure(self.conn)
            down = self.plan_down(1)
            if not down:
                raise Refused("nothing to redo: no migration is applied")
            target = down[0].migration
            up = [Step(target, "up")]
            self._check_syntax(down + up)
            for index, step in enumerate(down + up, 1):
                report.results.append(self._run_step(step, index, 2, False))
        return report

    def _check_syntax(self, plan: list[Step]) -> None:
        """Parse everything first, so a syntax error is reported before anything changes."""
        for step in plan:
            parse_script(step.script).check_syntax()

    def _policy(self, step: Step) -> RetryPolicy:
        def on_retry(attempt: int, message: str) -> None:
            self.events.retry(step, attempt, message)

        return RetryPolicy(
            lock_timeout=step.script.lock_timeout or self.lock_timeout,
            retries=self.settings.lock_retries,
            on_retry=on_retry,
        )

    def _run_step(self, step: Step, index: int, total: int, restart: bool) -> StepResult:
        import psycopg

        self.events.start(step, index, total)
        started = time.monotonic()
        parsed = parse_script(step.script)
        try:
            outcome = self._execute(step, parsed, index, total, restart, started)
        except (ConnectionLost, psycopg.Error) as exc:
            if not self.conn.broken:
                raise
            known = str(exc) if isinstance(exc, ConnectionLost) else ""
            lost = LostStep(
                step.migration.version,
                step.migration.name,
                step.action,
                step.migration.checksum,
                parsed.mode == "statements",
            )
            raise ConnectionLost(explain(self.settings, lost, known)) from exc
        result = StepResult(step, time.monotonic() - started, outcome)
        self.events.done(result, index, total)
        return result

    def _execute(
        self,
        step: Step,
        parsed: ParsedScript,
        index: int,
        total: int,
        restart: bool,
        started: float,
    ) -> RunOutcome:
        if parsed.mode == "statements":
            return self._run_statements(step, parsed, restart)
        mig = step.migration
        # Only the run's last commit waits for the disk; it makes the earlier ones durable too
        # (a failure midway writes its log row with a waiting commit). A non-transactional
        # migration's own commits never wait: its history row follows them, waiting.
        defer = index < total and not self.settings.flush_each_migration
        if step.action == "up":
            epilogue = self.history.record_applied_sql(
                mig.version, mig.name, mig.description, mig.checksum
            )
        else:
            epilogue = self.history.record_reverted_sql(mig.version, mig.name, mig.checksum)
        try:
            return run_transaction(
                self.conn, parsed, self._policy(step), epilogue, defer_flush=defer
            )
        except MigrationFailed as exc:
            self._log_failure(step, str(exc), time.monotonic() - started)
            raise

    def _log_failure(self, step: Step, error: str, seconds: float) -> None:
        mig = step.migration
        self.history.log_run(
            self.conn,
            version=mig.version,
            name=mig.name,
            action=step.action,
            outcome="failed",
            error=error,
            checksum=mig.checksum,
            duration_ms=int(seconds * 1000),
        )

    def _run_statements(self, step: Step, parsed: ParsedScript, restart: bool) -> RunOutcome:
        """Non-transactional: the run-log row follows every statement (see runlog.py)."""
        mig = step.migration
        sums = statement_checksums(parsed)
        last = None if restart else self._partial(step)
        start_at = self._resume_point(step, last, sums)
        if start_at:
            self.events.note(
                f"{mig.version}: resuming at statement {start_at + 1} of {len(sums)} "
                f"({step.action}; 1..{start_at} ran in an earlier run)"
            )
        in_doubt = last.in_doubt if last and last.done == start_at else 0
        detail: dict[str, Any] = {"statement_checksums": sums}
        if in_doubt:
            detail["started"] = in_doubt  # still in doubt if this run is killed too
        started = time.monotonic()
        run_id = self.history.log_run(
            self.conn,
            version=mig.version,
            name=mig.name,
            action=step.action,
            outcome="partial",
            checksum=mig.checksum,
            statements_total=len(sums),
            statements_done=start_at,
            detail=detail,
        )
        row = RunRow(self.history, run_id)
        progress = Progress(row.done_sql, row.started_sql, in_doubt)
        try:
            outcome = run_statements(
                self.conn,
                parsed,
                self._policy(step),
                start_at,
                progress,
                defer_flush=not self.settings.flush_each_migration,
            )
        except MigrationFailed as exc:
            self.history.update_run(
                self.conn,
                run_id,
                error=str(exc),
                duration_ms=int((time.monotonic() - started) * 1000),
            )
            raise
        for note in outcome.notes:
            self.events.note(f"{mig.version}: {note}")
        self._finish_statements(step, run_id)
        return outcome

    def _finish_statements(self, step: Step, run_id: int | None) -> None:
        import psycopg

        mig = step.migration
        if step.action == "up":
            record = self.history.record_applied_sql(
                mig.version, mig.name, mig.description, mig.checksum
            )
        else:
            record = self.history.record_reverted_sql(mig.version, mig.name, mig.checksum)
        if run_id is not None:
            record += f";\nDELETE FROM {self.history.log_text} WHERE id = {int(run_id)}"
        # The history row and the end of the partial log row commit together, in one message.
        try:
            self.conn.execute(f"BEGIN;\n{record};\nCOMMIT".encode(), prepare=False)
        except psycopg.Error:
            self.conn.execute("ROLLBACK")
            raise

    def _partial(self, step: Step) -> Partial | None:
        if self._partials is None:  # one query per run, not one per migration
            self._partials = partials(self.conn, self.history)
        last = self._partials.get(step.migration.version)
        return last if last is not None and last.action == step.action else None

    def _resume_point(self, step: Step, last: Partial | None, sums: list[str]) -> int:
        """Where a run of `step` resumes: after the statements an earlier run finished."""
        if last is None or not last.done:
            return 0
        if last.checksums[: last.done] != sums[: last.done]:
            raise Refused(
                f"{step.migration.version} stopped after statement {last.done} of its "
                f"{step.action} script in an earlier run and those statements have changed since",
                hint="undo their effects by hand and rerun with --restart-partial",
            )
        return last.done

    # -- adopting and accepting -------------------------------------------------------------

    def baseline(self, version: str) -> tuple[list[Migration], list[Migration]]:
        """Mark every migration up to `version` as applied without running it; after a
        mistaken partial run, the ones already applied stay as they are.

        Returns (recorded now, already applied)."""
        with self._locked():
            self.history.ensure(self.conn)
            key = self.mset.key(version)
            rows = self.history.applied(self.conn)
            beyond = [r.version for r in rows if self.mset.key(r.version) > key]
            if beyond:
                raise Refused(
                    f"cannot baseline at {version}: newer migrations are already recorded "
                    f"({', '.join(beyond)})",
                    hint="baseline at the newest version the database really has",
                )
            done = {self.mset.key(r.version) for r in rows}
            upto = [m for m in self.mset.migrations if m.sort_key <= key]
            record = [m for m in upto if m.sort_key not in done]
            with self.conn.transaction():
                for mig in record:
                    self.conn.execute(
                        self.history.record_applied_sql(
                            mig.version, mig.name, mig.description, mig.checksum, kind="baseline"
                        )
                    )
                if key not in done and not any(m.sort_key == key for m in upto):
                    self.conn.execute(
                        self.history.record_applied_sql(
                            version,
                            "baseline",
                            f"baseline at {version}",
                            "",
                            kind="baseline-marker",
                        )
                    )
        return record, [m for m in upto if m.sort_key in done]

    def accept(self, version: str, reason: str | None) -> tuple[str, str]:
        """Accept an intentional edit of an applied migration (audited in the run log)."""
        with self._locked():
            mig = self._find(version)
            state = next(s for s in self.states() if s.sort_key == mig.sort_key)
            if state.state != "modified" or state.applied is None:
                raise Refused(
                    f"{mig.version} is {state.state}, not modified: there is no edit to accept"
                )
            old = state.applied.checksum
            self.history.accept_checksum(
                self.conn, state.applied.version, old, mig.checksum, reason
            )
            return old, mig.checksum
