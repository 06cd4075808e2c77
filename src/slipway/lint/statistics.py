"""`slipway lint --stats SNAPSHOT`: production's table sizes decide how bad a rewrite is.

A rule whose hazard grows with its table (`Rule.cost`: a rewrite, a full scan or index build
under a lock, or a NOT NULL column that fails on rows) names its table in the finding's
target. Given a statistics snapshot (`slipway doctor --save-stats FILE`, run against
production), each such finding says the size it used and is re-judged:

- a large table (the work would take LARGE_SECONDS or more at RATE) makes it an error, with
  the estimated duration;
- an empty table makes it info: there is nothing to rewrite or scan, and nothing to fail on;
- a table the snapshot does not have keeps its severity and says so.

The duration is a rough guide, not a promise: RATE is a conservative rate for writing (or
reading) a table and its indexes on ordinary hardware, and the lock is held for all of it.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from slipway.catalog.stats import TableStats, load_statistics
from slipway.lint.rule import Cost, all_rules

if TYPE_CHECKING:
    from slipway.catalog.stats import Statistics
    from slipway.report.finding import Finding

__all__ = ["LARGE_SECONDS", "RATE", "apply_statistics", "load_statistics"]

RATE = 50 * 1024 * 1024  # bytes a second
LARGE_SECONDS = 5.0
_WORK = {"rewrite": "rewrites", "scan": "reads"}


def apply_statistics(findings: list[Finding], stats: Statistics, source: Path) -> list[Finding]:
    """`findings` re-judged by the sizes in `stats` (read from `source`)."""
    costs = {rule.name: rule.cost for rule in all_rules() if rule.cost is not None}
    return [
        _judged(f, costs[f.name], stats, source.name) if f.name in costs else f for f in findings
    ]


def _judged(finding: Finding, cost: Cost, stats: Statistics, source: str) -> Finding:
    if not finding.target:
        return finding
    schema, _, name = finding.target.rpartition(".")
    table = stats.table(schema or "public", name)
    if table is None:
        note = f" ({finding.target} is not in the statistics snapshot {source})"
        return replace(finding, message=finding.message + note)
    rows = _rows(table)
    if rows == 0:
        empty = f" ({finding.target} is empty in the statistics snapshot {source})"
        return replace(finding, severity="info", message=finding.message + empty)
    if cost == "rows":
        note = f" ({finding.target} holds about {rows:,} rows in the statistics snapshot {source})"
        return replace(finding, severity="error", message=finding.message + note)
    size = table.total_bytes if cost == "rewrite" else table.table_bytes
    seconds = size / RATE
    note = (
        f" ({finding.target} holds about {rows:,} rows, {_bytes(size)} in the statistics"
        f" snapshot {source}: it {_WORK[cost]} them for about {_duration(seconds)} at"
        f" {RATE // (1024 * 1024)} MB/s)"
    )
    severity = "error" if seconds >= LARGE_SECONDS else finding.severity
    return replace(finding, severity=severity, message=finding.message + note)


def _rows(table: TableStats) -> int:
    """The planner's row estimate; the live-tuple count when the table was never analyzed."""
    estimate = table.estimated_rows
    return int(estimate) if estimate >= 0 else max(table.live_tuples, 0)


def _bytes(size: int) -> str:
    value = float(size)
    for unit in ("bytes", "kB", "MB", "GB", "TB"):
        if value < 1024 or unit == "TB":
            return f"{value:.0f} {unit}" if unit == "bytes" else f"{value:.1f} {unit}"
        value /= 1024
    raise AssertionError("unreachable")


def _duration(seconds: float) -> str:
    if seconds < 1:
        return "under a second"
    if seconds < 120:
        return f"{seconds:.0f} s"
    if seconds < 7200:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"
