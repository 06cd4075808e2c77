"""Minimal valid rows for any table: the one row generator, for the doctor's CRUD check and
load test (`health/rows.py`) and the tenancy test (`verify/tenancy.py`).

Reads the tables of the user schemas in a few set-based queries (`load_tables`), then builds
rows in the caller's transaction (the callers roll it back): NOT NULL columns without a
default get a value of their type (an enum's first label, the first value a one-column
`CHECK (c IN (...))` allows), NOT NULL foreign keys get a parent row (made first, for the same
tenant; a parent outside the maker's scope lends one of its existing rows instead), CHECK
constraints that reject a value make us try the literals written in the constraint. A table
that still cannot be populated raises Unpopulatable with PostgreSQL's reason and SQLSTATE, so
the caller can say so instead of passing it.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import uuid
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

import psycopg
from psycopg import sql

__all__ = [
    "MAX_ATTEMPTS",
    "Column",
    "Conn",
    "ForeignKey",
    "Row",
    "RowMaker",
    "Table",
    "Unpopulatable",
    "load_tables",
    "plain_value",
]

Conn = psycopg.Connection[tuple[Any, ...]]
MAX_ATTEMPTS = 8

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

    def __init__(self, message: str, sqlstate: str | None = None, *, table: str = "",
                 reason: str = "") -> None:
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
            parts = [sql.SQL("{} = %s::{}").format(sql.Identifier(k), sql.SQL(col.type))
                     for k in self.key if (col := self.column(k)) is not None]
            return sql.SQL(" AND ").join(parts), tuple(row.values[k] for k in self.key)
        return sql.Composed([sql.SQL("tableoid = %s AND ctid = %s::tid")]), (row.tableoid, row.ctid)

    def match(self, row: Row) -> sql.Composed:
        """`where`'s condition with the values inlined (to combine several in one statement);
        without a primary key it matches every non-NULL column, which an UPDATE keeps."""
        keyed = bool(self.key) and all(row.values.get(k) is not None for k in self.key)
        names = self.key if keyed else tuple(n for n, v in row.values.items() if v is not None)
        if not names:
            return sql.Composed([sql.SQL("tableoid = {} AND ctid = {}::tid").format(
                sql.Literal(row.tableoid), sql.Literal(row.ctid))])
        parts = []
        for name in names:
            col = self.column(name)
            if keyed and col is not None:  # compared as itself, so its index is used
                parts.append(sql.SQL("{} = {}::{}").format(
                    sql.Identifier(name), sql.Literal(row.values[name]), sql.SQL(col.type)))
            else:
                parts.append(sql.SQL("{}::text = {}").format(
                    sql.Identifier(name), sql.Literal(row.values[name])))
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
        table.columns.append(Column(r[8], r[9], r[10], r[11], r[12], r[13], r[14], length,
                                    r[16], r[17]))
    for oid, kind, name, ref, cols, ref_cols, definition in conn.execute(_CONSTRAINTS).fetchall():
        if oid not in tables:
            continue
        if kind == "p":
            tables[oid].key = tuple(cols)
        elif kind == "f":
            tables[oid].fks.append(ForeignKey(name, tuple(cols), ref, tuple(ref_cols)))
        else:
            literals = [m.group(1) if m.group(1) is not None else m.group(2)
                        for m in _LITERAL.finditer(definition)]
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
    simple = {"uuid": str(uuid.uuid4()), "json": "{}", "jsonb": "{}", "bytea": "\\x00",
              "xml": "<x/>", "tsvector": "", "point": "(0,0)"}
    if name in simple:
        return simple[name]
    text = f"slipway{n}"
    return text[: col.max_length] if col.max_length else text


class RowMaker:
    """Makes (and remembers) one row per table and tenant, parents first.

    `scope` (None: every table) is where the maker may create parent rows; a NOT NULL foreign
    key to a table outside it borrows one of that table's existing rows (a lookup table).
    """

    def __init__(self, conn: Conn, tables: dict[int, Table], enums: dict[int, list[str]],
                 tenant_column: str, scope: Collection[int] | None = None) -> None:
        self.conn, self.tables, self.enums = conn, tables, enums
        self.tenant_column = tenant_column
        self.scope = None if scope is None else frozenset(scope)
        self.rows: dict[tuple[int, str], Row] = {}
        self.failed: dict[tuple[int, str], Unpopulatable] = {}
        # what made each table's row go in (CHECK retries), so complete() can repeat it
        self.recipes: dict[int, tuple[dict[str, int], frozenset[str]]] = {}
        self.borrowed: dict[tuple[int, tuple[str, ...]], dict[str, str | None] | None] = {}
        self._by_name = {(t.schema, t.name): t for t in tables.values() if t.kind in "rp"}
        self._making: set[int] = set()
        self._n = secrets.randbelow(1000) * 1000 + 1

    def fork(self, conn: Conn) -> RowMaker:
        """A maker for another connection (a load-test client): same tables and recipes,
        its own rows and its own run of values."""
        other = RowMaker(conn, self.tables, self.enums, self.tenant_column, self.scope)
        other.recipes, other.borrowed = self.recipes, self.borrowed
        return other

    def in_scope(self, table: Table) -> bool:
        """May the maker create rows in `table`?"""
        return self.scope is None or table.oid in self.scope

    def made(self, oid: int, tenant: str | None) -> Row | None:
        """The row already made in table `oid` for `tenant`, or a tenant-less one."""
        return self.rows.get((oid, tenant or "")) or self.rows.get((oid, ""))

    def ensure(self, table: Table, tenant: str | None) -> Row:
        """The row of `table` for `tenant` (None: a tenant-less row, e.g. a tenant root)."""
        key = (table.oid, tenant or "")
        if key in self.failed:  # tried once: the same reason, without trying again
            raise self.failed[key]
        if key not in self.rows:
            if table.oid in self._making:
                raise Unpopulatable(f"foreign keys form a NOT NULL cycle through {table.display}",
                                    table=table.display)
            self._making.add(table.oid)
            try:
                self.rows[key] = self.insert(table, self.values_for(table, tenant))
            except Unpopulatable as exc:
                self.failed[key] = exc
                raise
            finally:
                self._making.discard(table.oid)
        return self.rows[key]

    def values_for(self, table: Table, tenant: str | None) -> dict[str, str | None]:
        """Foreign keys and the tenant column; other columns are filled by insert()."""
        values: dict[str, str | None] = {}
        for fk in table.fks:
            required = any((c := table.column(name)) is not None and c.not_null
                           for name in fk.columns)
            if fk.columns == (self.tenant_column,):
                continue
            cached = self.made(fk.ref_oid, tenant)
            if not required and cached is None:
                continue  # NULL will do; but link to a parent we already have (triggers
                # often check that siblings agree, e.g. a message and its conversation)
            parent_table = self.tables.get(fk.ref_oid)
            if parent_table is None:
                raise Unpopulatable(f"foreign key {fk.name} points outside the user schemas",
                                    table=table.display)
            if cached is None and not self.in_scope(parent_table):
                lent = self.borrow(parent_table, fk.ref_columns)
                if lent is not None:
                    for col, ref in zip(fk.columns, fk.ref_columns, strict=True):
                        values[col] = lent[ref]
                continue  # an empty lookup table: the insert says why it cannot be done
            parent = cached or self.ensure(parent_table, tenant)
            for col, ref in zip(fk.columns, fk.ref_columns, strict=True):
                values[col] = parent.values.get(ref)
        self._implied(table, tenant, values)
        if tenant is not None and table.column(self.tenant_column) is not None:
            values[self.tenant_column] = tenant
        return values

    def borrow(self, table: Table, columns: tuple[str, ...]) -> dict[str, str | None] | None:
        """`columns` of one existing row of `table` (as text), or None if it has none."""
        key = (table.oid, columns)
        if key not in self.borrowed:
            query = sql.SQL("SELECT {} FROM {} LIMIT 1").format(
                sql.SQL(", ").join(sql.SQL("{}::text").format(sql.Identifier(c)) for c in columns),
                table.ident)
            try:
                with self.conn.transaction():
                    found = self.conn.execute(query).fetchone()
            except psycopg.Error:
                found = None  # e.g. not readable: the insert will say what is missing
            self.borrowed[key] = None if found is None else dict(zip(columns, found, strict=True))
        return self.borrowed[key]

    def _implied(self, table: Table, tenant: str | None, values: dict[str, str | None]) -> None:
        """References by naming convention, without a foreign key (partitioned parents can't
        have one): NOT NULL `message_id` + `message_created_at` -> a row of `messages`."""
        by_name = self._by_name
        for col in table.columns:
            if col.name in values or not col.not_null or col.has_default:
                continue
            if not col.name.endswith("_id") or col.name == self.tenant_column:
                continue
            base = col.name[:-3]
            parent_table = next((by_name[(table.schema, n)] for n in (base + "s", base + "es", base)
                                 if (table.schema, n) in by_name), None)
            if parent_table is None or parent_table.column("id") is None or parent_table is table:
                continue
            parent = self.made(parent_table.oid, tenant)
            if parent is None and not self.in_scope(parent_table):
                continue
            parent = parent or self.ensure(parent_table, tenant)
            values[col.name] = parent.values.get("id")
            for other in table.columns:
                rest = other.name[len(base) + 1:]
                if (other.name.startswith(base + "_") and other.name not in values
                        and rest != "id" and parent_table.column(rest) is not None):
                    values[other.name] = parent.values.get(rest)

    def insert(self, table: Table, given: dict[str, str | None]) -> Row:
        """Insert a row with `given` plus generated NOT NULL values, retrying on CHECKs:
        a CHECK that fails gets its NULL columns filled, then the values written in it."""
        tries: dict[str, int] = {}
        fill: set[str] = set()
        error: Exception | None = None
        for _ in range(MAX_ATTEMPTS):
            values = self.complete(table, given, (tries, frozenset(fill)))
            try:
                with self.conn.transaction():
                    row = self.raw_insert(table, values)
                self.recipes[table.oid] = (dict(tries), frozenset(fill))
                return row
            except psycopg.errors.CheckViolation as exc:
                error = exc
                cols = table.checks.get(exc.diag.constraint_name or "", ((), []))[0]
                empty = {c for c in cols if c not in values
                         and not getattr(table.column(c), "has_default", True)}
                if not cols:
                    break
                fill |= empty
                for col_name in set(cols) - empty - set(given):
                    tries[col_name] = tries.get(col_name, 0) + 1
            except psycopg.errors.UniqueViolation as exc:
                error = exc
                self._n += 100_000
            except psycopg.Error as exc:
                error = exc
                break
        state = error.sqlstate if isinstance(error, psycopg.Error) else None
        reason = (error.diag.message_primary if isinstance(error, psycopg.Error) else None) or error
        raise Unpopulatable(f"cannot insert a test row into {table.display}: {reason}", state,
                            table=table.display, reason=str(reason).strip())

    def complete(self, table: Table, given: dict[str, str | None],
                 recipe: tuple[dict[str, int], frozenset[str]] | None = None
                 ) -> dict[str, str | None]:
        """`given` plus a value for every NOT NULL column without a default (and the columns
        `recipe` fills); without a recipe, the one that last got a row of `table` in."""
        tries, fill = recipe or self.recipes.get(table.oid, ({}, frozenset()))
        values = dict(given)
        for col in table.columns:
            wanted = (col.not_null and not col.has_default) or col.name in fill
            if col.name in values or not wanted:
                continue
            attempt = tries.get(col.name, 0)
            if not attempt and col.name in table.allowed:  # CHECK (c IN (...)): its first
                values[col.name] = table.allowed[col.name]
            else:
                values[col.name] = self.value(table, col, attempt)
        return values

    def value(self, table: Table, col: Column, attempt: int = 0) -> str:
        """A plain value for `col` (a new one each call); a retry (`attempt` > 0) takes the
        next candidate the CHECK constraints suggest."""
        self._n += 1
        if attempt:
            candidates = _candidates(table, col, self._n)
            if attempt <= len(candidates):
                return candidates[attempt - 1]
        return plain_value(col, self._n, self.enums)

    def raw_insert(self, table: Table, values: dict[str, str | None]) -> Row:
        """INSERT one row as the current role; returns where it landed and its values."""
        cols = [table.column(name) for name in values]
        returning = sql.SQL(", ").join(
            sql.SQL("{}::text").format(sql.Identifier(c.name)) for c in table.columns
        )
        query: sql.Composed
        if values:
            query = sql.SQL(
                "INSERT INTO {} ({}) VALUES ({}) RETURNING tableoid::oid, ctid::text, {}"
            ).format(
                table.ident,
                sql.SQL(", ").join(sql.Identifier(name) for name in values),
                sql.SQL(", ").join(
                    sql.SQL("%s::{}").format(sql.SQL(c.type)) for c in cols if c is not None
                ),
                returning,
            )
        else:
            query = sql.SQL(
                "INSERT INTO {} DEFAULT VALUES RETURNING tableoid::oid, ctid::text, {}"
            ).format(table.ident, returning)
        row = self.conn.execute(query, list(values.values())).fetchone()
        assert row is not None  # INSERT ... RETURNING of one row returns one row
        names = [c.name for c in table.columns]
        return Row(int(row[0]), str(row[1]), dict(zip(names, row[2:], strict=True)))


def _candidates(table: Table, col: Column, n: int) -> list[str]:
    """Values to try when a CHECK rejected the plain one: what the constraints spell out,
    then shapes that CHECKs often demand (a future time, a sha256 hex digest, an email)."""
    literals = [lit for cols, lits in table.checks.values() if col.name in cols for lit in lits]
    numbers = [x for x in literals if re.fullmatch(r"-?\d+(\.\d+)?", x)]
    if col.category == "N":  # a bound, then just inside it
        return numbers + [str(int(float(x)) + 1) for x in numbers]
    if col.base_type == "bytea":  # get_byte(c, 0) = 195; octet_length(c) = 12 or > 16
        ints = [int(float(x)) for x in numbers]
        return ([f"\\x{k:02x}" for k in ints if 0 <= k < 256]
                + ["\\x" + "ab" * k for k in ints + [k + 1 for k in ints] if 0 < k <= 1000])
    if col.category == "D":
        return ["2099-01-01 00:00:00+00", "2000-01-01 00:00:00+00"]
    words = [x for x in literals if x not in numbers]
    sized = [f"s{n}".ljust(int(float(x)), "x")[: int(float(x))] for x in numbers
             if 0 < float(x) <= 1000]  # char_length(c) = 17, BETWEEN 4 AND 12, ...
    return words + sized + numbers + [hashlib.sha256(f"s{n}".encode()).hexdigest(),
                                      f"s{n}@example.com", "https://example.com", "+15555550100"]
