"""Schema documentation as data, built from one Catalog (live introspection or a snapshot).

Pure: a Catalog in, a Docs model out; the docs.md.j2 template renders it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from slipway.catalog.model import (
    Catalog,
    Constraint,
    EnumType,
    Function,
    MatView,
    Sequence,
    Table,
    View,
)
from slipway.guide.mermaid import Diagram, er_diagrams

CONSTRAINT_TYPES = {
    "p": "PRIMARY KEY",
    "u": "UNIQUE",
    "f": "FOREIGN KEY",
    "c": "CHECK",
    "x": "EXCLUDE",
    "t": "CONSTRAINT TRIGGER",
}


@dataclass(frozen=True, slots=True)
class Reference:
    table: str
    constraint: str
    columns: str
    ref_columns: str


@dataclass
class TableDoc:
    table: Table
    partitions: list[Table] = field(default_factory=list)
    referenced_by: list[Reference] = field(default_factory=list)

    @property
    def kind(self) -> str:
        return "partitioned table" if self.table.is_partitioned else "table"


@dataclass
class Docs:
    title: str
    generated: str
    server_version: str
    counts: list[tuple[str, int]]
    tables: list[TableDoc]
    views: list[View]
    matviews: list[MatView]
    functions: list[Function]
    enums: list[EnumType]
    sequences: list[Sequence]
    er_diagrams: list[Diagram]
    extensions: list[str]
    domains: list[str]


def constraint_type(con: Constraint) -> str:
    return CONSTRAINT_TYPES.get(con.type, con.type)


def _version(number: int) -> str:
    if not number:
        return "unknown"
    return f"{number // 10000}.{number % 10000}" if number >= 100000 else str(number)


def _referenced_by(catalog: Catalog, table: Table) -> list[Reference]:
    out = []
    for child, fk in catalog.referencing(table):
        if child.is_partition:
            continue  # the parent's foreign key is listed once, not per partition
        out.append(
            Reference(child.display, fk.name, ", ".join(fk.columns), ", ".join(fk.ref_columns))
        )
    return sorted(out, key=lambda r: (r.table, r.constraint))


def build_docs(catalog: Catalog, title: str = "Schema", generated: str = "") -> Docs:
    tables = [
        TableDoc(t, list(catalog.partitions(t)), _referenced_by(catalog, t))
        for t in catalog.tables
        if t.parent is None or catalog.table(".".join(t.parent)) is None
    ]
    counts = [
        ("Schemas", len(catalog.schemas)),
        ("Tables", len(tables)),
        ("Partitions", sum(t.is_partition for t in catalog.tables)),
        ("Views", len(catalog.views)),
        ("Materialized views", len(catalog.matviews)),
        ("Functions", len(catalog.functions)),
        ("Enum types", len(catalog.enums)),
        ("Sequences", len(catalog.sequences)),
    ]
    return Docs(
        title=title,
        generated=generated,
        server_version=_version(catalog.server_version),
        counts=counts,
        tables=tables,
        views=list(catalog.views),
        matviews=list(catalog.matviews),
        functions=list(catalog.functions),
        enums=list(catalog.enums),
        sequences=list(catalog.sequences),
        er_diagrams=er_diagrams(catalog),
        extensions=[f"{e.name} {e.version}".strip() for e in catalog.extensions],
        domains=[f"{d.schema}.{d.name}: {d.base_type}" for d in catalog.domains],
    )
