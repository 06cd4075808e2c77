"""The health-style Report: checks with findings, a readiness checklist and one verdict.

Plain data, no I/O: the health engine fills it, the renderers (text, md, html, json) only
read it. `to_dict()` is the JSON shape: {"checks": [{"code", "name", "status", "findings":
[{"target", ...}]}], ...}.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

Status = Literal["pass", "warn", "fail"]
Level = Literal["info", "warn", "fail"]

STATUS_ORDER: dict[str, int] = {"pass": 0, "info": 0, "warn": 1, "fail": 2}
VERDICTS = {"pass": "ready", "warn": "ready with warnings", "fail": "not ready"}


def worst(statuses: list[str]) -> Status:
    """The most severe of pass/warn/fail (an `info` level counts as pass)."""
    rank = max((STATUS_ORDER[s] for s in statuses), default=0)
    order: tuple[Status, ...] = ("pass", "warn", "fail")
    return order[rank]


@dataclass(frozen=True)
class Finding:
    """One thing a check found, about one named object (`target`, e.g. "public.leads")."""

    target: str
    message: str
    fix: str = ""
    level: Level = "warn"

    def to_dict(self) -> dict[str, Any]:
        return {"target": self.target, "level": self.level, "message": self.message,
                "fix": self.fix}


@dataclass
class CheckResult:
    """The outcome of one check: its status is the worst level among its findings."""

    code: str
    name: str
    category: str
    summary: str
    findings: list[Finding] = field(default_factory=list)
    why: str = ""
    fix: str = ""
    notes: list[str] = field(default_factory=list)
    details: list[str] = field(default_factory=list)  # preformatted lines, e.g. the FK tree
    metrics: dict[str, Any] = field(default_factory=dict)
    informational: bool = False

    @property
    def status(self) -> Status:
        return worst([f.level for f in self.findings])

    def counts(self) -> dict[str, int]:
        out = {"info": 0, "warn": 0, "fail": 0}
        for f in self.findings:
            out[f.level] += 1
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "name": self.name,
            "category": self.category,
            "summary": self.summary,
            "status": self.status,
            "informational": self.informational,
            "findings": [f.to_dict() for f in self.findings],
            "notes": list(self.notes),
            "details": list(self.details),
            "metrics": dict(self.metrics),
            "why": self.why,
            "fix": self.fix,
        }


@dataclass(frozen=True)
class ChecklistItem:
    """One readiness line: a category's status, the reason and what to do."""

    category: str
    title: str
    status: Status
    reason: str
    fix: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"category": self.category, "title": self.title, "status": self.status,
                "reason": self.reason, "fix": self.fix}


@dataclass
class Report:
    """A whole health report: what was checked, where, when, and the verdict."""

    title: str
    database: str  # masked URL or name: never a password
    generated_at: str
    checks: list[CheckResult] = field(default_factory=list)
    checklist: list[ChecklistItem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    server_version: str = ""
    duration_s: float = 0.0

    @property
    def status(self) -> Status:
        return worst([c.status for c in self.checks])

    @property
    def verdict(self) -> str:
        return VERDICTS[self.status]

    def check(self, code: str) -> CheckResult:
        for c in self.checks:
            if c.code == code:
                return c
        raise KeyError(code)

    def to_dict(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "database": self.database,
            "server_version": self.server_version,
            "generated_at": self.generated_at,
            "duration_s": round(self.duration_s, 3),
            "status": self.status,
            "verdict": self.verdict,
            "checklist": [i.to_dict() for i in self.checklist],
            "checks": [c.to_dict() for c in self.checks],
            "notes": list(self.notes),
        }
