"""HC011 fk-without-index."""

from __future__ import annotations

from slipway.health.checks import Outcome, check, warn
from slipway.health.facts import Facts


@check("HC011", "fk-without-index", "relationships", facts=("foreign_keys",))
def fk_without_index(facts: Facts) -> Outcome:
    """Foreign keys whose referencing columns are not the leading columns of any index.

    Why: deleting or updating a parent row then scans the whole child table (under lock), and
    joins from parent to children cannot use an index.

    Fix: CREATE INDEX CONCURRENTLY on the child table's foreign-key columns.
    """
    out = Outcome()
    for fk in facts.get("foreign_keys"):
        if fk["covered"]:
            continue
        table = f"{fk['child_schema']}.{fk['child_table']}"
        cols = ", ".join(fk["child_columns"])
        out.findings.append(warn(
            f"{table}.{fk['name']}",
            f"no index on {table} ({cols}) for the foreign key to {fk['parent_table']}",
            f"CREATE INDEX CONCURRENTLY ON {table} ({cols});"))
    return out
