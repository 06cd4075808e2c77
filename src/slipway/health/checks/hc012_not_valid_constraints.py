"""HC012 not-valid-constraints."""

from __future__ import annotations

from slipway.health.checks import Outcome, check, fail, warn
from slipway.health.facts import Facts


@check(
    "HC012",
    "not-valid-constraints",
    "relationships",
    facts=("foreign_keys", "orphans", "check_constraints"),
)
def not_valid_constraints(facts: Facts) -> Outcome:
    """Constraints added NOT VALID and never validated, and the orphaned rows they hide.

    Why: a NOT VALID foreign key only checks new rows; old rows may point at parents that do
    not exist, which breaks joins, cascades and the application's assumptions.

    Fix: delete or repair the orphaned rows, then ALTER TABLE ... VALIDATE CONSTRAINT.
    """
    orphans = {int(r["oid"]): int(r["orphans"]) for r in facts.get("orphans")}
    out = Outcome(notes=[facts.notes["orphans"]] if "orphans" in facts.notes else [])
    for fk in facts.get("foreign_keys"):
        if fk["validated"]:
            continue
        table = f"{fk['child_schema']}.{fk['child_table']}"
        target = f"{table}.{fk['name']}"
        validate = f"ALTER TABLE {table} VALIDATE CONSTRAINT {fk['name']};"
        count = orphans.get(int(fk["oid"]))
        if count:
            out.findings.append(
                fail(
                    target,
                    f"NOT VALID: {count} rows reference missing "
                    f"{fk['parent_schema']}.{fk['parent_table']} rows",
                    f"delete or repair those rows, then {validate}",
                )
            )
        else:
            out.findings.append(warn(target, "NOT VALID but no orphaned rows found", validate))
    for c in facts.get("check_constraints"):
        table = f"{c['schema']}.{c['table_name']}"
        out.findings.append(
            warn(
                f"{table}.{c['name']}",
                f"NOT VALID: {c['definition']}",
                f"fix violating rows, then ALTER TABLE {table} VALIDATE CONSTRAINT {c['name']};",
            )
        )
    return out
