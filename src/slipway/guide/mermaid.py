"""Mermaid source for the dependency graph and the ER model (text in, text out).

Mermaid renders on GitHub inside ```mermaid fences; slipway never fetches its JavaScript.
Identifiers are reduced to Mermaid-safe words; labels are quoted with `"` escaped.
"""

from __future__ import annotations

import re

from slipway.catalog.model import Catalog, Table
from slipway.guide.deps import MigrationFacts

_UNSAFE = re.compile(r"[^A-Za-z0-9_]")


def _ident(text: str) -> str:
    return _UNSAFE.sub("_", text)


def _label(text: str) -> str:
    return text.replace('"', "#quot;")


def dependency_graph(facts: list[MigrationFacts], max_objects: int = 3) -> str:
    """`flowchart TD`: one node per migration, an arrow from each dependency to its dependent."""
    lines = ["flowchart TD"]
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


def er_diagram(catalog: Catalog, keys_only: bool = False) -> str:
    """`erDiagram`: tables (partitions folded into their parent) and their foreign keys."""
    tables = [t for t in catalog.tables if not t.is_partition]
    lines = ["erDiagram"]
    for table in tables:
        columns = _columns(table, keys_only)
        if columns:
            lines.append(f"    {_ident(table.display)} {{")
            lines.extend(columns)
            lines.append("    }")
        else:
            lines.append(f"    {_ident(table.display)}")
    for table in tables:
        for fk in table.foreign_keys:
            parent = catalog.table(f"{fk.ref_schema or 'public'}.{fk.ref_table}")
            target = parent.display if parent else str(fk.ref_table)
            optional = any(c.nullable for c in table.columns if c.name in fk.columns)
            left = "|o" if optional else "||"
            lines.append(
                f'    {_ident(target)} {left}--o{{ {_ident(table.display)} : "{_label(fk.name)}"'
            )
    return "\n".join(lines)
