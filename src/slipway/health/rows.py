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

from slipway.catalog.model import Table as CatalogTable
from slipway.catalog.rowmaker import RowMaker
from slipway.catalog.testrows import Conn, Table, TableId, Unpopulatable, tables_of
from slipway.catalog.testrows import Row as TestRow
from slipway.health.facts import Facts
from slipway.health.tenancy import Edge, Name, child_of, name_of, parent_of

__all__ = ["Plan", "Shapes", "insert_row", "key_condition", "make_plan", "topo_order"]

Shapes = dict[TableId, Table]  # the generator's view of the tables, by (schema, name)


@dataclass
class Plan:
    """Tables to fill (parents first, by (schema, name)), the generator that fills them and
    what it made."""

    root: CatalogTable
    order: list[Name]
    tables: dict[Name, CatalogTable]
    fks_by_child: dict[Name, list[Edge]]
    maker: RowMaker
    inserted: dict[Name, TestRow] = field(default_factory=dict)
    links: dict[Name, str] = field(default_factory=dict)  # table -> its column naming the root

    @property
    def root_name(self) -> Name:
        return name_of(self.root)

    def shape(self, name: Name) -> Table | None:
        """The generator's view of table `name` (columns, key, checks)."""
        return self.maker.tables.get(name)

    def pk(self, name: Name) -> tuple[str, ...]:
        """Primary key columns of table `name` (empty without one)."""
        shape = self.shape(name)
        return shape.key if shape else ()

    def tenant(self) -> str | None:
        """The key of the root's test row (what the tenant column takes), if it has one."""
        row = self.inserted.get(self.root_name)
        key = self.pk(self.root_name)
        return row.values.get(key[0]) if row is not None and len(key) == 1 else None


def topo_order(names: list[Name], fks: list[tuple[Name, Name]]) -> list[Name]:
    """Parents before children among `names`, from (child, parent) edges (a cycle is broken
    in the given order)."""
    members = set(names)
    deps: dict[Name, set[Name]] = {o: set() for o in names}
    for child, parent in fks:
        if child in members and parent in members and parent != child:
            deps[child].add(parent)
    order: list[Name] = []
    done: set[Name] = set()
    while len(order) < len(names):
        pick = next((o for o in names if o not in done and deps[o] <= done), None)
        if pick is None:  # a cycle: take the first remaining table, its FK columns get NULL
            pick = next(o for o in names if o not in done)
        order.append(pick)
        done.add(pick)
    return order


def make_plan(
    conn: Conn, facts: Facts, root: CatalogTable, below: list[Name], shapes: Shapes | None = None
) -> Plan:
    """Order the inserts of the root and `below`; the generator may create rows only there.

    `shapes` defaults to the doctor's Catalog's (`tables_of(facts.catalog)`)."""
    root_name = name_of(root)
    names = [root_name, *below]
    fks = facts.foreign_keys()
    by_child: dict[Name, list[Edge]] = {}
    for edge in fks:
        by_child.setdefault(child_of(edge), []).append(edge)
    shapes = tables_of(facts.catalog) if shapes is None else shapes
    maker = RowMaker(conn, shapes, facts.tenant_column, scope=names)
    tables = {n: t for n in names if (t := facts.catalog.table(n)) is not None}
    return Plan(
        root=root,
        order=[root_name, *topo_order(below, [(child_of(e), parent_of(e)) for e in fks])],
        tables=tables,
        fks_by_child=by_child,
        maker=maker,
    )


def insert_row(plan: Plan, name: Name, retry: bool = True) -> TestRow:
    """Insert the test row of table `name` and remember it; Unpopulatable says why not.

    `retry` (in a savepoint, trying other values when a CHECK refuses) is what the CRUD check
    wants; the load test's iterations insert once, with the values that worked before.
    """
    shape = plan.shape(name)
    if shape is None:
        raise Unpopulatable(f"{name[1]} is not a table of the user schemas", table=name[1])
    tenant = None if name == plan.root_name else plan.tenant()
    maker = plan.maker
    if retry:
        row = maker.ensure(shape, tenant)
    else:
        row = maker.raw_insert(shape, maker.complete(shape, maker.values_for(shape, tenant)))
        maker.rows[(shape.id, tenant or "")] = row
    plan.inserted[name] = row
    return row


def key_condition(plan: Plan, name: Name) -> Any:
    """WHERE clause matching the test row of table `name` by its primary key (or all columns)."""
    shape = plan.shape(name)
    assert shape is not None  # only inserted rows are matched
    return shape.match(plan.inserted[name])
