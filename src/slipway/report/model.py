"""The health-style Report: checks with findings, a readiness checklist and one verdict.

Plain data, no I/O: the health engine fills it, the renderers (text, md, html, json) only
read it. `to_dict()` is the JSON shape: {"checks": [{"code", "name", "status", "findings":
[Finding.to_dict(), ...]}], ...}.

A check's status (pass, warn, fail) is not a finding's severity (error, warning, info): it is
the worst severity among its findings, read through STATUS_OF (an info finding passes).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from slipway.report.finding import Finding, RuleInfo, Severity

if TYPE_CHECKING:
    from slipway.catalog.stats import Statistics

Status = Literal["pass", "warn", "fail"]

STATUS_ORDER: dict[str, int] = {"pass": 0, "warn": 1, "fail": 2}
STATUS_OF: dict[Severity, Status] = {"info": "pass", "warning": "warn", "error": "fail"}
# The word a health report shows beside a finding: the status it gives its check ("info" for
# a fact, which passes), so a report reads in one vocabulary; the JSON has the severity.
LABEL: dict[Severity, str] = {"info": "info", "warning": "warn", "error": "fail"}
VERDICTS = {"pass": "ready", "warn": "ready with warnings", "fail": "not ready"}


def worst(statuses: list[Status]) -> Status:
    """The most severe of pass/warn/fail."""
    rank = max((STATUS_ORDER[s] for s in statuses), default=0)
    order: tuple[Status, ...] = ("pass", "warn", "fail")
    return order[rank]


@dataclass
class CheckResult:
    """The outcome of one check: its status follows the worst severity among its findings."""

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
        return worst([STATUS_OF[f.severity] for f in self.findings])

    def counts(self) -> dict[Status, int]:
        """How many findings make the check pass, warn and fail."""
        out: dict[Status, int] = {"pass": 0, "warn": 0, "fail": 0}
        for f in self.findings:
            out[STATUS_OF[f.severity]] += 1
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
        return {
            "category": self.category,
            "title": self.title,
            "status": self.status,
            "reason": self.reason,
            "fix": self.fix,
        }


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
    # The statistics the checks were judged on (`slipway doctor --save-stats`); not rendered.
    statistics: Statistics | None = field(default=None, repr=False, compare=False)

    @property
    def status(self) -> Status:
        return worst([c.status for c in self.checks])

    @property
    def verdict(self) -> str:
        return VERDICTS[self.status]

    def rules(self) -> list[RuleInfo]:
        """Each check as a rule (for SARIF's rule metadata)."""
        return [
            RuleInfo(
                c.code,
                c.name,
                c.summary,
                description=f"{c.summary}\n\nWhy: {c.why}\n\nFix: {c.fix}",
                help=c.fix,
            )
            for c in self.checks
        ]

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
