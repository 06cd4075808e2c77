"""One maintenance run: pick the rules that are due, plan, act (unless dry-run), record."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any

import psycopg

from slipway.db import Conn
from slipway.errors import SlipwayError
from slipway.maintain import cleanup, partitions, runs, stats, views
from slipway.maintain.config import SCHEDULE_PERIOD, CleanupRule, MaintainConfig
from slipway.maintain.model import TASKS, Action, MaintenanceResult, RuleRun, Task

Progress = Callable[[str, int, int], None]  # (target, done, total)
DUE_SLACK = 0.9  # a daily cron job a few seconds early still counts as due


def rules_of(cfg: MaintainConfig, tasks: Sequence[str]) -> list[tuple[Task, Any]]:
    out: list[tuple[Task, Any]] = []
    for task in tasks:
        if task == "partitions":
            out += [("partitions", r) for r in cfg.partitions]
        elif task == "views":
            out += [("views", r) for r in cfg.views]
        elif task == "stats" and cfg.stats is not None:
            out.append(("stats", cfg.stats))
        elif task == "cleanup":
            out += [("cleanup", r) for r in cfg.cleanup]
    return out


def _due(last: datetime | None, schedule: str, now: datetime) -> tuple[bool, str]:
    if last is None:
        return True, "never run"
    period = SCHEDULE_PERIOD[schedule]
    if now - last >= period * DUE_SLACK:
        return True, f"last run {last:%Y-%m-%d %H:%M}"
    return False, f"{schedule}, last run {last:%Y-%m-%d %H:%M} UTC"


def run_maintenance(
    conn: Conn,
    cfg: MaintainConfig,
    *,
    tasks: Sequence[str] = TASKS,
    schedule: str | None = None,
    only_due: bool = True,
    dry_run: bool = False,
    now: datetime | None = None,
    progress: Progress | None = None,
) -> MaintenanceResult:
    """Run every selected rule; a failing rule is reported and the others still run."""
    now = now or datetime.now(UTC)
    result = MaintenanceResult(dry_run=dry_run, now=now)
    last = runs.last_runs(conn, cfg.runs_table) if only_due else {}
    if not dry_run:
        try:
            runs.ensure_table(conn, cfg.runs_table)
        except psycopg.Error as exc:
            raise SlipwayError(f"cannot create the maintenance runs table {cfg.runs_table}: "
                               f"{_one_line(exc)}; nothing was done") from exc  # fmt: skip
    for task, rule in rules_of(cfg, tasks):
        if schedule is not None and rule.schedule != schedule:
            continue
        if only_due:
            due, why = _due(last.get((task, rule.target)), rule.schedule, now)
            if not due:
                result.skipped.append(f"{task} {rule.target}: not due ({why})")
                continue
        result.rules.append(_run_rule(conn, cfg, task, rule, now, dry_run, progress))
    return result


def _plan(conn: Conn, task: Task, rule: Any, now: datetime) -> list[Action]:
    if task == "partitions":
        return partitions.plan(conn, rule, now)
    if task == "views":
        return views.plan(conn, rule)
    if task == "stats":
        return stats.plan(conn, rule)
    return cleanup.plan(conn, rule)


def _apply(
    conn: Conn, cfg: MaintainConfig, rule: Any, action: Action, progress: Progress | None
) -> None:
    if action.task == "partitions":
        partitions.apply(conn, action, cfg)
    elif action.task == "views":
        views.apply(conn, action, cfg)
    elif action.task == "stats":
        stats.apply(conn, action, cfg)
    elif isinstance(rule, CleanupRule):
        tick = None if progress is None else (lambda d, t: progress(action.target, d, t))
        cleanup.apply(conn, action, rule, cfg, tick)


def _run_rule(
    conn: Conn,
    cfg: MaintainConfig,
    task: Task,
    rule: Any,
    now: datetime,
    dry_run: bool,
    progress: Progress | None,
) -> RuleRun:
    run = RuleRun(task, rule.target, rule.schedule)
    started = datetime.now(UTC)
    try:
        run.actions = _plan(conn, task, rule, now)
    except (SlipwayError, psycopg.Error) as exc:
        run.error = _one_line(exc)
    if not dry_run:
        for action in run.actions:
            if action.outcome == "planned":
                _act(conn, cfg, rule, action, progress)
                runs.record(conn, cfg.runs_table, action)
        summary = Action(
            task,
            rule.target,
            "run",
            "scheduled " + rule.schedule,
            details={"actions": len(run.actions)},
            outcome=run.outcome,
            error=run.error,
            started_at=started,
            finished_at=datetime.now(UTC),
        )
        runs.record(conn, cfg.runs_table, summary)
    return run


def _act(
    conn: Conn, cfg: MaintainConfig, rule: Any, action: Action, progress: Progress | None
) -> None:
    action.started_at = datetime.now(UTC)
    try:
        _apply(conn, cfg, rule, action, progress)
        action.outcome = "ok"
    except (SlipwayError, psycopg.Error) as exc:
        action.outcome, action.error = "failed", _one_line(exc)
    action.finished_at = datetime.now(UTC)


def _one_line(exc: Exception) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__
