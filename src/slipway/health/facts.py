"""Facts: what the checks read (the model; slipway.health.gather fills it).

Each fact is one SQL file in queries/ run once for the whole database (never once per table).
A fact the role may not read (a view that needs pg_read_all_stats, say) is recorded with a note
and left empty, so the checks that use it degrade instead of failing. Statistics (sizes, row
estimates, scans, dead rows, vacuum and analyze times, ages, cache hits) are not facts of their
own: they are the one statistics model, `slipway.catalog.stats.Statistics`, read by the
"stats" fact into `Facts.stats`. Partitions and materialized views are the Catalog's, read by
the "catalog" fact into `Facts.catalog`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from slipway.catalog.model import Catalog
from slipway.catalog.stats import IndexStats, Statistics, TableStats
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
    # The "catalog" fact: partitioned tables with their partitions, and materialized views
    # (the part of the Catalog the checks read so far).
    catalog: Catalog = field(default_factory=Catalog)

    @property
    def tenant_column(self) -> str:
        return self.settings.tenant_column

    def get(self, name: str) -> list[Row]:
        return self.rows.get(name, [])

    def one(self, name: str) -> Row:
        rows = self.get(name)
        return rows[0] if rows else {}

    def table_stats(self, row: Row) -> TableStats:
        """The statistics of a `tables` row (all zero when they could not be read)."""
        found = self.stats.table(row["schema"], row["name"])
        return found or TableStats(row["schema"], row["name"])

    def index_stats(self, row: Row) -> IndexStats | None:
        """The statistics of an `indexes` row; None when they could not be read."""
        return self.stats.index(row["schema"], row["name"])

    def tables_by_oid(self) -> dict[int, Row]:
        return {int(t["oid"]): t for t in self.get("tables")}

    def tenant_tables(self) -> list[Row]:
        """Tables carrying the tenant column (partitions are covered by their parent)."""
        return [t for t in self.get("tables") if t["has_tenant_column"] and not t["is_partition"]]


def query_text(name: str) -> str:
    return resources.files("slipway.health").joinpath(f"queries/{name}.sql").read_text("utf-8")


def qualified(row: Row, schema: str = "schema", name: str = "name") -> str:
    return f"{row[schema]}.{row[name]}"
