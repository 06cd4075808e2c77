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

from slipway.catalog.rowmaker import RowMaker
from slipway.catalog.testrows import Conn, Row, Table, TableId, Unpopulatable, read_tables
from slipway.errors import ConfigError
from slipway.report.finding import Finding

# A finding's code is what went wrong: leak | denied | error | untested (these fail the test,
# severity error) | warning; its name is the operation tried ("read other"), its target the table.
FAILING = ("leak", "denied", "error", "untested")


def _finding(target: str, operation: str, kind: str, message: str) -> Finding:
    return Finding(kind, operation, "error" if kind in FAILING else "warning", message, target)


@dataclass
class TenancyReport:
    tenant_column: str
    setting: str
    tables: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        return any(f.severity == "error" for f in self.findings)

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape: the settings, the tables tested, every finding (Finding.to_dict)."""
        return {
            "tenant_column": self.tenant_column,
            "setting": self.setting,
            "ok": not self.failed,
            "tables": self.tables,
            "findings": [f.to_dict() for f in self.findings],
        }


def default_setting(tenant_column: str) -> str:
    return f"app.current_{tenant_column}"


def check_tenancy(
    conn: Conn,
    tenant_column: str = "dealership_id",
    setting: str | None = None,
    app_role: str | None = None,
) -> TenancyReport:
    """Test every table with `tenant_column`; `conn` must be autocommit and idle.

    With `app_role` (the application's role, `[tenancy] role`) the test role is a member of
    it and has exactly its privileges; without, it gets DML on every table but partitions.
    """
    run = _Run(conn, tenant_column, setting or default_setting(tenant_column))
    with conn.transaction(force_rollback=True):
        run.prepare(app_role)
        run.check()
    return run.report


class _Run:
    def __init__(self, conn: Conn, column: str, setting: str) -> None:
        self.conn, self.column, self.setting = conn, column, setting
        self.report = TenancyReport(column, setting)
        self.role = f"slipway_tenancy_{secrets.token_hex(5)}"
        self.rows: dict[TableId, tuple[Row, Row]] = {}  # table -> (A's row, B's row)
        self.tenants: tuple[str, ...] = ()  # A, B and C (C has no rows: a clean insert target)
        self.tenant_type = "text"
        self.privileges: dict[TableId, set[str]] = {}

    def prepare(self, app_role: str | None) -> None:
        tables = read_tables(self.conn)
        self.tables = [t for t in tables.values() if t.column(self.column) is not None]
        tenant_tables = [t for t in self.tables if t.kind in "rp" and not t.is_partition]
        if not tenant_tables:
            raise ConfigError(
                f"no table has the tenant column {self.column}: "
                "set [tenancy] column in slipway.toml"
            )
        self.maker = RowMaker(self.conn, tables, self.column)
        self._create_role(app_role)
        self._read_privileges()
        self._make_tenants(tables, tenant_tables)
        for table in tenant_tables:
            self.report.tables.append(table.display)
            try:
                self.rows[table.id] = (
                    self.maker.ensure(table, self.tenants[0]),
                    self.maker.ensure(table, self.tenants[1]),
                )
            except Unpopulatable as exc:
                self._find(table, "populate", "untested", f"{exc}; not tested")

    def _create_role(self, app_role: str | None) -> None:
        role = sql.Identifier(self.role)
        self.conn.execute(
            sql.SQL(
                "CREATE ROLE {} NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE INHERIT"
            ).format(role)
        )
        if not _scalar(self.conn, "SELECT rolsuper FROM pg_roles WHERE rolname = current_user"):
            self.conn.execute(sql.SQL("GRANT {} TO current_user").format(role))
        if app_role:
            self._join(app_role)
            return
        schemas = {
            str(r[0])
            for r in self.conn.execute(
                "SELECT nspname FROM pg_namespace WHERE nspname NOT LIKE 'pg\\_%'"
                " AND nspname <> 'information_schema'"
            ).fetchall()
        }
        for schema in sorted(schemas):
            ident = sql.Identifier(schema)
            for grant in (
                "GRANT USAGE ON SCHEMA {} TO {}",
                "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {} TO {}",
                "GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {} TO {}",
                "GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA {} TO {}",
            ):
                self.conn.execute(sql.SQL(grant).format(ident, role))
        for table in self.tables:  # applications go through the partitioned parent
            if table.is_partition:
                self.conn.execute(sql.SQL("REVOKE ALL ON {} FROM {}").format(table.ident, role))

    def _join(self, app_role: str) -> None:
        """Become a member of the application's role (its privileges, not its attributes)."""
        row = self.conn.execute(
            "SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = %s", (app_role,)
        ).fetchone()
        if row is None:
            raise ConfigError(
                f"[tenancy] role {app_role} does not exist in this database: "
                "create it or fix slipway.toml"
            )
        if row[0] or row[1]:
            self.report.findings.append(
                _finding(
                    f"role {app_role}",
                    "role",
                    "leak",
                    "the application role is SUPERUSER or BYPASSRLS: no policy applies to it",
                )
            )
        self.conn.execute(
            sql.SQL("GRANT {} TO {}").format(sql.Identifier(app_role), sql.Identifier(self.role))
        )

    def _read_privileges(self) -> None:
        rows = self.conn.execute(
            """SELECT s, n, ARRAY(SELECT p FROM unnest(ARRAY['SELECT','INSERT','UPDATE','DELETE']) p
                                  WHERE has_table_privilege(%s, format('%%I.%%I', s, n), p))
                 FROM unnest(%s::text[], %s::text[]) AS t(s, n)""",
            (self.role, [t.schema for t in self.tables], [t.name for t in self.tables]),
        ).fetchall()
        self.privileges = {(s, n): set(privs) for s, n, privs in rows}

    def _may(self, table: Table, privilege: str) -> bool:
        return privilege in self.privileges.get(table.id, set())

    def _make_tenants(self, tables: dict[TableId, Table], tenant_tables: list[Table]) -> None:
        """Two tenants: two rows of the table the tenant column points at (the tenant root)."""
        refs = Counter(
            (fk.ref, fk.ref_columns[0])
            for t in tenant_tables
            for fk in t.fks
            if fk.columns == (self.column,)
        )
        column = tenant_tables[0].column(self.column)
        assert column is not None
        self.tenant_type = column.type
        if not refs:  # no tenant root: distinct values of the column's type
            self.tenants = tuple(self.maker.value(tenant_tables[0], column) for _ in range(3))
            return
        (root_id, key), _ = refs.most_common(1)[0]
        root = tables[root_id]
        try:
            rows = [self.maker.insert(root, self.maker.values_for(root, None)) for _ in range(3)]
        except Unpopulatable as exc:
            raise ConfigError(f"cannot create test tenants in {root.display}: {exc}") from exc
        self.tenants = tuple(str(row.values[key]) for row in rows)

    def check(self) -> None:
        for table in self.tables:
            if table.kind == "m" and self._may(table, "SELECT"):
                self._find(
                    table,
                    "read other",
                    "warning",
                    "the role can read this materialized "
                    "view, which has no row level security: revoke it",
                )
        readable = [
            t
            for t in self.tables
            if self._may(t, "SELECT")
            and (t.id in self.rows or t.kind == "v" or (t.is_partition and t.kind in "rp"))
        ]
        for table in readable:  # before the setting ever exists in this session
            self._sees_nothing(table, None, "read without tenant")
        for table in readable:
            self._tenant_a(table)
        for table in readable:
            self._sees_nothing(table, "", "read with empty tenant")

    def _find(self, table: Table, operation: str, kind: str, message: str) -> None:
        if kind == "leak":
            message += _why(table)
        self.report.findings.append(_finding(table.display, operation, kind, message))

    def _as_role(
        self, tenant: str | None, query: sql.Composed, params: tuple[Any, ...] = ()
    ) -> int:
        """Row count (or the count(*) selected) of one statement run as the test role."""
        with self.conn.transaction(force_rollback=True):
            if tenant is not None:
                self.conn.execute("SELECT set_config(%s, %s, true)", (self.setting, tenant))
            self.conn.execute(sql.SQL("SET LOCAL ROLE {}").format(sql.Identifier(self.role)))
            cur = self.conn.execute(query, params)
            if cur.description:
                row = cur.fetchone()
                return int(row[0]) if row else 0
            return int(cur.rowcount)

    def _try(
        self,
        table: Table,
        operation: str,
        tenant: str | None,
        query: sql.Composed,
        params: tuple[Any, ...] = (),
    ) -> int | None:
        """_as_role, turning an error into a finding (None)."""
        try:
            return self._as_role(tenant, query, params)
        except psycopg.Error as exc:
            self._find(table, operation, "error", _reason(exc))
            return None

    def _sees_nothing(self, table: Table, tenant: str | None, operation: str) -> None:
        query = sql.SQL("SELECT count(*) FROM (SELECT FROM {} LIMIT 1000) s").format(table.ident)
        seen = self._try(table, operation, tenant, query)
        if seen:
            state = "with no tenant set" if tenant is None else "with the tenant setting empty"
            self._find(table, operation, "leak", f"{seen} row(s) visible {state}")

    def _tenant_a(self, table: Table) -> None:
        a = self.tenants[0]
        col = sql.Identifier(self.column)
        cast = sql.SQL(self.tenant_type)
        query = sql.SQL(
            "SELECT count(*) FROM (SELECT FROM {} WHERE {} IS DISTINCT FROM %s::{} LIMIT 1000) s"
        )  # counting stops early on a big live table
        others = self._try(table, "read other", a, query.format(table.ident, col, cast), (a,))
        if others:
            self._find(
                table, "read other", "leak", f"tenant A reads {others} row(s) of other tenants"
            )
        if table.kind == "v":
            self._view_visibility(table, others)
        elif table.id in self.rows:
            self._writes(table, *self.rows[table.id])

    def _view_visibility(self, table: Table, others: int | None) -> None:
        invoker = table.security_invoker
        query = sql.SQL("SELECT count(*) FROM (SELECT FROM {} LIMIT 1) s").format(table.ident)
        own = self._try(table, "read own", self.tenants[0], query)
        if not invoker and not others and not own:
            self._find(
                table,
                "read own",
                "untested",
                "the view shows no test rows, so its "
                "isolation is unproven; create it WITH (security_invoker = true)",
            )

    def _writes(self, table: Table, row_a: Row, row_b: Row) -> None:
        a, b = self.tenants[:2]
        col = sql.Identifier(self.column)
        (where_a, key_a), (where_b, key_b) = table.where(row_a), table.where(row_b)

        def select(w: sql.Composable) -> sql.Composed:
            return sql.SQL("SELECT count(*) FROM {} WHERE {}").format(table.ident, w)

        def update(w: sql.Composable) -> sql.Composed:
            return sql.SQL("UPDATE {} SET {} = {} WHERE {}").format(table.ident, col, col, w)

        def delete(w: sql.Composable) -> sql.Composed:
            return sql.SQL("DELETE FROM {} WHERE {}").format(table.ident, w)

        move = sql.SQL("UPDATE {} SET {} = %s::{} WHERE {}").format(
            table.ident, col, sql.SQL(self.tenant_type), where_a
        )
        own = {
            "read own": ("SELECT", select(where_a)),
            "update own": ("UPDATE", update(where_a)),
            "delete own": ("DELETE", delete(where_a)),
        }
        for operation, (privilege, query) in own.items():
            if self._may(table, privilege):
                self._own(table, operation, query, key_a)
        other = {
            "update other": ("UPDATE", update(where_b), key_b),
            "delete other": ("DELETE", delete(where_b), key_b),
            "move to other": ("UPDATE", move, (b, *key_a)),
        }
        for operation, (privilege, query, params) in other.items():
            if self._may(table, privilege) and self._blocked_quietly(a, query, params) is False:
                self._find(
                    table,
                    operation,
                    "leak",
                    f"tenant A can {operation.split()[0]} a row of tenant B"
                    if operation != "move to other"
                    else "tenant A can move its row to tenant B",
                )
        if self._may(table, "INSERT"):
            self._inserts(table, row_a)

    def _own(
        self, table: Table, operation: str, query: sql.Composed, params: tuple[Any, ...]
    ) -> None:
        try:
            done = self._as_role(self.tenants[0], query, params)
        except psycopg.errors.ForeignKeyViolation:
            return  # RLS let it through; a child row (ours) blocked it
        except psycopg.Error as exc:
            self._find(table, operation, "error", _reason(exc))
            return
        if done == 0:
            self._find(table, operation, "denied", "tenant A cannot do this to its own row")

    def _blocked_quietly(self, tenant: str, query: sql.Composed, params: tuple[Any, ...]) -> bool:
        """True when the statement changed nothing or failed (any error blocks the write)."""
        try:
            return self._as_role(tenant, query, params) == 0
        except psycopg.Error:
            return True

    def _inserts(self, table: Table, row_a: Row) -> None:
        """A row for A must go in, one for another tenant must not. The other tenant is C,
        which has no rows, and A's own row is deleted (as owner) first, so a per-tenant
        UNIQUE constraint cannot decide the outcome instead of the policies."""
        a, c = self.tenants[0], self.tenants[2]
        where, key = table.where(row_a)
        delete = sql.SQL("DELETE FROM {} WHERE {}").format(table.ident, where)
        for tenant, operation in ((a, "insert own"), (c, "insert other")):
            values = self.maker.values_for(table, tenant)
            try:
                with self.conn.transaction(force_rollback=True):
                    if tenant == a:
                        self._quietly(delete, key)
                    self.conn.execute("SELECT set_config(%s, %s, true)", (self.setting, a))
                    self.conn.execute(
                        sql.SQL("SET LOCAL ROLE {}").format(sql.Identifier(self.role))
                    )
                    self.maker.insert(table, values)
                inserted = True
            except Unpopulatable as exc:
                inserted = False
                if operation == "insert own":
                    kind = "untested" if exc.sqlstate == "23505" else "denied"
                    self._find(table, operation, kind, str(exc))
            if inserted and operation == "insert other":
                self._find(table, operation, "leak", "tenant A can insert a row for another tenant")

    def _quietly(self, query: sql.Composed, params: tuple[Any, ...]) -> None:
        try:
            with self.conn.transaction():
                self.conn.execute(query, params)
        except psycopg.Error:
            pass  # e.g. a child row refers to it: the insert is tried anyway


def _reason(exc: psycopg.Error) -> str:
    message = exc.diag.message_primary or str(exc).splitlines()[0]
    return f"{message} (SQLSTATE {exc.sqlstate})"


def _why(table: Table) -> str:
    """The likely cause of a leak, from the catalog."""
    if table.kind == "v":
        if not table.security_invoker:
            return " (the view runs as its owner: create it WITH (security_invoker = true))"
        return ""
    if not table.rls:
        return " (row level security is not enabled)"
    return " (a policy is too wide)"


def _scalar(conn: Conn, query: str) -> Any:
    row = conn.execute(query).fetchone()
    return row[0] if row else None
