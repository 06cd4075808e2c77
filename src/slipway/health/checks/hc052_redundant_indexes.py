"""HC052 redundant-indexes."""

from __future__ import annotations

from slipway.catalog.model import Index
from slipway.health.checks import Outcome, check, warn
from slipway.health.checks._indexes import Relation, droppable, index_name, plain_columns
from slipway.health.facts import Facts


def _plain_btree(rel: Relation, ix: Index) -> bool:
    return ix.method == "btree" and ix.predicate is None and ix.valid and plain_columns(rel, ix)


def _prefix(short: tuple[str, ...], long: tuple[str, ...]) -> bool:
    return len(short) < len(long) and long[: len(short)] == short


@check("HC052", "redundant-indexes", "performance", facts=("catalog",))
def redundant_indexes(facts: Facts) -> Outcome:
    """B-tree indexes whose columns are a leading prefix of another index on the same table.

    Why: an index on (a, b) already serves every query an index on (a) serves; the shorter one
    only costs writes and space.

    Fix: DROP INDEX CONCURRENTLY the shorter index (unless it is unique: it enforces a rule).
    """
    by_table: dict[tuple[str, str], list[tuple[Relation, Index]]] = {}
    for rel, ix in facts.indexes():
        if _plain_btree(rel, ix):
            by_table.setdefault((rel.schema, rel.name), []).append((rel, ix))
    out = Outcome()
    for same_table in by_table.values():
        # per key column: name, operator class, collation and ordering, as the definition
        # writes them
        shapes = [(rel, ix, ix.key_specs) for rel, ix in same_table]
        for rel, short, short_shape in shapes:
            if not droppable(short):
                continue
            cover = next((ix for _, ix, shape in shapes if _prefix(short_shape, shape)), None)
            if cover is not None:
                out.findings.append(
                    warn(
                        index_name(rel, short),
                        f"its columns lead {index_name(rel, cover)}, which serves the same lookups",
                        f"DROP INDEX CONCURRENTLY {index_name(rel, short)};",
                    )
                )
    return out
