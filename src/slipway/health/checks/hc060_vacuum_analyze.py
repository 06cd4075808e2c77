"""HC060 vacuum-analyze."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from slipway.catalog.stats import TableStats
from slipway.health.checks import Outcome, check, warn
from slipway.health.facts import Facts


def _latest(*stamps: Any) -> datetime | None:
    known = [s for s in stamps if s is not None]
    return max(known) if known else None


def _analyze_finding(t: TableStats, now: datetime, stale: timedelta) -> str | None:
    last = _latest(t.last_analyze, t.last_autoanalyze)
    changed, live = t.modified_since_analyze, t.live_tuples
    if changed <= 50 + live // 10:  # below autovacuum's own analyze threshold
        return None
    if last is None:
        return f"never analyzed ({changed} rows changed): the planner is guessing"
    if now - last > stale:
        return f"last analyzed {(now - last).days} days ago, {changed} rows changed since"
    return None


def _vacuum_finding(t: TableStats, now: datetime, stale: timedelta, min_dead: int) -> str | None:
    last = _latest(t.last_vacuum, t.last_autovacuum)
    dead = t.dead_tuples
    if dead < min_dead:
        return None
    if last is None:
        return f"never vacuumed, {dead} dead rows"
    if now - last > stale:
        return f"last vacuumed {(now - last).days} days ago, {dead} dead rows"
    return None


@check("HC060", "vacuum-analyze", "maintenance", facts=("catalog", "stats", "database"))
def vacuum_analyze(facts: Facts) -> Outcome:
    """Tables never or long not analyzed or vacuumed, and tables with autovacuum turned off.

    Why: stale statistics give bad plans; dead rows left behind bloat tables and indexes.

    Fix: ANALYZE / VACUUM (ANALYZE) the table now, and let autovacuum (or `slipway maintain
    stats`) keep it up.
    """
    now = facts.one("database").get("now") or datetime.now().astimezone()
    stale = timedelta(days=facts.thresholds.stale_days)
    out = Outcome()
    for t in facts.catalog.tables:
        if t.kind != "ordinary":
            continue  # partitioned parents hold no rows of their own
        name = t.qualified
        if "autovacuum_enabled=false" in t.reloptions:
            out.findings.append(
                warn(
                    name,
                    "autovacuum is disabled on this table",
                    f"ALTER TABLE {name} RESET (autovacuum_enabled);",
                )
            )
        st = facts.table_stats(t)
        text = _analyze_finding(st, now, stale)
        if text:
            out.findings.append(warn(name, text, f"ANALYZE {name};"))
        text = _vacuum_finding(st, now, stale, facts.thresholds.bloat_min_dead)
        if text:
            out.findings.append(warn(name, text, f"VACUUM (ANALYZE) {name};"))
    return out
