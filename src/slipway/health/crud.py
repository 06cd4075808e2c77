"""CRUD and cascade validation, inside transactions that are always rolled back.

Insert a tenant root row and one row in every table below it (parents first), read each row
back and update it, then delete each parent test row once (in a savepoint, undone) and check
that every child row did what its foreign key's ON DELETE declares; deleting the root row shows
what removing a tenant does. Tables go BATCH per transaction; nothing survives any of them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from slipway.catalog.model import Constraint, Table
from slipway.catalog.testrows import Unpopulatable, tables_of
from slipway.db import Conn
from slipway.health.derived import fk_target
from slipway.health.facts import Facts
from slipway.health.rows import Plan, Shapes, insert_row, key_condition, make_plan
from slipway.health.tenancy import Edge, Name, child_of, parent_of, reachable, tenant_root
from slipway.report.finding import Finding, Severity

# Errors that mean "our made-up row broke a rule of the schema", not "the schema is broken".
SYNTHETIC = {
    "23514",
    "23505",
    "23502",
    "22P02",
    "22001",
    "23503",
    "22003",
    "22007",
    "22008",
    "23P01",
}
DEFAULT_SETTING = "app.current_dealership_id"
BATCH = 100  # tables per transaction
FANOUT_LIMIT = 200  # delete a parent row only when at most this many FKs point at its table


# ON DELETE rules under which deleting a referenced parent is refused
_REFUSING = ("NO ACTION", "RESTRICT")


@dataclass
class CrudOutcome:
    findings: list[Finding] = field(default_factory=list)
    details: list[str] = field(default_factory=list)
    skipped: str = ""


def _finding(severity: Severity, target: str, message: str, hint: str = "") -> Finding:
    """A finding of the CRUD checks (the engine gives it the check's code and name)."""
    return Finding("", "", severity, message, target, hint)


def _insert_all(conn: Conn, plan: Plan, facts: Facts, out: CrudOutcome) -> None:
    for name in plan.order:
        table = plan.tables[name]
        try:
            insert_row(plan, name)
        except Unpopulatable as exc:
            out.findings.append(_not_inserted(plan, name, table, exc))
            continue
        if name == plan.root_name:
            _set_tenant(conn, plan, facts)


def _not_inserted(plan: Plan, name: Name, table: Table, exc: Unpopulatable) -> Finding:
    """Why the test row of `table` is missing: info when our made-up row (or its parent's)
    broke a rule of the schema, a warning when the schema itself refused a valid row."""
    shape = plan.shape(name)
    if exc.sqlstate is None or shape is None or exc.table != shape.display:
        return _finding("info", table.qualified, f"insert not validated: {exc}")
    state = exc.sqlstate
    level: Severity = "info" if state in SYNTHETIC else "warning"
    return _finding(
        level,
        table.qualified,
        f"insert {'not validated' if level == 'info' else 'failed'}: "
        f"{exc.reason} (SQLSTATE {state})",
        "" if level == "info" else "check the table's triggers, defaults and grants",
    )


def _set_tenant(conn: Conn, plan: Plan, facts: Facts) -> None:
    """Point the RLS tenant setting at the new root row so forced policies let us in."""
    tenant = plan.tenant()
    if tenant is None:
        return
    setting = facts.settings.config.tenancy.setting or DEFAULT_SETTING
    conn.execute("SELECT set_config(%s, %s, true)", (setting, tenant))


def _read_update(conn: Conn, plan: Plan, facts: Facts, out: CrudOutcome) -> None:
    import psycopg
    from psycopg import sql

    for name in plan.inserted:
        table = plan.tables[name]
        target = sql.Identifier(table.schema, table.name)
        where = key_condition(plan, name)
        shape = plan.shape(name)
        column = next(
            (
                c.name
                for c in (shape.columns if shape else [])
                if not c.generated and not c.identity and c.name not in plan.pk(name)
            ),
            None,
        )
        # one statement reads the row back and updates it (UPDATE finds rows through the
        # SELECT policies, so a count of 1 proves both)
        statement = sql.SQL("SELECT count(*) FROM {} WHERE {}").format(target, where)
        if column is not None:
            statement = sql.SQL(
                "WITH u AS (UPDATE {} SET {c} = {c} WHERE {} RETURNING 1) SELECT count(*) FROM u"
            ).format(target, where, c=sql.Identifier(column))
        try:
            with conn.transaction():
                found = conn.execute(statement).fetchone()
        except psycopg.Error as exc:
            out.findings.append(
                _finding(
                    "error",
                    table.qualified,
                    f"read/update failed: {exc.diag.message_primary} (SQLSTATE {exc.sqlstate})",
                    "check the table's triggers and policies",
                )
            )
            continue
        if not found or found[0] != 1:
            out.findings.append(
                _finding(
                    "error",
                    table.qualified,
                    "the row just inserted cannot be read back and updated",
                    "check the table's SELECT and UPDATE policies",
                )
            )


def _edge_states(conn: Conn, plan: Plan, fks: list[Edge]) -> list[list[str | None] | None]:
    """The foreign-key columns (as text) of each edge's child test row, in the order of
    `fks`; None when it is gone.

    One UNION ALL statement for all the edges, not a query per table.
    """
    from psycopg import sql

    parts = []
    for i, (table, fk) in enumerate(fks):
        parts.append(
            sql.SQL("SELECT {}::int, ARRAY[{}]::text[] FROM {} WHERE {}").format(
                sql.Literal(i),
                sql.SQL(", ").join(
                    sql.SQL("{}::text").format(sql.Identifier(c)) for c in fk.columns
                ),
                sql.Identifier(table.schema, table.name),
                key_condition(plan, child_of((table, fk))),
            )
        )
    found = {int(i): list(vals) for i, vals in conn.execute(sql.SQL(" UNION ALL ").join(parts))}
    return [found.get(i) for i in range(len(fks))]


def _judge(
    fk: Constraint, error: Any, before: list[str | None] | None, after: list[str | None] | None
) -> tuple[Severity, str]:
    """(severity, message) for one foreign key's delete test."""
    rule = fk.on_delete
    if before is None:
        return "info", f"ON DELETE {rule} not verified: the child test row is not visible"
    if error is not None:
        blocker = error.diag.constraint_name
        if rule in _REFUSING and blocker == fk.name:
            return "info", f"ON DELETE {rule}: deleting the parent is refused, as declared"
        return "info", (
            f"ON DELETE {rule} not verified: deleting the parent fails on "
            f"{blocker or error.sqlstate}"
        )
    if after is None:
        if rule == "CASCADE":
            return "info", "ON DELETE CASCADE: the child row was deleted, as declared"
        if rule in _REFUSING:
            return "info", f"ON DELETE {rule}: the child row went by another cascade path"
        return "error", f"ON DELETE {rule} declared but the child row was deleted"
    if rule == "SET NULL" and any(v is None for v in after):
        return "info", "ON DELETE SET NULL: the child row now has NULL, as declared"
    if rule == "SET DEFAULT" and after != before:
        return "info", "ON DELETE SET DEFAULT: the child row now has the default, as declared"
    detached = after != before or any(v is None for v in after)
    if rule in _REFUSING and detached:
        return "info", (
            f"ON DELETE {rule}: the child row was detached first (e.g. by a "
            "trigger), so deleting the parent succeeded"
        )
    if rule == "CASCADE":
        return "error", "ON DELETE CASCADE declared but the child row survived the delete"
    return "error", (
        f"ON DELETE {rule} declared but the child row still references the deleted parent"
    )


def _edges_by_parent(plan: Plan) -> dict[Name, list[Edge]]:
    groups: dict[Name, list[Edge]] = {}
    for child, edges in plan.fks_by_child.items():
        for edge in edges:
            parent = parent_of(edge)
            if child in plan.inserted and parent in plan.inserted and parent != child:
                groups.setdefault(parent, []).append(edge)
    return groups


def _cascades(
    conn: Conn, plan: Plan, out: CrudOutcome, fanout: dict[Name, int], fanout_limit: int
) -> None:
    """Delete each parent test row once (undone) and judge every foreign key pointing at it.

    A parent that more than `fanout_limit` foreign keys point at is not deleted (0: no limit):
    the first such delete in a session prepares one cascade plan per foreign key, seconds for
    thousands of them.
    """
    import psycopg
    from psycopg import sql

    for parent, edges in _edges_by_parent(plan).items():
        table = plan.tables[parent]
        if fanout_limit and fanout.get(parent, 0) > fanout_limit:
            for child, fk in edges:
                out.findings.append(
                    _finding(
                        "info",
                        fk_target(child, fk),
                        f"ON DELETE {fk.on_delete} not exercised: "
                        f"{fanout[parent]} foreign keys point at {table.qualified} "
                        "(--crud-tables 0 exercises it)",
                    )
                )
            continue
        before = _edge_states(conn, plan, edges)
        after: list[list[str | None] | None] = [None] * len(edges)
        error = None
        try:
            with conn.transaction():
                conn.execute(
                    sql.SQL("DELETE FROM {} WHERE {}").format(
                        sql.Identifier(table.schema, table.name), key_condition(plan, parent)
                    )
                )
                after = _edge_states(conn, plan, edges)
                raise psycopg.Rollback()
        except psycopg.Error as exc:
            error = exc
        for i, (child, fk) in enumerate(edges):
            level, message = _judge(fk, error, before[i], after[i])
            target = fk_target(child, fk)
            out.findings.append(
                _finding(
                    level,
                    target,
                    message,
                    "" if level == "info" else "look for triggers or rules that undo the cascade",
                )
            )


def _with_ancestors(facts: Facts, chunk: list[Name], below: set[Name]) -> list[Name]:
    """The chunk plus the tables its rows need as parents (within the tree)."""
    parents: dict[Name, set[Name]] = {}
    for edge in facts.foreign_keys():
        parents.setdefault(child_of(edge), set()).add(parent_of(edge))
    need, seen = list(chunk), set(chunk)
    for name in need:  # grows while iterating: a breadth-first closure
        for parent in sorted(parents.get(name, ())):
            if parent in below and parent not in seen:
                seen.add(parent)
                need.append(parent)
    return need


def _batch(
    conn: Conn,
    facts: Facts,
    root: Table,
    names: list[Name],
    out: CrudOutcome,
    counts: dict[str, set[Name]],
    fanout_limit: int,
    shapes: Shapes,
) -> None:
    """One rolled-back transaction validating the root and `names`; findings deduplicated."""
    part = CrudOutcome()
    with conn.transaction(force_rollback=True):
        conn.execute("SET LOCAL lock_timeout = '2s'")
        conn.execute("SET LOCAL statement_timeout = '30s'")
        plan = make_plan(conn, facts, root, names, shapes)
        _insert_all(conn, plan, facts, part)
        _read_update(conn, plan, facts, part)
        fanout: dict[Name, int] = {}
        for edge in facts.foreign_keys():
            fanout[parent_of(edge)] = fanout.get(parent_of(edge), 0) + 1
        _cascades(conn, plan, part, fanout, fanout_limit)
    counts["planned"].update(plan.order)
    counts["inserted"].update(plan.inserted)
    known = {(f.target, f.message) for f in out.findings}
    out.findings += [f for f in part.findings if (f.target, f.message) not in known]


def run_crud(conn: Conn, facts: Facts, limit: int = 100) -> CrudOutcome:
    """Validate inserts, reads, updates and ON DELETE rules below the tenant root; roll back.

    At most `limit` tables below the root (0: all), BATCH per transaction so the locks held
    stay far below max_locks_per_transaction.
    """
    import psycopg

    root = tenant_root(facts)
    if root is None:
        return CrudOutcome(
            skipped=f"no tenant root table (no foreign keys on {facts.tenant_column})"
        )
    out = CrudOutcome()
    below = reachable(facts, root)
    chosen = below[:limit] if limit else below
    counts: dict[str, set[Name]] = {"planned": set(), "inserted": set()}
    shapes = tables_of(facts.catalog)  # once: every batch plans over the same tables
    for start in range(0, max(len(chosen), 1), BATCH):
        chunk = _with_ancestors(facts, chosen[start : start + BATCH], set(below))
        try:
            _batch(
                conn,
                facts,
                root,
                chunk,
                out,
                counts,
                max(limit, FANOUT_LIMIT) if limit else 0,
                shapes,
            )
        except psycopg.Error as exc:
            out.findings.append(
                _finding(
                    "warning",
                    root.qualified,
                    f"CRUD validation stopped: "
                    f"{exc.diag.message_primary} (SQLSTATE {exc.sqlstate})",
                    "rerun when the tables are not locked",
                )
            )
            break
    out.details.append(
        f"inserted test rows in {len(counts['inserted'])} of "
        f"{len(counts['planned'])} tables; everything was rolled back"
    )
    if len(chosen) < len(below):
        out.details.append(
            f"validated the first {len(chosen)} of the {len(below)} tables below "
            "the root (--crud-tables 0 validates all)"
        )
    return out
