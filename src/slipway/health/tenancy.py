"""The tenant root and the foreign-key tree below it, worked out from the Catalog (pure).

Tables are named by (schema, name), as the Catalog keys them; a foreign key is a Catalog
`Constraint` with the table it is on (`Facts.foreign_keys`: partitions' copies left out).
"""

from __future__ import annotations

from collections import Counter
from typing import NamedTuple

from slipway.catalog.model import Constraint, Table
from slipway.health.facts import Facts


class Name(NamedTuple):
    """A table's (schema, name): how the Catalog keys it (a `Relation` for its lookups)."""

    schema: str
    name: str


Edge = tuple[Table, Constraint]  # a foreign key and the table it is on (the child)


def name_of(table: Table) -> Name:
    return Name(table.schema, table.name)


def child_of(edge: Edge) -> Name:
    return name_of(edge[0])


def parent_of(edge: Edge) -> Name:
    fk = edge[1]
    return Name(str(fk.ref_schema), str(fk.ref_table))


def tenant_fks(facts: Facts) -> list[Edge]:
    """Foreign keys whose only column is the tenant column."""
    col = facts.tenant_column
    return [e for e in facts.foreign_keys() if list(e[1].columns) == [col]]


def tenant_root(facts: Facts) -> Table | None:
    """The table most tenant-column foreign keys point at (dealerships in Rylie)."""
    fks = tenant_fks(facts)
    if not fks:
        return None
    name, _ = Counter(parent_of(e) for e in fks).most_common(1)[0]
    return facts.catalog.table(name)


def children(facts: Facts) -> dict[Name, list[Edge]]:
    """Foreign keys by the table they point at."""
    out: dict[Name, list[Edge]] = {}
    for edge in facts.foreign_keys():
        out.setdefault(parent_of(edge), []).append(edge)
    return out


def fk_label(edge: Edge) -> str:
    table, fk = edge
    cols = ", ".join(fk.columns)
    pcols = ", ".join(fk.ref_columns)
    return f"{table.qualified} ({cols} -> {fk.ref_table}.{pcols}, ON DELETE {fk.on_delete})"


def tree_lines(facts: Facts, root: Table, limit: int = 400) -> list[str]:
    """The FK tree below `root` as indented lines; a table reached twice is not expanded again."""
    kids = children(facts)
    lines = [f"{root.qualified} (tenant root)"]
    seen = {name_of(root)}

    def walk(parent: Name, prefix: str) -> None:
        edges = [e for e in kids.get(parent, []) if child_of(e) != parent]
        for i, edge in enumerate(edges):
            if len(lines) >= limit:
                return
            last = i == len(edges) - 1
            child = child_of(edge)
            again = child in seen
            lines.append(
                f"{prefix}{'`-- ' if last else '|-- '}{fk_label(edge)}"
                + (" (see above)" if again else "")
            )
            if not again:
                seen.add(child)
                walk(child, prefix + ("    " if last else "|   "))

    walk(name_of(root), "")
    if len(lines) >= limit:
        lines.append(f"... (tree cut at {limit} lines)")
    return lines


def reachable(facts: Facts, root: Table) -> list[Name]:
    """The tables below the root, parents before children (breadth first)."""
    kids = children(facts)
    order: list[Name] = []
    queue = [name_of(root)]
    seen = set(queue)
    while queue:
        parent = queue.pop(0)
        for edge in kids.get(parent, []):
            child = child_of(edge)
            if child not in seen:
                seen.add(child)
                order.append(child)
                queue.append(child)
    return order
