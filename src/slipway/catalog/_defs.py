"""Index and constraint definitions written from their parts, exactly as PostgreSQL's
pg_get_indexdef() / pg_get_constraintdef() print them (see ruleutils.c), for the simple
cases the queries leave to us. Pure; the identifiers arrive already quoted by quote_ident().
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

ColumnInfo = tuple[str, str, int]  # (name, quote_ident(name), collation oid)
DEFAULT_COLLATION = 100

_ACTIONS = {"r": "RESTRICT", "c": "CASCADE", "n": "SET NULL", "d": "SET DEFAULT"}  # a: none
_MATCH = {"f": " MATCH FULL", "p": " MATCH PARTIAL"}


def _quoted(attnums: Sequence[int], columns: dict[int, ColumnInfo]) -> list[str]:
    return [columns[n][1] if n in columns else str(n) for n in attnums]


def index_definition(row: dict[str, Any], table: str, columns: dict[int, ColumnInfo]) -> str:
    """CREATE [UNIQUE] INDEX for an index of plain columns with default opclasses."""
    attnums: list[int] = row["attnums"] or []
    nkey: int = row["nkey"]
    keys = _quoted(attnums[:nkey], columns)
    for pos, num in enumerate(attnums[:nkey]):
        collations = row["collations"] or []
        wanted = collations[pos] if pos < len(collations) else 0
        if num in columns and wanted and wanted != columns[num][2]:
            # The query only leaves us indexes whose collations are the default one.
            keys[pos] += ' COLLATE "default"'
    text = (
        f"CREATE {'UNIQUE ' if row['unique'] else ''}INDEX {row['quoted']} ON "
        f"{'ONLY ' if row['on_only'] else ''}{table} USING {row['quoted_method']} "
        f"({', '.join(keys)})"
    )
    if len(attnums) > nkey:
        text += f" INCLUDE ({', '.join(_quoted(attnums[nkey:], columns))})"
    if row["predicate"] is not None:
        text += f" WHERE {row['predicate']}"
    return text


def constraint_definition(row: dict[str, Any], columns: dict[int, ColumnInfo]) -> str:
    """PRIMARY KEY / UNIQUE (without INCLUDE) and FOREIGN KEY definitions."""
    keys = ", ".join(_quoted(row["attnums"] or [], columns))
    if row["type"] == "p":
        text = f"PRIMARY KEY ({keys})"
    elif row["type"] == "u":
        text = f"UNIQUE ({keys})"
    else:
        refs = ", ".join(pair[1] for pair in row["ref_names"] or [])
        text = f"FOREIGN KEY ({keys}) REFERENCES {row['ref_quoted']}({refs})"
        text += _MATCH.get(row["match"], "")
        if row["on_update"] in _ACTIONS:
            text += f" ON UPDATE {_ACTIONS[row['on_update']]}"
        if row["on_delete"] in _ACTIONS:
            text += f" ON DELETE {_ACTIONS[row['on_delete']]}"
    if row["deferrable"]:
        text += " DEFERRABLE"
    if row["deferred"]:
        text += " INITIALLY DEFERRED"
    if not row["validated"]:
        text += " NOT VALID"
    return text
