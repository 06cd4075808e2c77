"""HC051 duplicate-indexes."""

from __future__ import annotations

from slipway.catalog.model import Index
from slipway.health.checks import Outcome, check, size, warn
from slipway.health.checks._indexes import Relation, index_name, keep_rank, shape
from slipway.health.facts import Facts


def _bytes(facts: Facts, rel: Relation, ix: Index) -> int | None:
    found = facts.stats.index(rel.schema, ix.name)
    return found.bytes if found else None


@check("HC051", "duplicate-indexes", "performance", facts=("catalog", "stats"))
def duplicate_indexes(facts: Facts) -> Outcome:
    """Indexes identical to another index on the same table (same columns, opclasses, predicate).

    Why: every copy is written on each insert and update and takes space, and the planner
    uses only one of them.

    Fix: DROP INDEX CONCURRENTLY the copy that backs no constraint.
    """
    groups: dict[tuple[object, ...], list[tuple[Relation, Index]]] = {}
    for rel, ix in facts.indexes():
        groups.setdefault(shape(rel, ix), []).append((rel, ix))
    out = Outcome()
    for same in groups.values():
        if len(same) < 2:
            continue
        (_, keep), *extra = sorted(same, key=lambda pair: keep_rank(pair[1]))
        for rel, ix in extra:
            name, kept = index_name(rel, ix), index_name(rel, keep)
            out.findings.append(
                warn(
                    name,
                    f"duplicates {kept} on {rel.schema}.{rel.name} ({size(_bytes(facts, rel, ix))})",
                    f"DROP INDEX CONCURRENTLY {name};"
                    if not ix.constraint
                    else f"drop constraint {ix.constraint} or index {kept}",
                )
            )
    return out
