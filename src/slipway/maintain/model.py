"""What maintenance plans and does: actions, and the result of one run."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any, Literal

TASKS: tuple[Task, ...] = ("partitions", "views", "stats", "cleanup")


Task = Literal["partitions", "views", "stats", "cleanup"]
# What an action does; `skip` is a partition left alone (its range overlaps existing ones)
# and `run` the summary row of one rule's run.
Verb = Literal[
    "create",
    "rescue",
    "detach",
    "finalize",
    "drop",
    "refresh",
    "analyze",
    "vacuum",
    "delete",
    "skip",
    "run",
]
Outcome = Literal["planned", "ok", "failed", "skipped"]


@dataclass
class Action:
    """One thing maintenance does (or, in a dry run, would do) to one target, and why."""

    task: Task
    target: str  # the table or view it acts on
    action: Verb
    reason: str
    sql: list[str] = field(default_factory=list)
    details: dict[str, Any] = field(default_factory=dict)
    outcome: Outcome = "planned"
    error: str | None = None
    started_at: datetime | None = None
    finished_at: datetime | None = None

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        for key in ("started_at", "finished_at"):
            value = data[key]
            data[key] = value.isoformat() if value else None
        return data

    @property
    def summary(self) -> str:
        part = self.details.get("partition")
        target = f"{self.target} partition {part}" if part else self.target  # which one
        text = f"{self.task}: {self.action} {target} ({self.reason})"
        return text if not self.error else f"{text}: {self.error}"


@dataclass
class RuleRun:
    """One rule of [maintain] taken through a run: due or not, and its actions."""

    task: Task
    target: str
    schedule: str
    actions: list[Action] = field(default_factory=list)
    error: str | None = None

    @property
    def outcome(self) -> Outcome:
        if self.error or any(a.outcome == "failed" for a in self.actions):
            return "failed"
        return "ok"


@dataclass
class MaintenanceResult:
    """Everything a `slipway maintain` run did, for the CLI's renderers and `slipway demo`."""

    dry_run: bool
    now: datetime
    rules: list[RuleRun] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # rules not due, with why

    @property
    def actions(self) -> list[Action]:
        return [a for r in self.rules for a in r.actions]

    @property
    def ok(self) -> bool:
        return all(r.outcome == "ok" for r in self.rules)

    def counts(self, failed: bool = False) -> dict[str, int]:
        """Actions per `task.action`: those done (or planned), or with `failed` those that failed."""
        out: dict[str, int] = {}
        for action in self.actions:
            if (action.outcome == "failed") == failed:
                key = f"{action.task}.{action.action}"
                out[key] = out.get(key, 0) + 1
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "dry_run": self.dry_run,
            "now": self.now.isoformat(),
            "ok": self.ok,
            "counts": self.counts(),
            "failed": self.counts(failed=True),
            "rules": [
                {
                    "task": r.task,
                    "target": r.target,
                    "schedule": r.schedule,
                    "outcome": r.outcome,
                    "error": r.error,
                    "actions": [a.to_dict() for a in r.actions],
                }
                for r in self.rules
            ],
            "skipped": self.skipped,
        }

    def summary_line(self) -> str:
        verb = "would do" if self.dry_run else "did"
        parts = [f"{n} {k}" for k, n in sorted(self.counts().items())] or ["nothing"]
        failed = [f"{n} {k}" for k, n in sorted(self.counts(failed=True).items())]
        rules = sum(1 for r in self.rules if r.outcome == "failed")
        tail = f"; failed: {', '.join(failed)}" if failed else ""
        tail += (
            (f" ({rules} rule(s) failed)" if failed else f"; {rules} rule(s) failed")
            if rules
            else ""
        )
        return f"maintenance {verb}: {', '.join(parts)}{tail}"
