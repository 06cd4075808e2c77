"""Test rows for the tenant root and every table below it (used by the CRUD check and --load).

One row per table, parents first: foreign-key columns take the values of the parent row just
inserted, the tenant column takes the root's key, other required columns get a plausible value
of their type. Everything runs inside the caller's transaction, which is rolled back.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from typing import Any

from slipway.health.facts import Facts, Row

_LENGTH = re.compile(r"\((\d+)\)$")


def _text(col: Row) -> str:
    value = f"doctor{uuid.uuid4().hex[:8]}@example.com"
    match = _LENGTH.search(col["type"])
    return value[: int(match.group(1))] if match else value


def synthesize(col: Row) -> Any:
    """An SQL expression with a plausible value for a required column, or None."""
    from psycopg import sql

    base, cat = col["base_type"], col["category"]
    cast = sql.SQL(col["type"])
    for known in (col["allowed_value"], col["first_enum_label"]):
        if known is not None:
            return sql.SQL("{}::{}").format(sql.Literal(known), cast)
    literal: Any = {
        "boolean": False, "uuid": str(uuid.uuid4()), "json": "{}", "jsonb": "{}",
        "inet": "127.0.0.1", "cidr": "127.0.0.0/8", "bytea": "\\x00", "interval": "1 hour",
        "time without time zone": "12:00", "money": 0,
    }.get(base)
    if literal is None:
        if cat == "S":
            literal = _text(col)
        elif cat == "N":
            literal = int(uuid.uuid4().int % 30_000) + 1
        elif cat == "D":
            return sql.SQL("now()::{}").format(cast)
        elif cat == "A":
            literal = "{}"
        else:
            return None
    return sql.SQL("{}::{}").format(sql.Literal(literal), cast)


@dataclass
class Plan:
    """Tables to fill (parents first) with what is known about each."""

    root: Row
    order: list[int]
    tables: dict[int, Row]
    columns: dict[int, list[Row]]
    fks_by_child: dict[int, list[Row]]
    pk: dict[int, list[str]]
    inserted: dict[int, dict[str, Any]] = field(default_factory=dict)
    links: dict[int, str] = field(default_factory=dict)  # table -> its column naming the root


def topo_order(oids: list[int], fks: list[Row]) -> list[int]:
    """Parents before children among `oids` (a cycle is broken in the given order)."""
    members = set(oids)
    deps: dict[int, set[int]] = {o: set() for o in oids}
    for fk in fks:
        child, parent = int(fk["child_oid"]), int(fk["parent_oid"])
        if child in members and parent in members and parent != child:
            deps[child].add(parent)
    order: list[int] = []
    done: set[int] = set()
    while len(order) < len(oids):
        pick = next((o for o in oids if o not in done and deps[o] <= done), None)
        if pick is None:  # a cycle: take the first remaining table, its FK columns get NULL
            pick = next(o for o in oids if o not in done)
        order.append(pick)
        done.add(pick)
    return order


def make_plan(conn: Any, facts: Facts, root: Row, below: list[int]) -> Plan:
    """Read the columns of the root and `below` (one query) and order the inserts."""
    from psycopg.rows import dict_row

    from slipway.health.facts import query_text

    oids = [int(root["oid"])] + below
    with conn.cursor(row_factory=dict_row) as cur:
        cur.execute(query_text("columns"), {"oids": oids})
        columns: dict[int, list[Row]] = {}
        for col in cur.fetchall():
            columns.setdefault(int(col["table_oid"]), []).append(col)
    fks = facts.get("foreign_keys")
    by_child: dict[int, list[Row]] = {}
    for fk in fks:
        by_child.setdefault(int(fk["child_oid"]), []).append(fk)
    names = {(oid, int(c["num"])): c["name"] for oid, cols in columns.items() for c in cols}
    pk: dict[int, list[str]] = {}
    for ix in facts.get("indexes"):
        if ix["is_primary"] and int(ix["table_oid"]) in columns:
            pk[int(ix["table_oid"])] = [names[(int(ix["table_oid"]), k)] for k in ix["keys"]]
    tables = facts.tables_by_oid()
    return Plan(root=root, order=[int(root["oid"])] + topo_order(below, fks),
                tables={o: tables[o] for o in oids if o in tables},
                columns=columns, fks_by_child=by_child, pk=pk)


def values_for(plan: Plan, oid: int, tenant_column: str) -> tuple[dict[str, Any], str | None]:
    """Column -> SQL expression for one table's test row, or the reason none can be made."""
    from psycopg import sql

    values: dict[str, Any] = {}
    for fk in plan.fks_by_child.get(oid, []):
        parent = plan.inserted.get(int(fk["parent_oid"]))
        if parent is not None:
            for cc, pc in zip(fk["child_columns"], fk["parent_columns"], strict=True):
                values.setdefault(cc, sql.Literal(parent[pc]))
        elif len(fk["child_columns"]) == 1:  # a lookup table outside the tree: borrow a row
            values.setdefault(fk["child_columns"][0], sql.SQL("(SELECT {} FROM {} LIMIT 1)").format(
                sql.Identifier(fk["parent_columns"][0]),
                sql.Identifier(fk["parent_schema"], fk["parent_table"])))
    root_row = plan.inserted.get(int(plan.root["oid"]))
    root_pk = plan.pk.get(int(plan.root["oid"]), [])
    for col in plan.columns.get(oid, []):
        name = col["name"]
        if name in values or col["generated"] or col["identity"]:
            continue
        if name == tenant_column and root_row is not None and len(root_pk) == 1:
            values[name] = sql.Literal(root_row[root_pk[0]])
        elif col["not_null"] and not col["has_default"]:
            made = synthesize(col)
            if made is None:
                return {}, f"no test value for column {name} of type {col['type']}"
            values[name] = made
    return values, None


def insert_statement(plan: Plan, oid: int, values: dict[str, Any]) -> Any:
    from psycopg import sql

    t = plan.tables[oid]
    target = sql.Identifier(t["schema"], t["name"])
    if not values:
        return sql.SQL("INSERT INTO {} DEFAULT VALUES RETURNING *").format(target)
    return sql.SQL("INSERT INTO {} ({}) VALUES ({}) RETURNING *").format(
        target, sql.SQL(", ").join(sql.Identifier(c) for c in values),
        sql.SQL(", ").join(values.values()))


def key_condition(plan: Plan, oid: int) -> Any:
    """WHERE clause matching the test row of table `oid` by its primary key (or all columns)."""
    from psycopg import sql

    row = plan.inserted[oid]
    cols = plan.pk.get(oid) or [c for c, v in row.items()
                                if v is not None and not isinstance(v, (dict, list))]
    return sql.SQL(" AND ").join(
        sql.SQL("{} = {}").format(sql.Identifier(c), sql.Literal(row[c])) for c in cols)
