"""Quote identifiers and literals into SQL text without a connection.

The engine appends its history rows to every migration's one simple-query message; building
them with psycopg.sql costs more CPU than the rest of a small migration, so these few values are
quoted here. Literals use the `E''` form whenever a backslash is present, which PostgreSQL reads
the same way whatever `standard_conforming_strings` says (a migration may change it).
"""

from __future__ import annotations


def quote_ident(name: str) -> str:
    """`"name"` with embedded double quotes doubled (always quoted: case is kept)."""
    if "\x00" in name:
        raise ValueError("an identifier cannot contain a NUL character")
    return '"' + name.replace('"', '""') + '"'


def quote_qualified(name: str) -> str:
    """`schema.table` (split at the first dot) or `table`, each part quoted."""
    return ".".join(quote_ident(part) for part in name.split(".", 1))


def quote_literal(value: str | int | None) -> str:
    """A SQL literal: NULL, an integer, or a string constant safe in any quoting mode."""
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if "\x00" in value:
        raise ValueError("a text value cannot contain a NUL character")
    quoted = value.replace("'", "''")
    if "\\" in quoted:
        return "E'" + quoted.replace("\\", "\\\\") + "'"
    return "'" + quoted + "'"
