"""The tenant root and the foreign-key tree below it, worked out from the facts (pure)."""

from __future__ import annotations

from collections import Counter

from slipway.health.facts import Facts, Row

RULES = {"a": "NO ACTION", "r": "RESTRICT", "c": "CASCADE", "n": "SET NULL", "d": "SET DEFAULT"}


def tenant_fks(facts: Facts) -> list[Row]:
    """Foreign keys whose only column is the tenant column."""
    col = facts.tenant_column
    return [fk for fk in facts.get("foreign_keys") if list(fk["child_columns"]) == [col]]


def tenant_root(facts: Facts) -> Row | None:
    """The table most tenant-column foreign keys point at (dealerships in Rylie)."""
    fks = tenant_fks(facts)
    if not fks:
        return None
    parent_oid, _ = Counter(int(fk["parent_oid"]) for fk in fks).most_common(1)[0]
    return facts.tables_by_oid().get(parent_oid)


def children(facts: Facts) -> dict[int, list[Row]]:
    """Foreign keys by the oid of the table they point at."""
    out: dict[int, list[Row]] = {}
    for fk in facts.get("foreign_keys"):
        out.setdefault(int(fk["parent_oid"]), []).append(fk)
    return out


def fk_label(fk: Row) -> str:
    cols = ", ".join(fk["child_columns"])
    pcols = ", ".join(fk["parent_columns"])
    return (
        f"{fk['child_schema']}.{fk['child_table']} ({cols} -> {fk['parent_table']}.{pcols}, "
        f"ON DELETE {RULES.get(fk['on_delete'], fk['on_delete'])})"
    )


def tree_lines(facts: Facts, root: Row, limit: int = 400) -> list[str]:
    """The FK tree below `root` as indented lines; a table reached twice is not expanded again."""
    kids = children(facts)
    lines = [f"{root['schema']}.{root['name']} (tenant root)"]
    seen = {int(root["oid"])}

    def walk(oid: int, prefix: str) -> None:
        edges = [fk for fk in kids.get(oid, []) if int(fk["child_oid"]) != oid]
        for i, fk in enumerate(edges):
            if len(lines) >= limit:
                return
            last = i == len(edges) - 1
            child = int(fk["child_oid"])
            again = child in seen
            lines.append(
                f"{prefix}{'`-- ' if last else '|-- '}{fk_label(fk)}"
                + (" (see above)" if again else "")
            )
            if not again:
                seen.add(child)
                walk(child, prefix + ("    " if last else "|   "))

    walk(int(root["oid"]), "")
    if len(lines) >= limit:
        lines.append(f"... (tree cut at {limit} lines)")
    return lines


def reachable(facts: Facts, root: Row) -> list[int]:
    """Oids of the tables below the root, parents before children (breadth first)."""
    kids = children(facts)
    order: list[int] = []
    queue = [int(root["oid"])]
    seen = set(queue)
    while queue:
        oid = queue.pop(0)
        for fk in kids.get(oid, []):
            child = int(fk["child_oid"])
            if child not in seen:
                seen.add(child)
                order.append(child)
                queue.append(child)
    return order
