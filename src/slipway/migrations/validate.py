"""`slipway validate`: everything that would make `up` refuse or fail, found without changing
anything — syntax (file:line:column), layout problems, edited or missing applied migrations,
out-of-order pending ones, and migrations without a rollback."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from slipway.errors import MigrationFailed
from slipway.migrations.model import MigrationSet
from slipway.migrations.statements import ParsedScript
from slipway.migrations.status import MigrationState

__all__ = ["Problem", "check_against_database", "check_files"]


@dataclass(frozen=True)
class Problem:
    """One thing `slipway validate` reports, with its severity and code."""

    severity: str  # error | warning
    code: str
    message: str
    version: str | None = None
    file: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The `validate --format json` shape."""
        return {
            "severity": self.severity,
            "code": self.code,
            "version": self.version,
            "file": self.file,
            "message": self.message,
        }


def check_files(mset: MigrationSet) -> list[Problem]:
    """Problems found without a database: non-migrations, syntax errors, missing rollbacks."""
    problems: list[Problem] = []
    for ignored in mset.ignored:
        if ignored.expected:  # another database's file: counted by the caller, not a problem
            continue
        problems.append(
            Problem(
                "warning",
                "not-a-migration",
                f"{mset.shown(ignored.path)}: {ignored.reason}; never applied",
                file=str(ignored.path),
            )
        )
    for mig in mset.migrations:
        for script in (mig.up, mig.down, mig.verify):
            if script is None:
                continue
            try:
                ParsedScript(script).check_syntax()
            except MigrationFailed as exc:
                problems.append(
                    Problem("error", "syntax-error", str(exc), mig.version, str(script.path))
                )
        if mig.down is None:
            problems.append(
                Problem(
                    "warning",
                    "no-rollback",
                    f"{mig.version} {mig.name}".rstrip() + " has no rollback script",
                    mig.version,
                    str(mig.up.path),
                )
            )
    return problems


def check_against_database(states: list[MigrationState]) -> list[Problem]:
    """Problems against the history: modified, missing and out-of-order migrations."""
    problems: list[Problem] = []
    applied = [s for s in states if s.state != "pending"]
    newest = max((s.sort_key for s in applied), default=None)
    for s in states:
        file = str(s.migration.up.path) if s.migration else None
        if s.state == "modified":
            problems.append(
                Problem(
                    "error",
                    "modified",
                    f"{file} changed since it was applied; restore it or run `slipway accept {s.version}`",
                    s.version,
                    file,
                )
            )
        elif s.state == "missing":
            problems.append(
                Problem(
                    "error",
                    "missing",
                    f"{s.version} {s.name} is applied but its file is gone",
                    s.version,
                )
            )
        elif s.state == "pending" and newest is not None and s.sort_key < newest:
            problems.append(
                Problem(
                    "error",
                    "out-of-order",
                    f"{file} is pending but older than the newest applied migration; renumber it "
                    "or apply with --allow-out-of-order",
                    s.version,
                    file,
                )
            )
    return problems
