"""HC011 fk-without-index."""

from __future__ import annotations

import re

from slipway.health.checks import Outcome, check, warn
from slipway.health.facts import Facts, Row

_NOT_NULL = re.compile(r'^\(*"?([^"() ]+)"? IS NOT NULL\)*$')


def covers(ix: Row, fk: Row) -> bool:
    """Whether an index serves lookups on the FK's columns (its leading columns, any order).

    A partial index `WHERE col IS NOT NULL` on one of those columns still serves them: an
    equality lookup implies the column is not null.
    """
    keys = list(fk["child_keys"])
    if not ix["is_valid"] or set(ix["keys"][: len(keys)]) != set(keys):
        return False
    if ix["predicate"] is None:
        return True
    match = _NOT_NULL.match(ix["predicate"])
    return bool(match and match.group(1) in fk["child_columns"])


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
        out.findings.append(warn(
            f"{table}.{fk['name']}",
            f"no index on {table} ({cols}) for the foreign key to {fk['parent_table']}",
            f"CREATE INDEX CONCURRENTLY ON {table} ({cols});"))
    return out
