"""The one Finding: what lint, the doctor and verify --tenancy each report, in one shape.

A finding names the rule or check that produced it (`code`, `name`), how bad it is
(`severity`: error, warning or info, the one vocabulary), what it is about (`target`: a
database object such as "public.leads", or empty), what is wrong (`message`), what to do
(`hint`) and, for findings about a file, where (`location`). The doctor's pass/warn/fail is
a check's *status*, derived from its findings' severities (`report.model`), not a severity.

`to_dict()` is the JSON shape every command prints:
{"code", "name", "severity", "target", "message", "hint", "location": {"file", "line",
"column"} or null}.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal, cast

Severity = Literal["error", "warning", "info"]

SEVERITIES: tuple[Severity, ...] = ("error", "warning", "info")
SEVERITY_RANK: dict[str, int] = {"info": 0, "warning": 1, "error": 2}

__all__ = ["SEVERITIES", "SEVERITY_RANK", "Finding", "Location", "RuleInfo", "Severity"]


@dataclass(frozen=True, slots=True)
class Location:
    """A place in a file: 1-based line and column (0: unknown)."""

    file: str
    line: int = 0
    column: int = 0

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape: {"file", "line", "column"}."""
        return {"file": self.file, "line": self.line, "column": self.column}


@dataclass(frozen=True, slots=True)
class Finding:
    """One thing a rule or check found."""

    code: str  # SW012, HC040, leak
    name: str  # require-concurrent-index-creation, rls-disabled, read other
    severity: Severity
    message: str
    target: str = ""  # the database object it is about, when there is one
    hint: str = ""  # the one-line fix
    location: Location | None = None

    @property
    def file(self) -> str:
        return self.location.file if self.location else ""

    @property
    def line(self) -> int:
        return self.location.line if self.location else 0

    @property
    def column(self) -> int:
        return self.location.column if self.location else 0

    @property
    def where(self) -> str:
        """`file:line:column`, else the target, else the code: what a line of output starts with."""
        return str(self.location) if self.location else self.target or self.code

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape shared by every command."""
        return {
            "code": self.code,
            "name": self.name,
            "severity": self.severity,
            "target": self.target,
            "message": self.message,
            "hint": self.hint,
            "location": self.location.to_dict() if self.location else None,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Finding:
        """The finding `to_dict` gave (raises KeyError or TypeError when it is not one)."""
        if data["severity"] not in SEVERITIES:
            raise TypeError(f"unknown severity {data['severity']!r}")
        where = data.get("location")
        return cls(
            str(data["code"]),
            str(data["name"]),
            cast(Severity, data["severity"]),
            str(data["message"]),
            str(data.get("target", "")),
            str(data.get("hint", "")),
            Location(str(where["file"]), int(where["line"]), int(where["column"]))
            if where
            else None,
        )


@dataclass(frozen=True, slots=True)
class RuleInfo:
    """What a rule or check is, for formats that describe rules (SARIF's tool.driver.rules)."""

    code: str
    name: str
    summary: str
    severity: Severity = "warning"  # its default
    description: str = ""  # longer, Markdown
    help: str = ""
