"""Minimal valid rows for any table: the one row generator, for the doctor's CRUD check and
load test (`health/rows.py`) and the tenancy test (`verify/tenancy.py`).

Rows are built from `catalog/testrows.py`'s tables (the Catalog's) and values, in the
caller's transaction (the callers roll it back): NOT NULL columns without a default get a
value of their type (an enum's first label, the first value a one-column `CHECK (c IN
(...))` allows), NOT NULL foreign keys get a parent row (made first, for the same tenant; a parent outside the maker's
scope lends one of its existing rows instead), CHECK constraints that reject a value make us
try the literals written in the constraint. A table that still cannot be populated raises
Unpopulatable with PostgreSQL's reason and SQLSTATE, so the caller can say so instead of
passing it.
"""

from __future__ import annotations

import secrets
from collections.abc import Collection

import psycopg
from psycopg import sql

from slipway.catalog.testrows import (
    Column,
    Conn,
    Row,
    Table,
    TableId,
    Unpopulatable,
    candidates,
    plain_value,
)

__all__ = ["MAX_ATTEMPTS", "RowMaker"]

MAX_ATTEMPTS = 8


class RowMaker:
    """Makes (and remembers) one row per table and tenant, parents first.

    `scope` (None: every table) is where the maker may create parent rows; a NOT NULL foreign
    key to a table outside it borrows one of that table's existing rows (a lookup table).
    Tables are known by (schema, name), as `testrows.tables_of` gives them.
    """

    def __init__(
        self,
        conn: Conn,
        tables: dict[TableId, Table],
        tenant_column: str,
        scope: Collection[TableId] | None = None,
    ) -> None:
        self.conn, self.tables = conn, tables
        self.tenant_column = tenant_column
        self.scope = None if scope is None else frozenset(scope)
        self.rows: dict[tuple[TableId, str], Row] = {}
        self.failed: dict[tuple[TableId, str], Unpopulatable] = {}
        # what made each table's row go in (CHECK retries), so complete() can repeat it
        self.recipes: dict[TableId, tuple[dict[str, int], frozenset[str]]] = {}
        self.borrowed: dict[tuple[TableId, tuple[str, ...]], dict[str, str | None] | None] = {}
        self._making: set[TableId] = set()
        self._n = secrets.randbelow(1000) * 1000 + 1

    def fork(self, conn: Conn) -> RowMaker:
        """A maker for another connection (a load-test client): same tables and recipes,
        its own rows and its own run of values."""
        other = RowMaker(conn, self.tables, self.tenant_column, self.scope)
        other.recipes, other.borrowed = self.recipes, self.borrowed
        return other

    def in_scope(self, table: Table) -> bool:
        """May the maker create rows in `table`?"""
        return self.scope is None or table.id in self.scope

    def made(self, table: TableId, tenant: str | None) -> Row | None:
        """The row already made in `table` for `tenant`, or a tenant-less one."""
        return self.rows.get((table, tenant or "")) or self.rows.get((table, ""))

    def ensure(self, table: Table, tenant: str | None) -> Row:
        """The row of `table` for `tenant` (None: a tenant-less row, e.g. a tenant root)."""
        key = (table.id, tenant or "")
        if key in self.failed:  # tried once: the same reason, without trying again
            raise self.failed[key]
        if key not in self.rows:
            if table.id in self._making:
                raise Unpopulatable(
                    f"foreign keys form a NOT NULL cycle through {table.display}",
                    table=table.display,
                )
            self._making.add(table.id)
            try:
                self.rows[key] = self.insert(table, self.values_for(table, tenant))
            except Unpopulatable as exc:
                self.failed[key] = exc
                raise
            finally:
                self._making.discard(table.id)
        return self.rows[key]

    def values_for(self, table: Table, tenant: str | None) -> dict[str, str | None]:
        """Foreign keys and the tenant column; other columns are filled by insert()."""
        values: dict[str, str | None] = {}
        for fk in table.fks:
            required = any(
                (c := table.column(name)) is not None and c.not_null for name in fk.columns
            )
            if fk.columns == (self.tenant_column,):
                continue
            cached = self.made(fk.ref, tenant)
            if not required and cached is None:
                continue  # NULL will do; but link to a parent we already have (triggers
                # often check that siblings agree, e.g. a message and its conversation)
            parent_table = self.tables.get(fk.ref)
            if parent_table is None:
                raise Unpopulatable(
                    f"foreign key {fk.name} points outside the user schemas", table=table.display
                )
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
        key = (table.id, columns)
        if key not in self.borrowed:
            query = sql.SQL("SELECT {} FROM {} LIMIT 1").format(
                sql.SQL(", ").join(sql.SQL("{}::text").format(sql.Identifier(c)) for c in columns),
                table.ident,
            )
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
        for col in table.columns:
            if col.name in values or not col.not_null or col.has_default:
                continue
            if not col.name.endswith("_id") or col.name == self.tenant_column:
                continue
            base = col.name[:-3]
            parent_table = next(
                (
                    t
                    for n in (base + "s", base + "es", base)
                    if (t := self.tables.get((table.schema, n))) is not None and t.kind in "rp"
                ),
                None,
            )
            if parent_table is None or parent_table.column("id") is None or parent_table is table:
                continue
            parent = self.made(parent_table.id, tenant)
            if parent is None and not self.in_scope(parent_table):
                continue
            parent = parent or self.ensure(parent_table, tenant)
            values[col.name] = parent.values.get("id")
            for other in table.columns:
                rest = other.name[len(base) + 1 :]
                if (
                    other.name.startswith(base + "_")
                    and other.name not in values
                    and rest != "id"
                    and parent_table.column(rest) is not None
                ):
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
                self.recipes[table.id] = (dict(tries), frozenset(fill))
                return row
            except psycopg.errors.CheckViolation as exc:
                error = exc
                cols = table.checks.get(exc.diag.constraint_name or "", ((), []))[0]
                empty = {
                    c
                    for c in cols
                    if c not in values and not getattr(table.column(c), "has_default", True)
                }
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
        raise Unpopulatable(
            f"cannot insert a test row into {table.display}: {reason}",
            state,
            table=table.display,
            reason=str(reason).strip(),
        )

    def complete(
        self,
        table: Table,
        given: dict[str, str | None],
        recipe: tuple[dict[str, int], frozenset[str]] | None = None,
    ) -> dict[str, str | None]:
        """`given` plus a value for every NOT NULL column without a default (and the columns
        `recipe` fills); without a recipe, the one that last got a row of `table` in."""
        tries, fill = recipe or self.recipes.get(table.id, ({}, frozenset()))
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
            found = candidates(table, col, self._n)
            if attempt <= len(found):
                return found[attempt - 1]
        return plain_value(col, self._n)

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
