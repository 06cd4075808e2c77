"""What the one row generator (`catalog/rowmaker.py`) knows: the tables of the user schemas as
the Catalog holds them (`tables_of`: columns with what their types need, keys, foreign keys,
CHECK constraints; `read_tables` reads that part of the Catalog), and values per type.

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

from slipway.catalog.introspect import introspect
from slipway.catalog.model import Catalog, MatView, View
from slipway.catalog.model import Column as CatalogColumn
from slipway.catalog.model import Table as CatalogTable
from slipway.catalog.typeshape import TypeShapes
from slipway.db import Conn

__all__ = [
    "KINDS",
    "MEMBERS",
    "Column",
    "Conn",
    "ForeignKey",
    "Row",
    "Table",
    "TableId",
    "Unpopulatable",
    "candidates",
    "plain_value",
    "read_tables",
    "tables_of",
]

TableId = tuple[str, str]  # (schema, name): how the generator, like the Catalog, knows a table
#: The part of the Catalog the generator reads: tables (partitions included), views and
#: materialized views, their columns and constraints, and the enums and domains types name.
KINDS = "rpvm"
MEMBERS = ("columns", "constraints", "types")

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
    type: str  # the type to cast to (catalog/typeshape.py): safe to splice into SQL
    not_null: bool
    has_default: bool  # default, identity or generated: leave it to the server
    base_type: str  # typname of the type, or of a domain's base type: int2, varchar, uuid
    category: str  # its typcategory: N numeric, D date/time, E enum...
    labels: tuple[str, ...] = ()  # an enum's labels (a domain over an enum's too)
    max_length: int | None = None
    generated: bool = False  # GENERATED ALWAYS AS (...): never written
    identity: bool = False


@dataclass(frozen=True)
class ForeignKey:
    name: str
    columns: tuple[str, ...]
    ref: TableId
    ref_columns: tuple[str, ...]


@dataclass
class Table:
    schema: str
    name: str
    kind: str  # r table, p partitioned, v view, m materialized view
    is_partition: bool = False
    rls: bool = False  # row level security enabled
    security_invoker: bool = False  # a view WITH (security_invoker = true)
    columns: list[Column] = field(default_factory=list)
    fks: list[ForeignKey] = field(default_factory=list)
    key: tuple[str, ...] = ()  # primary key columns
    # constraint name -> (its columns, candidate literals written in it)
    checks: dict[str, tuple[tuple[str, ...], list[str]]] = field(default_factory=dict)
    allowed: dict[str, str] = field(default_factory=dict)  # column -> first value its IN allows

    @property
    def id(self) -> TableId:
        return (self.schema, self.name)

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


def read_tables(conn: Conn) -> dict[TableId, Table]:
    """`tables_of` the database behind `conn` (slipway's own tables included, as before)."""
    catalog = introspect(
        conn, kinds=KINDS, members=MEMBERS, exclude_tables=(), include_privileges=False
    )
    return tables_of(catalog)


def tables_of(catalog: Catalog) -> dict[TableId, Table]:
    """The generator's view of the Catalog's tables, views and materialized views, in name
    order. It needs `MEMBERS` read; foreign tables are left out (no row is made there)."""
    types = TypeShapes(catalog)
    relations: list[CatalogTable | View | MatView] = [
        *(t for t in catalog.tables if t.kind != "foreign"),
        *catalog.views,
        *catalog.matviews,
    ]
    out: dict[TableId, Table] = {}
    for rel in sorted(relations, key=lambda r: (r.schema, r.name)):
        if isinstance(rel, CatalogTable):
            kind = "p" if rel.is_partitioned else "r"
            table = Table(rel.schema, rel.name, kind, rel.is_partition, rel.rls_enabled)
            _constraints(table, rel)
        elif isinstance(rel, View):
            table = Table(rel.schema, rel.name, "v", security_invoker=rel.security_invoker)
        else:
            table = Table(rel.schema, rel.name, "m")
        table.columns = [_column(c, types) for c in rel.columns]
        out[table.id] = table
    return out


def _column(col: CatalogColumn, types: TypeShapes) -> Column:
    shape = types.of(col.type)
    generated, identity = col.generated is not None, col.identity != ""
    return Column(
        col.name,
        shape.cast,
        not col.nullable,
        col.default is not None or generated or identity,
        shape.base_type,
        shape.category,
        shape.labels,
        shape.max_length,
        generated,
        identity,
    )


def _constraints(table: Table, rel: CatalogTable) -> None:
    """Primary key, foreign keys and CHECKs (with the literals written in them)."""
    for con in rel.constraints:
        cols = con.columns
        if con.type == "p":
            table.key = cols
        elif con.type == "f":
            ref = (str(con.ref_schema), str(con.ref_table))
            table.fks.append(ForeignKey(con.name, cols, ref, con.ref_columns))
        elif con.type == "c":
            literals = [
                m.group(1) if m.group(1) is not None else m.group(2)
                for m in _LITERAL.finditer(con.definition)
            ]
            table.checks[con.name] = (cols, [x.replace("''", "'") for x in literals])
            first = _IN_LIST.search(con.definition)
            if first and len(cols) == 1:
                table.allowed.setdefault(cols[0], first.group(1).replace("''", "'"))


def plain_value(col: Column, n: int) -> str:
    """A value of the column's type; `n` makes values differ between rows."""
    name, cat = col.base_type, col.category
    if cat == "E":
        return col.labels[0]
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
