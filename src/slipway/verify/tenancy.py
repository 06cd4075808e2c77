"""Tenant isolation, tested with real rows as a real role, leaving no trace.

Everything happens in ONE transaction that is always rolled back: a NOLOGIN role without
SUPERUSER or BYPASSRLS that owns nothing is created (with a random name) and granted DML on
the user schemas; two tenants get a root row each and one row in every table that has the
tenant column (parents first). Then, as that role:

1. with the tenant setting never set in the session: every table reads as empty, no error;
2. with tenant A set: A's row is readable, updatable and deletable, a row for A insertable;
   no row of another tenant is visible, B's row cannot be updated or deleted, a row for B
   cannot be inserted and A's row cannot be moved to B;
3. with the setting set to '' (what a pooled connection shows after a SET LOCAL): as 1.

Every operation runs in a savepoint rolled back right after, so checks do not disturb each
other. Because the role is created inside the transaction, not even a crash can leave it
behind. One trace remains: sequences advanced by the test rows (PostgreSQL never rolls
sequences back).
"""

from __future__ import annotations

import secrets
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import psycopg
from psycopg import sql

from slipway.errors import ConfigError
from slipway.verify.rowgen import Conn, RowMaker, Row, Table, Unpopulatable, load_tables

FAILING = ("leak", "denied", "error", "untested")


@dataclass(frozen=True)
class Finding:
    table: str
    operation: str
    kind: str  # leak | denied | error | untested | warning
    message: str

    def __str__(self) -> str:
        return f"{self.table}: {self.operation}: {self.message}"


@dataclass
class TenancyReport:
    tenant_column: str
    setting: str
    tables: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        return any(f.kind in FAILING for f in self.findings)

    def to_json(self) -> dict[str, Any]:
        return {
            "tenant_column": self.tenant_column,
            "setting": self.setting,
            "ok": not self.failed,
            "tables": self.tables,
            "findings": [vars(f) for f in self.findings],
        }


def default_setting(tenant_column: str) -> str:
    return f"app.current_{tenant_column}"


def check_tenancy(conn: Conn, tenant_column: str = "dealership_id",
                  setting: str | None = None) -> TenancyReport:
    """Test every table with `tenant_column`; `conn` must be autocommit and idle."""
    run = _Run(conn, tenant_column, setting or default_setting(tenant_column))
    with conn.transaction(force_rollback=True):
        run.prepare()
        run.check()
    return run.report


class _Run:
    def __init__(self, conn: Conn, column: str, setting: str) -> None:
        self.conn, self.column, self.setting = conn, column, setting
        self.report = TenancyReport(column, setting)
        self.role = f"slipway_tenancy_{secrets.token_hex(5)}"
        self.rows: dict[int, tuple[Row, Row]] = {}  # table oid -> (A's row, B's row)
        self.tenants: tuple[str, str] = ("", "")
        self.tenant_type = "text"

    def prepare(self) -> None:
        tables, enums = load_tables(self.conn)
        self.tables = [t for t in tables.values() if t.column(self.column) is not None]
        tenant_tables = [t for t in self.tables if t.kind in "rp" and not t.is_partition]
        if not tenant_tables:
            raise ConfigError(f"no table has the tenant column {self.column}: "
                              "set [tenancy] column in slipway.toml")
        self.maker = RowMaker(self.conn, tables, enums, self.column)
        self._create_role()
        self._make_tenants(tables, tenant_tables)
        for table in tenant_tables:
            self.report.tables.append(table.display)
            try:
                self.rows[table.oid] = (self.maker.ensure(table, self.tenants[0]),
                                        self.maker.ensure(table, self.tenants[1]))
            except Unpopulatable as exc:
                self._find(table, "populate", "untested", f"{exc}; not tested")

    def _create_role(self) -> None:
        role = sql.Identifier(self.role)
        self.conn.execute(sql.SQL(
            "CREATE ROLE {} NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE NOINHERIT"
        ).format(role))
        if not self.conn.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user"
                                 ).fetchone()[0]:  # type: ignore[index]
            self.conn.execute(sql.SQL("GRANT {} TO current_user").format(role))
        schemas = {t.schema for t in self.tables} | {
            str(r[0]) for r in self.conn.execute(
                "SELECT nspname FROM pg_namespace WHERE nspname NOT LIKE 'pg\\_%'"
                " AND nspname <> 'information_schema'").fetchall()}
        for schema in sorted(schemas):
            ident = sql.Identifier(schema)
            for grant in ("GRANT USAGE ON SCHEMA {} TO {}",
                          "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {} TO {}",
                          "GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {} TO {}",
                          "GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA {} TO {}"):
                self.conn.execute(sql.SQL(grant).format(ident, role))

    def _make_tenants(self, tables: dict[int, Table], tenant_tables: list[Table]) -> None:
        """Two tenants: two rows of the table the tenant column points at (the tenant root)."""
        refs = Counter(
            (fk.ref_oid, fk.ref_columns[0]) for t in tenant_tables for fk in t.fks
            if fk.columns == (self.column,)
        )
        column = tenant_tables[0].column(self.column)
        assert column is not None
        self.tenant_type = column.type
        if not refs:  # no tenant root: any two distinct values of the column's type
            self.tenants = (self.maker.value(tenant_tables[0], column),
                            self.maker.value(tenant_tables[0], column))
            return
        (root_oid, key), _ = refs.most_common(1)[0]
        root = tables[root_oid]
        try:
            a, b = (self.maker.insert(root, self.maker.values_for(root, None)) for _ in range(2))
        except Unpopulatable as exc:
            raise ConfigError(f"cannot create test tenants in {root.display}: {exc}") from exc
        self.tenants = (str(a.values[key]), str(b.values[key]))

    def check(self) -> None:
        for table in self.tables:
            if table.kind == "m":
                self._find(table, "read other", "warning", "a materialized view has no row "
                           "level security: grant it to no application role")
        readable = [t for t in self.tables if t.oid in self.rows or t.kind == "v"
                    or (t.is_partition and t.kind in "rp")]
        for table in readable:  # before the setting ever exists in this session
            self._sees_nothing(table, None, "read without tenant")
        for table in readable:
            self._tenant_a(table)
        for table in readable:
            self._sees_nothing(table, "", "read with empty tenant")

    def _find(self, table: Table, operation: str, kind: str, message: str) -> None:
        if kind == "leak":
            message += _why(table)
        self.report.findings.append(Finding(table.display, operation, kind, message))

    def _as_role(self, tenant: str | None, query: sql.Composable,
                 params: tuple[Any, ...] = ()) -> int:
        """Row count (or the count(*) selected) of one statement run as the test role."""
        with self.conn.transaction(force_rollback=True):
            if tenant is not None:
                self.conn.execute("SELECT set_config(%s, %s, true)", (self.setting, tenant))
            self.conn.execute(sql.SQL("SET LOCAL ROLE {}").format(sql.Identifier(self.role)))
            cur = self.conn.execute(query, params)
            if cur.description:
                row = cur.fetchone()
                return int(row[0]) if row else 0
            return cur.rowcount

    def _try(self, table: Table, operation: str, tenant: str | None, query: sql.Composable,
             params: tuple[Any, ...] = ()) -> int | None:
        """_as_role, turning an error into a finding (None)."""
        try:
            return self._as_role(tenant, query, params)
        except psycopg.Error as exc:
            self._find(table, operation, "error", _reason(exc))
            return None

    def _sees_nothing(self, table: Table, tenant: str | None, operation: str) -> None:
        query = sql.SQL("SELECT count(*) FROM {}").format(table.ident)
        seen = self._try(table, operation, tenant, query)
        if seen:
            state = "with no tenant set" if tenant is None else "with the tenant setting empty"
            self._find(table, operation, "leak", f"{seen} row(s) visible {state}")

    def _tenant_a(self, table: Table) -> None:
        a, b = self.tenants
        col = sql.Identifier(self.column)
        cast = sql.SQL(self.tenant_type)
        query = sql.SQL("SELECT count(*) FROM {} WHERE {} IS DISTINCT FROM %s::{}")
        others = self._try(table, "read other", a, query.format(table.ident, col, cast), (a,))
        if others:
            self._find(table, "read other", "leak",
                       f"tenant A reads {others} row(s) of other tenants")
        if table.kind == "v":
            self._view_visibility(table, others)
        elif table.oid in self.rows:
            self._writes(table, *self.rows[table.oid])

    def _view_visibility(self, table: Table, others: int | None) -> None:
        invoker = _invoker(table)
        query = sql.SQL("SELECT count(*) FROM {}").format(table.ident)
        own = self._try(table, "read own", self.tenants[0], query)
        if not invoker and not others and not own:
            self._find(table, "read own", "untested", "the view shows no test rows, so its "
                       "isolation is unproven; create it WITH (security_invoker = true)")

    def _writes(self, table: Table, row_a: Row, row_b: Row) -> None:
        a, b = self.tenants
        where = sql.SQL("tableoid = %s AND ctid = %s::tid")
        col = sql.Identifier(self.column)
        select = sql.SQL("SELECT count(*) FROM {} WHERE {}").format(table.ident, where)
        update = sql.SQL("UPDATE {} SET {} = {} WHERE {}").format(table.ident, col, col, where)
        move = sql.SQL("UPDATE {} SET {} = %s::{} WHERE {}").format(
            table.ident, col, sql.SQL(self.tenant_type), where)
        delete = sql.SQL("DELETE FROM {} WHERE {}").format(table.ident, where)
        key_a, key_b = (row_a.tableoid, row_a.ctid), (row_b.tableoid, row_b.ctid)
        own = {"read own": (select, key_a), "update own": (update, key_a),
               "delete own": (delete, key_a)}
        for operation, (query, key) in own.items():
            try:
                done = self._as_role(a, query, key)
            except psycopg.errors.ForeignKeyViolation:
                continue  # RLS let it through; a child row (ours) blocked it
            except psycopg.Error as exc:
                self._find(table, operation, "error", _reason(exc))
                continue
            if done == 0:
                self._find(table, operation, "denied", "tenant A cannot do this to its own row")
        other = {"update other": (update, key_b), "delete other": (delete, key_b),
                 "move to other": (move, (b, *key_a))}
        for operation, (query, params) in other.items():
            if self._blocked_quietly(a, query, params) is False:
                self._find(table, operation, "leak", f"tenant A can {operation.split()[0]} a "
                           f"row of tenant B" if operation != "move to other" else
                           "tenant A can move its row to tenant B")
        self._inserts(table)

    def _blocked_quietly(self, tenant: str, query: sql.Composable,
                         params: tuple[Any, ...]) -> bool:
        """True when the statement changed nothing or failed (any error blocks the write)."""
        try:
            return self._as_role(tenant, query, params) == 0
        except psycopg.Error:
            return True

    def _inserts(self, table: Table) -> None:
        a, b = self.tenants
        for tenant, operation in ((a, "insert own"), (b, "insert other")):
            values = self.maker.values_for(table, tenant)
            try:
                with self.conn.transaction(force_rollback=True):
                    self.conn.execute("SELECT set_config(%s, %s, true)", (self.setting, a))
                    self.conn.execute(sql.SQL("SET LOCAL ROLE {}").format(
                        sql.Identifier(self.role)))
                    self.maker.insert(table, values)
                inserted = True
            except Unpopulatable as exc:
                inserted = False
                if operation == "insert own":
                    kind = "untested" if exc.sqlstate == "23505" else "denied"
                    self._find(table, operation, kind, str(exc))
            if inserted and operation == "insert other":
                self._find(table, operation, "leak", "tenant A can insert a row for tenant B")


def _reason(exc: psycopg.Error) -> str:
    message = exc.diag.message_primary or str(exc).splitlines()[0]
    return f"{message} (SQLSTATE {exc.sqlstate})"


def _why(table: Table) -> str:
    """The likely cause of a leak, from the catalog."""
    if table.kind == "v":
        if not _invoker(table):
            return " (the view runs as its owner: create it WITH (security_invoker = true))"
        return ""
    if not table.rls:
        return " (row level security is not enabled)"
    return " (a policy is too wide)"


def _invoker(view: Table) -> bool:
    options = view.options.lower().split(",")
    return any(o in options for o in ("security_invoker=true", "security_invoker=on",
                                     "security_invoker=1", "security_invoker=yes"))
