"""HC032 connection-usage."""

from __future__ import annotations

from slipway.health.checks import Outcome, check, fail, info, warn
from slipway.health.facts import Facts


@check("HC032", "connection-usage", "connection", facts=("database",))
def connection_usage(facts: Facts) -> Outcome:
    """max_connections and how many are in use right now.

    Why: when client connections reach max_connections minus the reserved ones, new
    connections fail and the application goes down.

    Fix: put a pooler (PgBouncer) in front, lower the application's pool sizes, or raise
    max_connections.
    """
    db = facts.one("database")
    th = facts.thresholds
    usable = int(db.get("max_connections") or 0) - int(db.get("reserved_connections") or 0)
    used = int(db.get("connections") or 0)
    ratio = used / usable if usable > 0 else 0.0
    target = str(db.get("database", "database"))
    out = Outcome(
        metrics={
            "max_connections": db.get("max_connections"),
            "usable": usable,
            "used": used,
            "used_here": db.get("db_connections"),
            "ratio": round(ratio, 3),
        }
    )
    text = (
        f"{used} of {usable} usable connections in use ({ratio:.0%}); "
        f"max_connections = {db.get('max_connections')}"
    )
    fix = "add a pooler, shrink application pools or raise max_connections"
    if ratio >= th.connections_fail:
        out.findings.append(fail(target, text, fix))
    elif ratio >= th.connections_warn:
        out.findings.append(warn(target, text, fix))
    else:
        out.findings.append(info(target, text))
    return out
