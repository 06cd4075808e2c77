"""What the one row generator (`catalog/rowmaker.py`) knows: the tables of the user schemas
read in a few set-based queries (`load_tables`: columns, keys, foreign keys, CHECK
constraints, enums, domains by their base type), and values per type.

A NOT NULL column without a default gets a plain value of its type (`plain_value`); when a
CHECK refuses it, the literals the constraint spells out and shapes CHECKs often demand are
tried (`candidates`).
"""

from __future__ import annotations

import hashlib
import re
import uuid
from dataclasses import dataclass, field
from typing import Any

from psycopg import sql

from slipway.db import Conn

__all__ = [
    "Column",
    "Conn",
    "ForeignKey",
    "Row",
    "Table",
    "Unpopulatable",
    "candidates",
    "load_tables",
    "plain_value",
]


_TABLES = """
SELECT c.oid, n.nspname, c.relname, c.relkind, c.relispartition, c.relrowsecurity,
       c.relforcerowsecurity, coalesce(array_to_string(c.reloptions, ','), ''),
       a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull,
       a.atthasdef OR a.attidentity <> '' OR a.attgenerated <> '',
       bt.typname, bt.typcategory, bt.oid, a.atttypmod,
       a.attgenerated <> '', a.attidentity <> ''
  FROM pg_class c
  JOIN pg_namespace n ON n.oid = c.relnamespace
  JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
  JOIN pg_type t ON t.oid = a.atttypid
  JOIN pg_type bt ON bt.oid = CASE WHEN t.typtype = 'd' THEN t.typbasetype ELSE t.oid END
 WHERE c.relkind IN ('r', 'p', 'v', 'm')
   AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%%'
   AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass
                   AND d.objid = c.oid AND d.deptype = 'e')
 ORDER BY c.oid, a.attnum
"""
_CONSTRAINTS = """
SELECT con.conrelid, con.contype, con.conname, con.confrelid,
       ARRAY(SELECT attname FROM unnest(con.conkey) WITH ORDINALITY k(n, i)
             JOIN pg_attribute ON attrelid = con.conrelid AND attnum = k.n ORDER BY k.i),
       ARRAY(SELECT attname FROM unnest(con.confkey) WITH ORDINALITY k(n, i)
             JOIN pg_attribute ON attrelid = con.confrelid AND attnum = k.n ORDER BY k.i),
       pg_get_constraintdef(con.oid)
  FROM pg_constraint con
 WHERE con.contype IN ('f', 'c', 'p') AND con.conrelid <> 0
"""
_ENUMS = "SELECT enumtypid, enumlabel FROM pg_enum ORDER BY enumtypid, enumsortorder"
_LITERAL = re.compile(r"'((?:[^']|'')*)'|(?<![\w.])(-?\d+(?:\.\d+)?)")
# CHECK (c IN ('a', 'b')) as pg_get_constraintdef prints it: c = ANY (ARRAY['a'::text, ...])
_IN_LIST = re.compile(r"= ANY \(\(?ARRAY\['((?:[^']|'')*)'")


class Unpopulatable(Exception):
    """No valid row could be made for a table; the message says why.

    `table` is the table that failed (a parent, when a child's parent could not be made),
    `reason` PostgreSQL's own message and `sqlstate` its code (None: slipway gave up).
    """

    def __init__(
        self, message: str, sqlstate: str | None = None, *, table: str = "", reason: str = ""
    ) -> None:
        super().__init__(message)
        self.sqlstate = sqlstate
        self.table = table
        self.reason = reason or message


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # format_type(): safe to splice into SQL as a cast
    not_null: bool
    has_default: bool  # default, identity or generated: leave it to the server
    base_type: str
    category: str
    type_oid: int
    max_length: int | None
    generated: bool = False  # GENERATED ALWAYS AS (...): never written
    identity: bool = False


@dataclass(frozen=True)
class ForeignKey:
    name: str
    columns: tuple[str, ...]
    ref_oid: int
    ref_columns: tuple[str, ...]


@dataclass
class Table:
    oid: int
    schema: str
    name: str
    kind: str  # r table, p partitioned, v view, m materialized view
    is_partition: bool
    rls: bool
    force_rls: bool
    options: str
    columns: list[Column] = field(default_factory=list)
    fks: list[ForeignKey] = field(default_factory=list)
    key: tuple[str, ...] = ()  # primary key columns
    # constraint name -> (its columns, candidate literals written in it)
    checks: dict[str, tuple[tuple[str, ...], list[str]]] = field(default_factory=dict)
    allowed: dict[str, str] = field(default_factory=dict)  # column -> first value its IN allows

    @property
    def ident(self) -> sql.Identifier:
        return sql.Identifier(self.schema, self.name)

    @property
    def display(self) -> str:
        return self.name if self.schema == "public" else f"{self.schema}.{self.name}"

    def column(self, name: str) -> Column | None:
        return next((c for c in self.columns if c.name == name), None)

    def where(self, row: Row) -> tuple[sql.Composed, tuple[Any, ...]]:
        """A condition matching exactly `row`: by primary key (a trigger may have updated
        the row since, moving it), else by its physical position."""
        if self.key and all(row.values.get(k) is not None for k in self.key):
            parts = [
                sql.SQL("{} = %s::{}").format(sql.Identifier(k), sql.SQL(col.type))
                for k in self.key
                if (col := self.column(k)) is not None
            ]
            return sql.SQL(" AND ").join(parts), tuple(row.values[k] for k in self.key)
        return sql.Composed([sql.SQL("tableoid = %s AND ctid = %s::tid")]), (row.tableoid, row.ctid)

    def match(self, row: Row) -> sql.Composed:
        """`where`'s condition with the values inlined (to combine several in one statement);
        without a primary key it matches every non-NULL column, which an UPDATE keeps."""
        keyed = bool(self.key) and all(row.values.get(k) is not None for k in self.key)
        names = self.key if keyed else tuple(n for n, v in row.values.items() if v is not None)
        if not names:
            return sql.Composed(
                [
                    sql.SQL("tableoid = {} AND ctid = {}::tid").format(
                        sql.Literal(row.tableoid), sql.Literal(row.ctid)
                    )
                ]
            )
        parts = []
        for name in names:
            col = self.column(name)
            if keyed and col is not None:  # compared as itself, so its index is used
                parts.append(
                    sql.SQL("{} = {}::{}").format(
                        sql.Identifier(name), sql.Literal(row.values[name]), sql.SQL(col.type)
                    )
                )
            else:
                parts.append(
                    sql.SQL("{}::text = {}").format(
                        sql.Identifier(name), sql.Literal(row.values[name])
                    )
                )
        return sql.SQL(" AND ").join(parts)


@dataclass(frozen=True)
class Row:
    tableoid: int
    ctid: str
    values: dict[str, str | None]


def load_tables(conn: Conn) -> tuple[dict[int, Table], dict[int, list[str]]]:
    """Tables, views and materialized views of the user schemas, and every enum's labels."""
    tables: dict[int, Table] = {}
    for r in conn.execute(_TABLES).fetchall():
        table = tables.get(r[0])
        if table is None:
            table = tables[r[0]] = Table(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7])
        length = r[15] - 4 if r[12] in ("varchar", "bpchar") and r[15] > 4 else None
        table.columns.append(
            Column(r[8], r[9], r[10], r[11], r[12], r[13], r[14], length, r[16], r[17])
        )
    for oid, kind, name, ref, cols, ref_cols, definition in conn.execute(_CONSTRAINTS).fetchall():
        if oid not in tables:
            continue
        if kind == "p":
            tables[oid].key = tuple(cols)
        elif kind == "f":
            tables[oid].fks.append(ForeignKey(name, tuple(cols), ref, tuple(ref_cols)))
        else:
            literals = [
                m.group(1) if m.group(1) is not None else m.group(2)
                for m in _LITERAL.finditer(definition)
            ]
            tables[oid].checks[name] = (tuple(cols), [x.replace("''", "'") for x in literals])
            first = _IN_LIST.search(definition)
            if first and len(cols) == 1:
                tables[oid].allowed.setdefault(cols[0], first.group(1).replace("''", "'"))
    enums: dict[int, list[str]] = {}
    for typ, label in conn.execute(_ENUMS).fetchall():
        enums.setdefault(typ, []).append(label)
    return tables, enums


def plain_value(col: Column, n: int, enums: dict[int, list[str]]) -> str:
    """A value of the column's type; `n` makes values differ between rows."""
    name, cat = col.base_type, col.category
    if cat == "E":
        return enums[col.type_oid][0]
    if cat == "A":
        return "{}"
    if cat == "B":
        return "true"
    if cat == "N":
        return str(n % 30000 + 1) if name == "int2" else str(n)
    if cat == "I":
        return f"10.{n // 65536 % 256}.{n // 256 % 256}.{n % 256}"
    if cat == "T":
        return "1 hour"
    if cat == "D":
        return "12:00" if name in ("time", "timetz") else "now"
    simple = {
        "uuid": str(uuid.uuid4()),
        "json": "{}",
        "jsonb": "{}",
        "bytea": "\\x00",
        "xml": "<x/>",
        "tsvector": "",
        "point": "(0,0)",
    }
    if name in simple:
        return simple[name]
    text = f"slipway{n}"
    return text[: col.max_length] if col.max_length else text


def candidates(table: Table, col: Column, n: int) -> list[str]:
    """Values to try when a CHECK rejected the plain one: what the constraints spell out,
    then shapes that CHECKs often demand (a future time, a sha256 hex digest, an email)."""
    literals = [lit for cols, lits in table.checks.values() if col.name in cols for lit in lits]
    numbers = [x for x in literals if re.fullmatch(r"-?\d+(\.\d+)?", x)]
    if col.category == "N":  # a bound, then just inside it
        return numbers + [str(int(float(x)) + 1) for x in numbers]
    if col.base_type == "bytea":  # get_byte(c, 0) = 195; octet_length(c) = 12 or > 16
        ints = [int(float(x)) for x in numbers]
        return [f"\\x{k:02x}" for k in ints if 0 <= k < 256] + [
            "\\x" + "ab" * k for k in ints + [k + 1 for k in ints] if 0 < k <= 1000
        ]
    if col.category == "D":
        return ["2099-01-01 00:00:00+00", "2000-01-01 00:00:00+00"]
    words = [x for x in literals if x not in numbers]
    sized = [
        f"s{n}".ljust(int(float(x)), "x")[: int(float(x))] for x in numbers if 0 < float(x) <= 1000
    ]  # char_length(c) = 17, BETWEEN 4 AND 12, ...
    return (
        words
        + sized
        + numbers
        + [
            hashlib.sha256(f"s{n}".encode()).hexdigest(),
            f"s{n}@example.com",
            "https://example.com",
            "+15555550100",
        ]
    )
