"""What the linter reports: the result of one run, a list of report Findings (report.finding)."""

from __future__ import annotations

from dataclasses import dataclass, field

from slipway.lint.state import ReplayState
from slipway.report.finding import SEVERITIES, SEVERITY_RANK, Finding

__all__ = ["RULES_DOC", "SEVERITIES", "SEVERITY_RANK", "Finding", "LintResult", "rule_link"]

# Where the rules are documented: docs/rules.md (`slipway lint --docs`), one `## rule-name`
# section each. A reference into the repository, as there is no website: the one place to
# change if the documentation is ever published at an absolute URL.
RULES_DOC = "docs/rules.md"


def rule_link(name: str) -> str:
    """The docs link of a rule: its section of RULES_DOC (the heading's anchor is its name)."""
    return f"{RULES_DOC}#{name}"


@dataclass(repr=False, eq=False)
class LintResult:
    findings: list[Finding] = field(default_factory=list)
    files: int = 0
    migrations: int = 0
    suppressed: int = 0
    state: ReplayState | None = None  # the catalog after the last migration (lint.catalog)

    @classmethod
    def combine(cls, results: list[LintResult]) -> LintResult:
        """One result for several histories linted apart (the state: the last one's)."""
        if len(results) == 1:
            return results[0]
        return cls(
            findings=[f for r in results for f in r.findings],
            files=sum(r.files for r in results),
            migrations=sum(r.migrations for r in results),
            suppressed=sum(r.suppressed for r in results),
            state=results[-1].state if results else None,
        )

    def count(self, severity: str) -> int:
        return sum(1 for f in self.findings if f.severity == severity)

    def fails(self, fail_on: str) -> bool:
        """True when any finding is at least as severe as `fail_on` (error or warning)."""
        bar = SEVERITY_RANK[fail_on]
        return any(SEVERITY_RANK[f.severity] >= bar for f in self.findings)

    def summary(self) -> str:
        parts = [f"{self.count(s)} {s}{'s' if self.count(s) != 1 else ''}" for s in SEVERITIES]
        text = f"{', '.join(parts)} in {self.files} file{'s' if self.files != 1 else ''}"
        return text + (f" ({self.suppressed} suppressed)" if self.suppressed else "")
