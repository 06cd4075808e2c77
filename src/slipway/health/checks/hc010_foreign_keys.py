"""HC010 foreign-keys."""

from __future__ import annotations

from slipway.health.checks import Outcome, check, info
from slipway.health.facts import Facts


@check("HC010", "foreign-keys", "relationships", facts=("catalog",), informational=True)
def foreign_keys(facts: Facts) -> Outcome:
    """Every foreign key with its ON DELETE rule.

    Why: what happens to child rows when a parent row goes away is a design decision; this
    lists it for every relationship so it can be reviewed.

    Fix: nothing to fix; change a rule with ALTER TABLE ... DROP CONSTRAINT / ADD CONSTRAINT.
    """
    fks = facts.foreign_keys()
    rules: dict[str, int] = {}
    out = Outcome()
    for table, fk in fks:
        rule = str(fk.on_delete)
        rules[rule] = rules.get(rule, 0) + 1
        out.findings.append(
            info(
                f"{table.qualified}.{fk.name}",
                f"({', '.join(fk.columns)}) -> {fk.ref_schema}.{fk.ref_table} "
                f"({', '.join(fk.ref_columns)}) ON DELETE {rule}",
            )
        )
    out.metrics = {"foreign_keys": len(fks), "on_delete": rules}
    return out
