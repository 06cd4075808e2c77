"""HC063 matviews-refresh."""

from __future__ import annotations

from datetime import datetime

from slipway.health.checks import Outcome, check, info, warn
from slipway.health.facts import Facts


@check(
    "HC063", "matviews-refresh", "maintenance", facts=("catalog", "maintenance_runs", "database")
)
def matviews_refresh(facts: Facts) -> Outcome:
    """Materialized views never refreshed (no data), or not refreshed for too long.

    Why: selecting from an unpopulated materialized view fails; a stale one shows old numbers
    on dashboards without telling anyone.

    Fix: REFRESH MATERIALIZED VIEW (CONCURRENTLY) it, and schedule `slipway maintain views`.
    """
    runs = {str(r["target"]): r["last_run"] for r in facts.get("maintenance_runs")}
    have_runs = bool(facts.extra.get("maintenance_runs_table"))
    now = facts.one("database").get("now") or datetime.now().astimezone()
    max_hours = facts.thresholds.matview_max_age_hours
    out = Outcome()
    if facts.catalog.matviews and not have_runs:
        out.notes.append(
            "no slipway_maintenance_runs table: refresh age is unknown "
            "(PostgreSQL does not record it)"
        )
    for m in facts.catalog.matviews:
        name = f"{m.schema}.{m.name}"
        refresh = f"REFRESH MATERIALIZED VIEW {name};"
        if not m.populated:
            out.findings.append(
                warn(name, "never refreshed: it holds no data and selecting from it fails", refresh)
            )
            continue
        if not have_runs:
            continue
        last = runs.get(name) or runs.get(m.name)
        if last is None:
            out.findings.append(info(name, "no refresh recorded by slipway maintain"))
            continue
        hours = (now - last).total_seconds() / 3600
        if hours > max_hours:
            out.findings.append(warn(name, f"last refreshed {hours:.0f} hours ago", refresh))
        else:
            out.findings.append(info(name, f"refreshed {hours:.1f} hours ago"))
    return out
