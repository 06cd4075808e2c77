"""Mermaid source for the dependency graph and the ER model (text in, text out).

Mermaid renders on GitHub inside ```mermaid fences; slipway never fetches its JavaScript.
Identifiers are reduced to Mermaid-safe words; labels are quoted with `"` escaped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from slipway.catalog.model import Catalog, Table
from slipway.guide.deps import MigrationFacts
from slipway.guide.er_parts import ErPart, er_parts

_UNSAFE = re.compile(r"[^A-Za-z0-9_]")


def _ident(text: str) -> str:
    return _UNSAFE.sub("_", text)


def _label(text: str) -> str:
    return text.replace('"', "#quot;")


def dependency_graph(facts: list[MigrationFacts], max_objects: int = 3) -> str:
    """`flowchart LR`: one node per migration, an arrow from each dependency to its dependent
    (left to right: most migrations hang off the first few, and a page grows downwards)."""
    lines = ["flowchart LR"]
    for f in facts:
        m = f.migration
        lines.append(f'    m{_ident(m.version)}["{_label(f"{m.version} {m.name}")}"]')
    for f in facts:
        for dep in f.dependencies:
            names = list(dict.fromkeys(r.obj.key for r in dep.reasons if not r.best_effort))
            names = names or list(dict.fromkeys(r.obj.key for r in dep.reasons))
            shown = ", ".join(names[:max_objects]) + (" …" if len(names) > max_objects else "")
            src, dst = _ident(dep.version), _ident(f.migration.version)
            lines.append(f'    m{src} -->|"{_label(shown)}"| m{dst}')
    return "\n".join(lines)


def _attr_type(text: str) -> str:
    word = _ident(text.split("(")[0].strip().replace(" ", "_"))
    return word or "unknown"


def _columns(table: Table, keys_only: bool) -> list[str]:
    pk = set(table.primary_key_columns)
    fk = {c for con in table.foreign_keys for c in con.columns}
    out = []
    for col in table.columns:
        marks = [m for m, on in (("PK", col.name in pk), ("FK", col.name in fk)) if on]
        if keys_only and not marks:
            continue
        out.append(f"        {_attr_type(col.type)} {_ident(col.name)} {','.join(marks)}".rstrip())
    return out


def er_diagram(catalog: Catalog, keys_only: bool = False, part: ErPart | None = None) -> str:
    """`erDiagram`: tables (partitions folded into their parent) and their foreign keys; with
    `part`, its tables and, by name only, the tables they reference elsewhere."""
    tables = list(part.tables) if part else [t for t in catalog.tables if not t.is_partition]
    lines = ["erDiagram"]
    for table in tables:
        columns = _columns(table, keys_only)
        if columns:
            lines.append(f"    {_ident(table.display)} {{")
            lines.extend(columns)
            lines.append("    }")
        else:
            lines.append(f"    {_ident(table.display)}")
    lines.extend(f"    {_ident(stub.display)}" for stub in (part.stubs if part else ()))
    hidden = {hub.key for hub in part.hubs} if part else set()
    for table in tables:
        for fk in table.foreign_keys:
            parent = catalog.table(f"{fk.ref_schema or 'public'}.{fk.ref_table}")
            if parent is not None and parent.key in hidden:
                continue
            target = parent.display if parent else str(fk.ref_table)
            optional = any(c.nullable for c in table.columns if c.name in fk.columns)
            left = "|o" if optional else "||"
            lines.append(
                f'    {_ident(target)} {left}--o{{ {_ident(table.display)} : "{_label(fk.name)}"'
            )
    edges = sum(1 for line in lines if "--o{" in line)
    if part and edges * 2 < len(tables):
        lines.insert(1, "    direction LR")  # mostly unlinked tables: a column, not a row
    return "\n".join(lines)


@dataclass(frozen=True, slots=True)
class Diagram:
    title: str  # "" when the schema is one picture
    note: str  # which tables appear by name only
    source: str  # Mermaid


def er_diagrams(catalog: Catalog, keys_only: bool = False, max_tables: int = 12) -> list[Diagram]:
    """The ER model as one diagram per schema, or per part of a big one (er_parts.py)."""
    parts = er_parts(catalog, max_tables)
    schemas = {p.schema for p in parts}
    out = []
    for n, part in enumerate(parts, 1):
        names = [t.name for t in part.tables]
        shown = ", ".join(names[:4]) + (f" and {len(names) - 4} more" if len(names) > 4 else "")
        title = f"Part {n} of {len(parts)}: {shown}" if len(parts) > 1 else ""
        if len(schemas) > 1 and title:
            title = f"{title} (schema {part.schema})"
        notes = []
        if part.hubs:
            hubs = ", ".join(h.display for h in part.hubs)
            notes.append(f"Foreign keys to {hubs} (part 1) are left out of the picture.")
        if part.stubs:
            stubs = ", ".join(s.display for s in part.stubs)
            notes.append(f"Drawn by name only (their columns are in another part): {stubs}.")
        note = " ".join(notes)
        out.append(Diagram(title, note, er_diagram(catalog, keys_only, part)))
    return out
