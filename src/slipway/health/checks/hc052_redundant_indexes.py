"""HC052 redundant-indexes."""

from __future__ import annotations

from slipway.health.checks import Outcome, check, warn
from slipway.health.checks._indexes import droppable, index_name
from slipway.health.facts import Facts, Row


def _plain_btree(ix: Row) -> bool:
    return (
        ix["method"] == "btree"
        and ix["expressions"] is None
        and ix["predicate"] is None
        and ix["is_valid"]
        and 0 not in ix["keys"]
    )


Shape = tuple[tuple[int, str, str, str], ...]


def _shape(ix: Row) -> Shape:
    """Per key column: (attnum, opclass, collation, option); vectors come space-separated."""
    return tuple(
        zip(
            ix["keys"],
            ix["opclasses"].split(),
            ix["collations"].split(),
            ix["options"].split(),
            strict=False,
        )
    )


def _prefix(short: Shape, long: Shape) -> bool:
    return len(short) < len(long) and long[: len(short)] == short


@check("HC052", "redundant-indexes", "performance", facts=("indexes",))
def redundant_indexes(facts: Facts) -> Outcome:
    """B-tree indexes whose columns are a leading prefix of another index on the same table.

    Why: an index on (a, b) already serves every query an index on (a) serves; the shorter one
    only costs writes and space.

    Fix: DROP INDEX CONCURRENTLY the shorter index (unless it is unique: it enforces a rule).
    """
    by_table: dict[int, list[Row]] = {}
    for ix in facts.get("indexes"):
        if _plain_btree(ix):
            by_table.setdefault(int(ix["table_oid"]), []).append(ix)
    out = Outcome()
    for same_table in by_table.values():
        shapes = [(ix, _shape(ix)) for ix in same_table]
        for short, short_shape in shapes:
            if not droppable(short):
                continue
            cover = next((ix for ix, shape in shapes if _prefix(short_shape, shape)), None)
            if cover is not None:
                out.findings.append(
                    warn(
                        index_name(short),
                        f"its columns lead {index_name(cover)}, which serves the same lookups",
                        f"DROP INDEX CONCURRENTLY {index_name(short)};",
                    )
                )
    return out
