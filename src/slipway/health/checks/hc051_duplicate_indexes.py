"""HC051 duplicate-indexes."""

from __future__ import annotations

from slipway.health.checks import Outcome, check, size, warn
from slipway.health.checks._indexes import index_name, keep_rank, shape
from slipway.health.facts import Facts, Row


def _bytes(facts: Facts, ix: Row) -> int | None:
    found = facts.index_stats(ix)
    return found.bytes if found else None


@check("HC051", "duplicate-indexes", "performance", facts=("indexes", "stats"))
def duplicate_indexes(facts: Facts) -> Outcome:
    """Indexes identical to another index on the same table (same columns, opclasses, predicate).

    Why: every copy is written on each insert and update and takes space, and the planner
    uses only one of them.

    Fix: DROP INDEX CONCURRENTLY the copy that backs no constraint.
    """
    groups: dict[tuple[object, ...], list[Row]] = {}
    for ix in facts.get("indexes"):
        groups.setdefault(shape(ix), []).append(ix)
    out = Outcome()
    for same in groups.values():
        if len(same) < 2:
            continue
        keep, *extra = sorted(same, key=keep_rank)
        for ix in extra:
            out.findings.append(
                warn(
                    index_name(ix),
                    f"duplicates {index_name(keep)} on {ix['schema']}."
                    f"{ix['table_name']} ({size(_bytes(facts, ix))})",
                    f"DROP INDEX CONCURRENTLY {index_name(ix)};"
                    if not ix["constraint_name"]
                    else f"drop constraint {ix['constraint_name']} or index {index_name(keep)}",
                )
            )
    return out
