"""HC080 crud-cascade."""

from __future__ import annotations

from slipway.health.checks import Outcome, check, info
from slipway.health.facts import Facts


@check("HC080", "crud-cascade", "crud", needs="crud")
def crud_cascade(facts: Facts) -> Outcome:
    """Insert, read, update and delete below the tenant root, and ON DELETE rules, for real.

    Why: seed 003 "validated" CRUD and cascades against the schema design only; this runs them
    on the live database inside a transaction that is rolled back, so triggers, policies and
    rules take part.

    Fix: follow each finding; a cascade that does not behave as declared usually comes from a
    trigger or rule on the child table.
    """
    crud = facts.extra.get("crud")
    out = Outcome()
    if crud is None:
        out.notes.append("CRUD validation did not run")
        return out
    if crud.skipped:
        out.findings.append(info("database", f"skipped: {crud.skipped}"))
        return out
    out.findings = list(crud.findings)
    out.details = list(crud.details)
    return out
