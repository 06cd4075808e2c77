"""The structural subset of a Catalog: tables, their columns, keys and indexes.

What a model of the schema built without a database (lint's replay) can be held to against
the live catalog after `up`: every table with its columns (type, nullability), its primary
key, unique and foreign-key constraints (name, columns, referenced table and columns) and
its indexes (name, key columns, uniqueness). Expressions (defaults, checks, view bodies) are
outside it: the replay does not keep them.
"""

from __future__ import annotations

from collections.abc import Iterable

from slipway.catalog.model import Catalog, Table

__all__ = ["structural_differences", "structure"]

# table -> "column c" / "constraint k" / "index i" -> what it is
Structure = dict[str, dict[str, str]]
_KEYS = {"p": "primary key", "u": "unique", "f": "foreign key"}


def structure(catalog: Catalog, skip: Iterable[str] = ()) -> Structure:
    """The subset of `catalog`, by `schema.table`; tables in `skip` are left out."""
    left_out = set(skip)
    return {
        table.qualified: _table(table)
        for table in catalog.tables
        if table.qualified not in left_out
    }


def _table(table: Table) -> dict[str, str]:
    parts: dict[str, str] = {}
    for column in table.columns:
        null = "" if column.nullable else " not null"
        parts[f"column {column.name}"] = column.type + null
    for con in table.constraints:
        if con.type in _KEYS and not con.inherited:
            ref = f" -> {con.ref_schema}.{con.ref_table} ({', '.join(con.ref_columns)})"
            parts[f"constraint {con.name}"] = f"{_KEYS[con.type]} ({', '.join(con.columns)})" + (
                ref if con.type == "f" else ""
            )
    names = {column.name for column in table.columns}
    for index in table.indexes:
        unique = "unique " if index.unique else ""
        # An expression's text is outside the subset: only that there is one counts.
        keys = [c if c in names else "(expression)" for c in index.columns]
        parts[f"index {index.name}"] = f"{unique}({', '.join(keys)})"
    return parts


def structural_differences(expected: Structure, actual: Structure) -> list[str]:
    """One line per table, column, key or index that one side has and the other has not,
    or has differently (`expected` is the model, `actual` the database)."""
    out: list[str] = []
    for name in sorted(expected.keys() | actual.keys()):
        mine, theirs = expected.get(name), actual.get(name)
        if mine is None:
            out.append(f"table {name}: in the database, not in the model")
            continue
        if theirs is None:
            out.append(f"table {name}: in the model, not in the database")
            continue
        for part in sorted(mine.keys() | theirs.keys()):
            a, b = mine.get(part), theirs.get(part)
            if a == b:
                continue
            if a is None:
                out.append(f"{name} {part}: in the database ({b}), not in the model")
            elif b is None:
                out.append(f"{name} {part}: in the model ({a}), not in the database")
            else:
                out.append(f"{name} {part}: model {a}, database {b}")
    return out
