"""Quote identifiers and literals into SQL text without a connection.

The engine appends its history rows to every migration's one simple-query message; building
them with psycopg.sql costs more CPU than the rest of a small migration, so these few values are
quoted here. Literals use the `E''` form whenever a backslash is present, which PostgreSQL reads
the same way whatever `standard_conforming_strings` says (a migration may change it).
"""

from __future__ import annotations

import re


def quote_ident(name: str) -> str:
    """`"name"` with embedded double quotes doubled (always quoted: case is kept)."""
    if "\x00" in name:
        raise ValueError("an identifier cannot contain a NUL character")
    return '"' + name.replace('"', '""') + '"'


_PLAIN_IDENTIFIER = re.compile(r"[a-z_][a-z0-9_$]*")


def quote_ident_if_needed(name: str) -> str:
    """`name` as PostgreSQL prints it: bare when it is a plain lower-case word, else quoted
    (names that are reserved words are not detected: pass those to `quote_ident`)."""
    return name if _PLAIN_IDENTIFIER.fullmatch(name) else quote_ident(name)


NAME_BYTES = 63  # PostgreSQL truncates longer identifiers (NAMEDATALEN - 1)


def split_qualified(name: str) -> tuple[str | None, str]:
    """A configured `schema.table` or `table` as (schema, table), case kept as written.

    Raises ValueError, saying why, for a name PostgreSQL would not keep exactly as written:
    empty parts, more than one dot, double quotes, NUL, or a part longer than 63 bytes."""
    if "\x00" in name:
        raise ValueError("contains a NUL character")
    if '"' in name:
        raise ValueError("contains a double quote; write the name without quotes (case is kept)")
    parts = name.split(".")
    if len(parts) > 2:
        raise ValueError("has more than one dot; write it as schema.table")
    if any(not part.strip() for part in parts):
        raise ValueError("is empty" if len(parts) == 1 else "has an empty schema or table part")
    for part in parts:
        if len(part.encode("utf-8")) > NAME_BYTES:
            raise ValueError(f"part {part[:20]!r}... is longer than {NAME_BYTES} bytes")
    return (parts[0], parts[1]) if len(parts) == 2 else (None, parts[0])


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
