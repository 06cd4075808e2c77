"""HC012 not-valid-constraints."""

from __future__ import annotations

from slipway.health.checks import Outcome, check, fail, warn
from slipway.health.derived import fk_target
from slipway.health.facts import Facts


@check("HC012", "not-valid-constraints", "relationships", facts=("catalog", "orphans"))
def not_valid_constraints(facts: Facts) -> Outcome:
    """Constraints added NOT VALID and never validated, and the orphaned rows they hide.

    Why: a NOT VALID foreign key only checks new rows; old rows may point at parents that do
    not exist, which breaks joins, cascades and the application's assumptions.

    Fix: delete or repair the orphaned rows, then ALTER TABLE ... VALIDATE CONSTRAINT.
    """
    orphans = {str(r["fk"]): int(r["orphans"]) for r in facts.get("orphans")}
    out = Outcome(notes=[facts.notes["orphans"]] if "orphans" in facts.notes else [])
    for table, fk in facts.foreign_keys():
        if fk.validated:
            continue
        target = fk_target(table, fk)
        validate = f"ALTER TABLE {table.qualified} VALIDATE CONSTRAINT {fk.name};"
        count = orphans.get(target)
        if count:
            out.findings.append(
                fail(
                    target,
                    f"NOT VALID: {count} rows reference missing {fk.ref_schema}.{fk.ref_table} rows",
                    f"delete or repair those rows, then {validate}",
                )
            )
        else:
            out.findings.append(warn(target, "NOT VALID but no orphaned rows found", validate))
    for table in facts.catalog.tables:
        for c in table.constraints:
            if c.type != "c" or c.validated:
                continue
            out.findings.append(
                warn(
                    f"{table.qualified}.{c.name}",
                    f"NOT VALID: {c.definition}",
                    f"fix violating rows, then ALTER TABLE {table.qualified} VALIDATE CONSTRAINT "
                    f"{c.name};",
                )
            )
    return out
