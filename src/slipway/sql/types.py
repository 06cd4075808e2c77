"""The built-in types' two spellings: pg_type.typname, which the parser and the lint replay
see (int4, timestamptz, bpchar), and what format_type() prints, the Catalog's spelling
(integer, timestamp with time zone, character). Types not listed print as their typname."""

from __future__ import annotations

__all__ = ["FORMAT_NAMES", "SERIALS", "TYPNAMES"]

#: typname -> format_type() text, for the types whose two spellings differ.
FORMAT_NAMES: dict[str, str] = {
    "int2": "smallint",
    "int4": "integer",
    "int8": "bigint",
    "bool": "boolean",
    "float4": "real",
    "float8": "double precision",
    "varchar": "character varying",
    "bpchar": "character",
    "char": '"char"',
    "timestamp": "timestamp without time zone",
    "timestamptz": "timestamp with time zone",
    "time": "time without time zone",
    "timetz": "time with time zone",
}
#: format_type() text -> typname.
TYPNAMES: dict[str, str] = {printed: typname for typname, printed in FORMAT_NAMES.items()}
#: The serial pseudo-types and the integer type each makes its column.
SERIALS: dict[str, str] = {
    "smallserial": "int2",
    "serial2": "int2",
    "serial": "int4",
    "serial4": "int4",
    "bigserial": "int8",
    "serial8": "int8",
}
