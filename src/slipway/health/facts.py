"""Facts: what the checks read (the model; slipway.health.gather fills it).

Each fact is one SQL file in queries/ run once for the whole database (never once per table).
A fact the role may not read (a view that needs pg_read_all_stats, say) is recorded with a note
and left empty, so the checks that use it degrade instead of failing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from slipway.config import Settings

Row = dict[str, Any]


@dataclass(frozen=True)
class Thresholds:
    """When a number turns into a warning; override any of them in [doctor] of slipway.toml."""

    unused_index_min_reads: int = 100
    cache_hit_warn: float = 0.95
    cache_hit_fail: float = 0.80
    cache_min_blocks: int = 10_000
    seq_scan_min: int = 20
    seq_scan_min_rows: int = 1_000
    bloat_dead_ratio: float = 0.2
    bloat_min_dead: int = 1_000
    stale_days: float = 7.0
    xid_age_warn: int = 500_000_000
    xid_age_fail: int = 1_500_000_000
    sequence_warn: float = 0.75
    sequence_fail: float = 0.90
    connections_warn: float = 0.80
    connections_fail: float = 0.95
    partitions_ahead: int = 2
    idle_in_transaction_seconds: float = 300.0
    long_transaction_seconds: float = 3600.0
    slot_retained_bytes: int = 1 << 30
    matview_max_age_hours: float = 48.0

    @classmethod
    def from_settings(cls, settings: Settings) -> Thresholds:
        from slipway.errors import ConfigError

        section = settings.section("doctor")
        known = cls.__dataclass_fields__
        values: dict[str, Any] = {}
        for key, value in section.items():
            if key not in known:
                continue  # other doctor options (pool, load) live in the same section
            try:
                values[key] = type(getattr(cls(), key))(value)
            except (TypeError, ValueError) as exc:
                raise ConfigError(f"[doctor] {key} = {value!r} is not a number") from exc
        return cls(**values)


@dataclass
class Facts:
    """Query results by fact name, plus non-SQL facts (migrations, CRUD, load) in `extra`."""

    settings: Settings
    thresholds: Thresholds = field(default_factory=Thresholds)
    rows: dict[str, list[Row]] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def tenant_column(self) -> str:
        return self.settings.tenant_column

    def get(self, name: str) -> list[Row]:
        return self.rows.get(name, [])

    def one(self, name: str) -> Row:
        rows = self.get(name)
        return rows[0] if rows else {}

    def tables_by_oid(self) -> dict[int, Row]:
        return {int(t["oid"]): t for t in self.get("tables")}

    def tenant_tables(self) -> list[Row]:
        """Tables carrying the tenant column (partitions are covered by their parent)."""
        return [t for t in self.get("tables") if t["has_tenant_column"] and not t["is_partition"]]


def query_text(name: str) -> str:
    return resources.files("slipway.health").joinpath(f"queries/{name}.sql").read_text("utf-8")


def qualified(row: Row, schema: str = "schema", name: str = "name") -> str:
    return f"{row[schema]}.{row[name]}"
