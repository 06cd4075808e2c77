"""Test rows for the tenant root and every table below it (used by the CRUD check and --load).

One row per table, parents first, made by the one row generator (`catalog/rowmaker.py`):
foreign-key columns take the values of the parent row just inserted (a lookup table outside the
tree lends an existing row), the tenant column takes the root's key, other required columns
get a plausible value of their type. Everything runs inside the caller's transaction, which is
rolled back.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from slipway.catalog.rowmaker import RowMaker
from slipway.catalog.testrows import Conn, Table, Unpopulatable, load_tables
from slipway.catalog.testrows import Row as TestRow
from slipway.health.facts import Facts, Row

__all__ = ["Plan", "Shapes", "insert_row", "key_condition", "make_plan", "topo_order"]

Shapes = tuple[dict[int, Table], dict[int, list[str]]]  # tables by oid, enum labels by type


@dataclass
class Plan:
    """Tables to fill (parents first), the generator that fills them and what it made."""

    root: Row
    order: list[int]
    tables: dict[int, Row]
    fks_by_child: dict[int, list[Row]]
    maker: RowMaker
    inserted: dict[int, TestRow] = field(default_factory=dict)
    links: dict[int, str] = field(default_factory=dict)  # table -> its column naming the root

    def shape(self, oid: int) -> Table | None:
        """The generator's view of table `oid` (columns, key, checks)."""
        return self.maker.tables.get(oid)

    def pk(self, oid: int) -> tuple[str, ...]:
        """Primary key columns of table `oid` (empty without one)."""
        shape = self.shape(oid)
        return shape.key if shape else ()

    def tenant(self) -> str | None:
        """The key of the root's test row (what the tenant column takes), if it has one."""
        row = self.inserted.get(int(self.root["oid"]))
        key = self.pk(int(self.root["oid"]))
        return row.values.get(key[0]) if row is not None and len(key) == 1 else None


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


def make_plan(
    conn: Conn, facts: Facts, root: Row, below: list[int], shapes: Shapes | None = None
) -> Plan:
    """Order the inserts of the root and `below`; the generator may create rows only there."""
    oids = [int(root["oid"])] + below
    tables_shapes, enums = shapes or load_tables(conn)
    fks = facts.get("foreign_keys")
    by_child: dict[int, list[Row]] = {}
    for fk in fks:
        by_child.setdefault(int(fk["child_oid"]), []).append(fk)
    tables = facts.tables_by_oid()
    maker = RowMaker(conn, tables_shapes, enums, facts.tenant_column, scope=oids)
    return Plan(
        root=root,
        order=[int(root["oid"])] + topo_order(below, fks),
        tables={o: tables[o] for o in oids if o in tables},
        fks_by_child=by_child,
        maker=maker,
    )


def insert_row(plan: Plan, oid: int, retry: bool = True) -> TestRow:
    """Insert the test row of table `oid` and remember it; Unpopulatable says why not.

    `retry` (in a savepoint, trying other values when a CHECK refuses) is what the CRUD check
    wants; the load test's iterations insert once, with the values that worked before.
    """
    shape = plan.shape(oid)
    if shape is None:
        name = plan.tables[oid]["name"] if oid in plan.tables else str(oid)
        raise Unpopulatable(f"{name} is not a table of the user schemas", table=name)
    tenant = None if oid == int(plan.root["oid"]) else plan.tenant()
    maker = plan.maker
    if retry:
        row = maker.ensure(shape, tenant)
    else:
        row = maker.raw_insert(shape, maker.complete(shape, maker.values_for(shape, tenant)))
        maker.rows[(oid, tenant or "")] = row
    plan.inserted[oid] = row
    return row


def key_condition(plan: Plan, oid: int) -> Any:
    """WHERE clause matching the test row of table `oid` by its primary key (or all columns)."""
    shape = plan.shape(oid)
    assert shape is not None  # only inserted rows are matched
    return shape.match(plan.inserted[oid])
