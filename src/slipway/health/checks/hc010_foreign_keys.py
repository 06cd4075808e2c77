"""HC010 foreign-keys."""

from __future__ import annotations

from slipway.health.checks import Outcome, check, info
from slipway.health.facts import Facts
from slipway.health.tenancy import RULES


@check("HC010", "foreign-keys", "relationships", facts=("foreign_keys",), informational=True)
def foreign_keys(facts: Facts) -> Outcome:
    """Every foreign key with its ON DELETE rule.

    Why: what happens to child rows when a parent row goes away is a design decision; this
    lists it for every relationship so it can be reviewed.

    Fix: nothing to fix; change a rule with ALTER TABLE ... DROP CONSTRAINT / ADD CONSTRAINT.
    """
    fks = facts.get("foreign_keys")
    rules: dict[str, int] = {}
    out = Outcome()
    for fk in fks:
        rule = str(RULES.get(fk["on_delete"], fk["on_delete"]))
        rules[rule] = rules.get(rule, 0) + 1
        out.findings.append(
            info(
                f"{fk['child_schema']}.{fk['child_table']}.{fk['name']}",
                f"({', '.join(fk['child_columns'])}) -> {fk['parent_schema']}.{fk['parent_table']} "
                f"({', '.join(fk['parent_columns'])}) ON DELETE {rule}",
            )
        )
    out.metrics = {"foreign_keys": len(fks), "on_delete": rules}
    return out
