"""A column's type read back from the Catalog's text (`catalog/typeshape.py`: base type,
category, length, enum labels) is what pg_type says, through domains, arrays and quoted
schemas; and the type it casts to resolves whatever the search_path."""

from __future__ import annotations

from typing import Any

import psycopg

from slipway.catalog.introspect import introspect
from slipway.catalog.typeshape import TypeShapes

SCHEMA = """
CREATE TYPE mood AS ENUM ('calm', 'busy');
CREATE DOMAIN mood_d AS mood;
CREATE DOMAIN mood_dd AS mood_d;
CREATE DOMAIN code5 AS varchar(5);
CREATE DOMAIN code5_d AS code5;
CREATE DOMAIN ints AS int[];
CREATE SCHEMA "Sales";
CREATE TYPE "Sales"."Stage" AS ENUM ('Lead', 'Won');
CREATE DOMAIN "Sales"."Stage d" AS "Sales"."Stage";
"""
TYPES = [
    "smallint", "integer", "bigint", "real", "double precision", "numeric(10,2)", "money",
    "oid", "boolean", "inet", "cidr", "interval", "interval year to month", "date",
    "timestamp", "timestamp(3) with time zone", "time", "timetz", "varchar(40)", "varchar",
    "char(3)", "bpchar", "text", "name", '"char"', "uuid", "json", "jsonb", "bytea", "xml",
    "tsvector", "point", "int[]", "varchar(9)[]", "mood", "mood[]", "mood_d", "mood_dd",
    "code5", "code5_d", "ints", '"Sales"."Stage"', '"Sales"."Stage"[]', '"Sales"."Stage d"',
]  # fmt: skip
# Each column's base type (domains followed) as pg_type has it, with the modifier in force.
BASES = """
WITH RECURSIVE b AS (
    SELECT a.attname AS col, a.atttypid AS typ, a.atttypmod AS mod
      FROM pg_attribute a WHERE a.attrelid = 'shapes'::regclass AND a.attnum > 0
    UNION ALL
    SELECT b.col, t.typbasetype, t.typtypmod FROM b JOIN pg_type t ON t.oid = b.typ
     WHERE t.typtype = 'd')
SELECT b.col, t.typname, t.typcategory, b.mod,
       ARRAY(SELECT enumlabel::text FROM pg_enum WHERE enumtypid = t.oid ORDER BY enumsortorder)
  FROM b JOIN pg_type t ON t.oid = b.typ WHERE t.typtype <> 'd'
"""


def test_type_shapes_are_what_pg_type_says(db_conn: psycopg.Connection[Any]) -> None:
    db_conn.execute(SCHEMA)
    columns = ", ".join(f"c{i} {t}" for i, t in enumerate(TYPES))
    db_conn.execute(f"CREATE TABLE shapes ({columns})")
    table = introspect(db_conn, members=("columns", "types")).table("shapes")
    assert table is not None
    shapes = TypeShapes(introspect(db_conn, members=("types",)))
    got = {
        c.name: (s.base_type, s.category, s.max_length, s.labels)
        for c in table.columns
        if (s := shapes.of(c.type))
    }
    want = {
        col: (name, cat, mod - 4 if name in ("varchar", "bpchar") and mod > 4 else None, tuple(e))
        for col, name, cat, mod, e in db_conn.execute(BASES).fetchall()
    }
    assert got == want
    db_conn.execute("SET search_path = pg_catalog")  # a user type's cast names its schema
    for c in table.columns:
        db_conn.execute(f"SELECT NULL::{shapes.of(c.type).cast}")
