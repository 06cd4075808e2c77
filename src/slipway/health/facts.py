"""Facts: what the checks read (the model; slipway.health.gather fills it).

Each fact is one SQL file in queries/ run once for the whole database (never once per table).
A fact the role may not read (a view that needs pg_read_all_stats, say) is recorded with a note
and left empty, so the checks that use it degrade instead of failing. Statistics (sizes, row
estimates, scans, dead rows, vacuum and analyze times, ages, cache hits) are not facts of their
own: they are the one statistics model, `slipway.catalog.stats.Statistics`, read by the
"stats" fact into `Facts.stats`. Tables (partitions included) with their constraints (foreign
keys too), indexes and policies, views and materialized views are the Catalog's, read by the
"catalog" fact into `Facts.catalog`; checks key tables by (schema, name), never by oid.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from slipway.catalog.model import Catalog, Constraint, Index, MatView, Table, View
from slipway.catalog.stats import Statistics, TableStats
from slipway.config import Settings
from slipway.config_schema import DoctorSection

Row = dict[str, Any]


# When a number turns into a warning: [doctor] of slipway.toml, declared in the config schema.
Thresholds = DoctorSection


@dataclass
class Facts:
    """Query results by fact name, plus non-SQL facts (migrations, CRUD, load) in `extra`."""

    settings: Settings
    thresholds: Thresholds = field(default_factory=Thresholds)
    rows: dict[str, list[Row]] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)
    stats: Statistics = field(default_factory=Statistics)
    # The "catalog" fact: tables, partitions, views and materialized views with their
    # constraints, indexes and policies; sequences, functions, enums and domains (the part
    # of the Catalog the checks and the row generator read; see gather.CATALOG_MEMBERS).
    catalog: Catalog = field(default_factory=Catalog)

    @property
    def tenant_column(self) -> str:
        return self.settings.tenant_column

    def get(self, name: str) -> list[Row]:
        return self.rows.get(name, [])

    def one(self, name: str) -> Row:
        rows = self.get(name)
        return rows[0] if rows else {}

    def table_stats(self, table: Table) -> TableStats:
        """The statistics of a Catalog table (all zero when they could not be read)."""
        found = self.stats.table(table.schema, table.name)
        return found or TableStats(table.schema, table.name)

    def foreign_keys(self) -> list[tuple[Table, Constraint]]:
        """The Catalog's foreign keys, by table then name; a partition's copies of its
        parent's foreign keys are the parent's."""
        return [
            (t, fk)
            for t, fk in self.catalog.foreign_keys()
            if not t.is_partition and not fk.inherited
        ]

    def relations(self) -> list[Table | View | MatView]:
        """The Catalog's tables (partitions included), views and materialized views, by name."""
        catalog = self.catalog
        rels: list[Table | View | MatView] = [*catalog.tables, *catalog.views, *catalog.matviews]
        return sorted(rels, key=lambda r: (r.schema, r.name))

    def indexes(self) -> list[tuple[Table | MatView, Index]]:
        """Every index of the Catalog's tables and materialized views, by relation then name."""
        return [(r, ix) for r in self.relations() if not isinstance(r, View) for ix in r.indexes]

    def tenant_tables(self) -> list[Table]:
        """The Catalog's tables carrying the tenant column (partitions are covered by their
        parent)."""
        return [t for t in self.catalog.tables if self.has_tenant_column(t) and not t.is_partition]

    def has_tenant_column(self, table: Table) -> bool:
        return table.column(self.tenant_column) is not None


def query_text(name: str) -> str:
    return resources.files("slipway.health").joinpath(f"queries/{name}.sql").read_text("utf-8")


def qualified(row: Row, schema: str = "schema", name: str = "name") -> str:
    return f"{row[schema]}.{row[name]}"
