"""HC034 long-transactions."""

from __future__ import annotations

from slipway.health.checks import Outcome, check, warn
from slipway.health.facts import Facts


@check("HC034", "long-transactions", "connection", facts=("sessions", "database"))
def long_transactions(facts: Facts) -> Outcome:
    """Sessions idle inside an open transaction, or with a transaction open for long.

    Why: an open transaction keeps its locks (blocking migrations and other writers) and
    stops vacuum from removing dead rows anywhere in the database.

    Fix: find the application code that leaves transactions open; set
    idle_in_transaction_session_timeout; pg_terminate_backend(pid) in an emergency.
    """
    th = facts.thresholds
    db = facts.one("database")
    out = Outcome()
    if db and not db.get("is_superuser") and not db.get("can_read_all_stats"):
        out.notes.append("other roles' sessions are hidden without pg_read_all_stats")
    for s in facts.get("sessions"):
        who = f"pid {s['pid']}"
        what = f"{s['role']} ({s['application_name'] or 'no application_name'})"
        fix = f"end it in the application; SELECT pg_terminate_backend({s['pid']});"
        if (
            s["state"]
            and s["state"].startswith("idle in transaction")
            and (s["state_seconds"] or 0) >= th.idle_in_transaction_seconds
        ):
            out.findings.append(
                warn(who, f"{what} idle in transaction for {s['state_seconds']:.0f} s", fix)
            )
        elif (s["xact_seconds"] or 0) >= th.long_transaction_seconds:
            out.findings.append(
                warn(
                    who,
                    f"{what} has a transaction open for {s['xact_seconds']:.0f} s ({s['state']})",
                    fix,
                )
            )
    return out
