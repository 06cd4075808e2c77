"""HC011 fk-without-index."""

from __future__ import annotations

from slipway.catalog.model import covers_foreign_key
from slipway.health.checks import Outcome, check, warn
from slipway.health.facts import Facts, Row


def covers(ix: Row, fk: Row) -> bool:
    """Whether an index row serves the FK row's lookups: the Catalog's one definition, on the
    facts' rows (key columns as attribute numbers, named here by the FK's own columns)."""
    names = dict(zip(fk["child_keys"], fk["child_columns"], strict=False))
    return covers_foreign_key(
        list(fk["child_columns"]),
        [names.get(key, f"#{key}") for key in ix["keys"][: int(ix["key_count"])]],
        method=str(ix["method"]),
        valid=bool(ix["is_valid"]),
        predicate=ix["predicate"],
    )


@check("HC011", "fk-without-index", "relationships", facts=("foreign_keys", "indexes"))
def fk_without_index(facts: Facts) -> Outcome:
    """Foreign keys whose referencing columns are not the leading columns of any index.

    Why: deleting or updating a parent row then scans the whole child table (under lock), and
    joins from parent to children cannot use an index.

    Fix: CREATE INDEX CONCURRENTLY on the child table's foreign-key columns.
    """
    by_table: dict[int, list[Row]] = {}
    for ix in facts.get("indexes"):
        by_table.setdefault(int(ix["table_oid"]), []).append(ix)
    out = Outcome()
    for fk in facts.get("foreign_keys"):
        if any(covers(ix, fk) for ix in by_table.get(int(fk["child_oid"]), [])):
            continue
        table = f"{fk['child_schema']}.{fk['child_table']}"
        cols = ", ".join(fk["child_columns"])
        out.findings.append(
            warn(
                f"{table}.{fk['name']}",
                f"no index on {table} ({cols}) for the foreign key to {fk['parent_table']}",
                f"CREATE INDEX CONCURRENTLY ON {table} ({cols});",
            )
        )
    return out
