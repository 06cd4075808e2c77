"""Whether an index serves a foreign key's lookups: the one answer for the Catalog, the doctor
(HC011) and lint (SW105). A module of its own, with no model around it, so that lint's set
rule does not import the whole Catalog model to ask it."""

from __future__ import annotations

import re
from collections.abc import Sequence

__all__ = ["covers_foreign_key"]

_NOT_NULL = re.compile(r'^\(*"?([^"() ]+)"? IS NOT NULL\)*$')


def covers_foreign_key(
    fk_columns: Sequence[str],
    index_columns: Sequence[str],
    *,
    method: str = "btree",
    valid: bool = True,
    predicate: str | None = None,
) -> bool:
    """Whether an index serves the lookups PostgreSQL makes for a foreign key (the one answer
    for the Catalog, `slipway doctor` HC011 and `slipway lint` SW105).

    PostgreSQL checks a foreign key with `WHERE fk_col = $1 [AND ...]` on the referencing
    table, so an index serves it when it is valid, its leading key columns are the FK's
    columns (in any order), and it is btree, or hash for a one-column key (hash indexes have
    one column). A partial index serves it only when its predicate is `col IS NOT NULL` on one
    of those columns: the equality implies it, so the planner proves the predicate. A primary
    key or unique constraint is such an index.
    """
    n = len(fk_columns)
    if not valid or n == 0 or len(index_columns) < n:
        return False
    if method != "btree" and not (method == "hash" and n == 1):
        return False
    if set(index_columns[:n]) != set(fk_columns):
        return False
    if predicate is None:
        return True
    match = _NOT_NULL.match(predicate.strip())
    return bool(match and match.group(1) in fk_columns)
