"""CRUD and cascade validation, inside one transaction that is always rolled back.

Insert a tenant root row and one row in every table below it (parents first), read the
tenant's rows back, update each row, then for every foreign key delete the parent row (in a
savepoint, undone) and check the child row did what ON DELETE declares. Finally delete the root
row to show what a tenant's removal does. Nothing survives: the transaction is rolled back.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from slipway.health.facts import Facts, Row
from slipway.health.rows import Plan, insert_statement, key_condition, make_plan, values_for
from slipway.health.tenancy import RULES, reachable, tenant_root
from slipway.report.model import Finding

# Errors that mean "our made-up row broke a rule of the schema", not "the schema is broken".
SYNTHETIC = {"23514", "23505", "23502", "22P02", "22001", "23503", "22003", "22007", "22008",
             "23P01"}
DEFAULT_SETTING = "app.current_dealership_id"


@dataclass
class CrudOutcome:
    findings: list[Finding] = field(default_factory=list)
    details: list[str] = field(default_factory=list)
    skipped: str = ""


def _name(t: Row) -> str:
    return f"{t['schema']}.{t['name']}"


def _insert_all(conn: Any, plan: Plan, facts: Facts, out: CrudOutcome) -> None:
    import psycopg

    for oid in plan.order:
        table = plan.tables[oid]
        values, reason = values_for(plan, oid, facts.tenant_column)
        if reason:
            out.findings.append(Finding(_name(table), f"insert not validated: {reason}",
                                        level="info"))
            continue
        try:
            with conn.transaction(), conn.cursor(row_factory=_dict_row()) as cur:
                cur.execute(insert_statement(plan, oid, values))
                plan.inserted[oid] = dict(cur.fetchone() or {})
        except psycopg.Error as exc:
            state = exc.sqlstate or ""
            message = (exc.diag.message_primary or str(exc)).strip()
            level = "info" if state in SYNTHETIC else "warn"
            out.findings.append(Finding(
                _name(table), f"insert {'not validated' if level == 'info' else 'failed'}: "
                f"{message} (SQLSTATE {state})",
                "" if level == "info" else "check the table's triggers, defaults and grants",
                level))  # type: ignore[arg-type]
            continue
        if oid == int(plan.root["oid"]):
            _set_tenant(conn, plan, facts)


def _dict_row() -> Any:
    from psycopg.rows import dict_row

    return dict_row


def _set_tenant(conn: Any, plan: Plan, facts: Facts) -> None:
    """Point the RLS tenant setting at the new root row so forced policies let us in."""
    pk = plan.pk.get(int(plan.root["oid"]), [])
    if len(pk) != 1:
        return
    setting = str(facts.settings.section("tenancy").get("setting", DEFAULT_SETTING))
    conn.execute("SELECT set_config(%s, %s, true)",
                 (setting, str(plan.inserted[int(plan.root["oid"])][pk[0]])))


def _read_update(conn: Any, plan: Plan, facts: Facts, out: CrudOutcome) -> None:
    import psycopg
    from psycopg import sql

    for oid, row in plan.inserted.items():
        table = plan.tables[oid]
        target = sql.Identifier(table["schema"], table["name"])
        where = key_condition(plan, oid)
        column = next((c["name"] for c in plan.columns.get(oid, [])
                       if not c["generated"] and not c["identity"]
                       and c["name"] not in plan.pk.get(oid, [])), None)
        try:
            with conn.transaction():
                found = conn.execute(sql.SQL("SELECT count(*) FROM {} WHERE {}").format(
                    target, where)).fetchone()
                if column is not None:
                    conn.execute(sql.SQL("UPDATE {} SET {c} = {c} WHERE {}").format(
                        target, where, c=sql.Identifier(column)))
        except psycopg.Error as exc:
            out.findings.append(Finding(_name(table), f"read/update failed: "
                                        f"{exc.diag.message_primary} (SQLSTATE {exc.sqlstate})",
                                        "check the table's triggers and policies", "fail"))
            continue
        if not found or found[0] != 1:
            out.findings.append(Finding(_name(table), "the row just inserted cannot be read back",
                                        "check the table's SELECT policy", "fail"))


def _child_state(conn: Any, plan: Plan, fk: Row) -> dict[str, Any] | None:
    from psycopg import sql

    child = int(fk["child_oid"])
    table = plan.tables[child]
    cur = conn.cursor(row_factory=_dict_row())
    cur.execute(sql.SQL("SELECT * FROM {} WHERE {}").format(
        sql.Identifier(table["schema"], table["name"]), key_condition(plan, child)))
    found = cur.fetchone()
    return dict(found) if found else None


def _judge(fk: Row, plan: Plan, error: Any, after: dict[str, Any] | None) -> tuple[str, str]:
    """(level, message) for one foreign key's delete test."""
    rule = RULES.get(fk["on_delete"], fk["on_delete"])
    cols = list(fk["child_columns"])
    if error is not None:
        blocker = error.diag.constraint_name
        if fk["on_delete"] in ("a", "r") and blocker == fk["name"]:
            return "info", f"ON DELETE {rule}: deleting the parent is refused, as declared"
        return "info", f"ON DELETE {rule} not verified: deleting the parent fails on " \
                       f"{blocker or error.sqlstate}"
    before = plan.inserted[int(fk["child_oid"])]
    if after is None:
        if fk["on_delete"] == "c":
            return "info", "ON DELETE CASCADE: the child row was deleted, as declared"
        if fk["on_delete"] in ("a", "r"):
            return "info", f"ON DELETE {rule}: the child row went by another cascade path"
        return "fail", f"ON DELETE {rule} declared but the child row was deleted"
    if fk["on_delete"] == "n" and any(after[c] is None for c in cols):
        return "info", "ON DELETE SET NULL: the child row now has NULL, as declared"
    if fk["on_delete"] == "d" and any(after[c] != before[c] for c in cols):
        return "info", "ON DELETE SET DEFAULT: the child row now has the default, as declared"
    return "fail", f"ON DELETE {rule} declared but the child row still references the " \
                   "deleted parent"


def _cascades(conn: Any, plan: Plan, out: CrudOutcome) -> None:
    import psycopg
    from psycopg import sql

    for child_oid, fks in plan.fks_by_child.items():
        for fk in fks:
            parent = int(fk["parent_oid"])
            if child_oid not in plan.inserted or parent not in plan.inserted or parent == child_oid:
                continue
            table = plan.tables[parent]
            error, after = None, None
            try:
                with conn.transaction():
                    conn.execute(sql.SQL("DELETE FROM {} WHERE {}").format(
                        sql.Identifier(table["schema"], table["name"]),
                        key_condition(plan, parent)))
                    after = _child_state(conn, plan, fk)
                    raise psycopg.Rollback()
            except psycopg.Error as exc:
                error = exc
            level, message = _judge(fk, plan, error, after)
            target = f"{fk['child_schema']}.{fk['child_table']}.{fk['name']}"
            out.findings.append(Finding(target, message, "" if level == "info" else
                                        "look for triggers or rules that undo the cascade",
                                        level))  # type: ignore[arg-type]


def run_crud(conn: Any, facts: Facts) -> CrudOutcome:
    """Validate inserts, reads, updates and ON DELETE rules below the tenant root; roll back."""
    import psycopg

    root = tenant_root(facts)
    if root is None:
        return CrudOutcome(skipped="no tenant root table (no foreign keys on "
                                   f"{facts.tenant_column})")
    out = CrudOutcome()
    try:
        with conn.transaction(force_rollback=True):
            conn.execute("SET LOCAL lock_timeout = '2s'")
            conn.execute("SET LOCAL statement_timeout = '30s'")
            plan = make_plan(conn, facts, root, reachable(facts, root))
            _insert_all(conn, plan, facts, out)
            _read_update(conn, plan, facts, out)
            _cascades(conn, plan, out)
            out.details.append(f"inserted test rows in {len(plan.inserted)} of "
                               f"{len(plan.order)} tables; everything was rolled back")
    except psycopg.Error as exc:
        out.findings.append(Finding(_name(root), f"CRUD validation stopped: "
                                    f"{exc.diag.message_primary} (SQLSTATE {exc.sqlstate})",
                                    "rerun when the tables are not locked", "warn"))
    return out
