"""Health checks: one small pure unit per file, registered by code.

A check is a function of the gathered Facts returning an Outcome (findings, details, metrics).
It does no I/O. Its docstring is its documentation: the first line is the summary, then
`Why:` and `Fix:` paragraphs; a test keeps every docstring complete.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from slipway.health.facts import Facts
from slipway.report.finding import Finding

CATEGORIES = (
    "schema",
    "relationships",
    "migrations",
    "connection",
    "security",
    "performance",
    "maintenance",
    "crud",
    "load",
)
_NAME = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
_CODE = re.compile(r"^HC\d{3}$")


@dataclass
class Outcome:
    """What a check returns; the engine wraps it into a report CheckResult."""

    findings: list[Finding] = field(default_factory=list)
    details: list[str] = field(default_factory=list)
    metrics: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


CheckFunc = Callable[[Facts], Outcome]


@dataclass(frozen=True)
class Check:
    code: str
    name: str
    category: str
    facts: tuple[str, ...]
    func: CheckFunc
    informational: bool = False
    needs: str = ""  # "crud" or "load": runs only when that part of the doctor ran

    @property
    def doc(self) -> str:
        return (self.func.__doc__ or "").strip()

    def _section(self, label: str) -> str:
        match = re.search(
            rf"^\s*{label}:\s*(.+?)(?:\n\s*\n|\Z)", self.doc, re.DOTALL | re.MULTILINE
        )
        return " ".join(match.group(1).split()) if match else ""

    @property
    def summary(self) -> str:
        return self.doc.splitlines()[0].strip() if self.doc else ""

    @property
    def why(self) -> str:
        return self._section("Why")

    @property
    def fix(self) -> str:
        return self._section("Fix")


REGISTRY: dict[str, Check] = {}
_LOADED: list[bool] = []  # set once every check module has been imported


def check(
    code: str,
    name: str,
    category: str,
    facts: tuple[str, ...] = (),
    informational: bool = False,
    needs: str = "",
) -> Callable[[CheckFunc], CheckFunc]:
    """Register the decorated function as health check `code`."""
    if not _CODE.match(code) or not _NAME.match(name) or category not in CATEGORIES:
        raise ValueError(f"bad check registration {code} {name} {category}")

    def wrap(func: CheckFunc) -> CheckFunc:
        if code in REGISTRY:
            raise ValueError(f"health check {code} registered twice")
        REGISTRY[code] = Check(code, name, category, facts, func, informational, needs)
        return func

    return wrap


def all_checks() -> list[Check]:
    """Every check, in code order (importing the check modules on first use)."""
    if not _LOADED:  # importing one check module directly must not hide the others
        for mod in pkgutil.iter_modules(__path__):
            if mod.name.startswith("hc"):
                importlib.import_module(f"{__name__}.{mod.name}")
        _LOADED.append(True)
    return [REGISTRY[c] for c in sorted(REGISTRY)]


# The engine fills in each finding's code and name from the check that returned it.


def info(target: str, message: str) -> Finding:
    """A fact worth showing; it does not make the check warn."""
    return Finding("", "", "info", message, target)


def warn(target: str, message: str, fix: str) -> Finding:
    """A problem that makes the check warn."""
    return Finding("", "", "warning", message, target, fix)


def fail(target: str, message: str, fix: str) -> Finding:
    """A problem that makes the check fail."""
    return Finding("", "", "error", message, target, fix)


def size(n: float | None) -> str:
    """Bytes as a short human string."""
    value = float(n or 0)
    for unit in ("B", "kB", "MB", "GB", "TB"):
        if value < 1024 or unit == "TB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{value:.1f} TB"
