"""Split the tables into ER diagram parts small enough to read (one picture of 40 tables that
all reference the tenant table is 13,000 px wide).

One part per schema while it has at most `max_tables` tables. A bigger schema is cut along its
foreign keys. The hub tables (referenced from a quarter of the schema or more, such as the
tenant table) make the first part on their own, and foreign keys to them are left out of the
other parts (named in their note: drawn, they would make every part a star around the hubs).
Then each group of tables linked to one another without a hub (a tenant's subtree) is packed
into parts in table order; a group too big for one part is cut in breadth-first order. A table
referenced from a part but drawn in another is a stub there: its name only, so the
relationship still shows.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

from slipway.catalog.model import Catalog, Key, Table


@dataclass(frozen=True, slots=True)
class ErPart:
    schema: str
    tables: tuple[Table, ...]  # drawn with their columns
    stubs: tuple[Table, ...]  # referenced from here, drawn in another part (or schema)
    hubs: tuple[Table, ...] = ()  # referenced from here, left out (their part shows them)


def _parents(catalog: Catalog, table: Table) -> list[Table]:
    found = (
        catalog.table(f"{fk.ref_schema or 'public'}.{fk.ref_table}") for fk in table.foreign_keys
    )
    return list(dict.fromkeys(p for p in found if p is not None and p.key != table.key))


def _part(
    catalog: Catalog, schema: str, tables: list[Table], hubs: frozenset[Key] = frozenset()
) -> ErPart:
    """A part; the hubs its tables reference are not drawn (every part would be a star around
    them), only named in the part's note."""
    keys = {t.key for t in tables}
    refs = dict.fromkeys(p for t in tables for p in _parents(catalog, t) if p.key not in keys)
    stubs = tuple(p for p in refs if p.key not in hubs)
    return ErPart(schema, tuple(tables), stubs, tuple(p for p in refs if p.key in hubs))


def _groups(catalog: Catalog, tables: list[Table], hubs: set[Key]) -> list[list[Table]]:
    """The tables linked by foreign keys once the hubs are left out, in breadth-first order."""
    by_key = {t.key: t for t in tables}
    links: dict[Key, list[Key]] = {t.key: [] for t in tables}
    for t in tables:
        for p in _parents(catalog, t):
            if p.key in by_key and p.key not in hubs and t.key not in hubs:
                links[t.key].append(p.key)
                links[p.key].append(t.key)
    seen: set[Key] = set()
    groups = []
    for t in tables:
        if t.key in seen or t.key in hubs:
            continue
        seen.add(t.key)
        order, queue = [], deque([t.key])
        while queue:
            key = queue.popleft()
            order.append(by_key[key])
            for nxt in links[key]:
                if nxt not in seen:
                    seen.add(nxt)
                    queue.append(nxt)
        groups.append(order)
    return groups


def _split(catalog: Catalog, schema: str, tables: list[Table], max_tables: int) -> list[ErPart]:
    keys = {t.key for t in tables}
    referenced: dict[Key, int] = {}
    for t in tables:
        for p in _parents(catalog, t):
            if p.key in keys:
                referenced[p.key] = referenced.get(p.key, 0) + 1
    threshold = max(3, len(tables) // 4)
    hubs = [t for t in tables if referenced.get(t.key, 0) >= threshold][:max_tables]
    parts: list[list[Table]] = [list(hubs), []] if hubs else [[]]  # the hubs on their own
    for group in _groups(catalog, tables, {h.key for h in hubs}):
        if parts[-1] and len(parts[-1]) + len(group) > max_tables and len(group) <= max_tables:
            parts.append([])  # a group that fits one part stays together
        while group:
            if len(parts[-1]) == max_tables:
                parts.append([])
            room = max_tables - len(parts[-1])
            parts[-1].extend(group[:room])
            group = group[room:]
    hub_keys = frozenset(h.key for h in hubs)
    return [_part(catalog, schema, p, hub_keys) for p in parts if p]


def er_parts(catalog: Catalog, max_tables: int = 12) -> list[ErPart]:
    """The tables (partitions folded into their parent) as diagram parts, schema by schema."""
    schemas: dict[str, list[Table]] = {}
    for t in catalog.tables:
        if not t.is_partition:
            schemas.setdefault(t.schema, []).append(t)
    parts: list[ErPart] = []
    for schema, tables in schemas.items():
        if len(tables) <= max_tables:
            parts.append(_part(catalog, schema, tables))
        else:
            parts.extend(_split(catalog, schema, tables, max_tables))
    return parts
