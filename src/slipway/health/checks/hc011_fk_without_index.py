"""HC011 fk-without-index."""

from __future__ import annotations

from slipway.health.checks import Outcome, check, warn
from slipway.health.facts import Facts


@check("HC011", "fk-without-index", "relationships", facts=("catalog",))
def fk_without_index(facts: Facts) -> Outcome:
    """Foreign keys whose referencing columns are not the leading columns of any index.

    Why: deleting or updating a parent row then scans the whole child table (under lock), and
    joins from parent to children cannot use an index.

    Fix: CREATE INDEX CONCURRENTLY on the child table's foreign-key columns.
    """
    out = Outcome()
    for table, fk in facts.foreign_keys():
        if table.covering_index(fk) is not None:  # the Catalog's one definition
            continue
        cols = ", ".join(fk.columns)
        out.findings.append(
            warn(
                f"{table.qualified}.{fk.name}",
                f"no index on {table.qualified} ({cols}) for the foreign key to {fk.ref_table}",
                f"CREATE INDEX CONCURRENTLY ON {table.qualified} ({cols});",
            )
        )
    return out
