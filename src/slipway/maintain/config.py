"""The [maintain] section of slipway.toml, read into frozen rules.

[maintain]
lock_timeout = "3s"          # per DDL attempt (default: [migrations] lock_timeout)
lock_retries = 5
runs_table = "slipway_maintenance_runs"
archive_schema = "archive"   # optional: detached partitions move here, every grant revoked

[[maintain.partitions]]
table = "messages"  interval = "month"  ahead = 3
retention = "12 months"  retention_mode = "drop"  schedule = "daily"

[[maintain.views]]
name = "message_feedback_summary"  schedule = "daily"

[maintain.stats]
analyze_threshold = 0.1  vacuum_threshold = 0.2  min_rows = 50  schedule = "weekly"

[[maintain.cleanup]]
table = "appointments_cache"  where = "expires_at < now()"  batch = 5000  schedule = "daily"
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from slipway.config import Settings, parse_duration
from slipway.errors import ConfigError

SCHEDULES = ("hourly", "daily", "weekly", "monthly")
SCHEDULE_PERIOD = {
    "hourly": timedelta(hours=1),
    "daily": timedelta(days=1),
    "weekly": timedelta(days=7),
    "monthly": timedelta(days=30),
}
TIME_INTERVALS = ("day", "week", "month", "year")
_RETENTION = re.compile(r"^\s*(\d+)\s*(day|week|month|year)s?\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class Retention:
    """How far back partitions are kept: `count` units of `unit` (or key values for integers)."""

    count: int
    unit: str  # day | week | month | year | value

    def __str__(self) -> str:
        return f"{self.count} {self.unit}s" if self.unit != "value" else str(self.count)


@dataclass(frozen=True)
class PartitionRule:
    table: str
    interval: str | int  # day | week | month | year, or the width of an integer range
    ahead: int = 3
    retention: Retention | None = None
    retention_mode: str = "drop"  # drop | detach
    schedule: str = "daily"
    timezone: str = "UTC"  # where day/month boundaries fall for timestamptz keys
    start: int = 0  # first integer range when an integer-partitioned table is empty
    name: str | None = None  # partition name pattern: strftime codes, {table}, {lo}

    @property
    def target(self) -> str:
        return self.table


@dataclass(frozen=True)
class ViewRule:
    name: str
    schedule: str = "daily"
    concurrently: bool | None = None  # None: whenever a unique index allows it

    @property
    def target(self) -> str:
        return self.name


@dataclass(frozen=True)
class StatsRule:
    analyze_threshold: float = 0.1  # n_mod_since_analyze / reltuples
    vacuum_threshold: float = 0.2  # n_dead_tup / (n_live_tup + n_dead_tup)
    min_rows: int = 50  # ignore tables with fewer changed/dead rows than this
    schedule: str = "weekly"
    schemas: tuple[str, ...] = ("public",)
    tables: tuple[str, ...] = ()  # empty: every table in `schemas`

    @property
    def target(self) -> str:
        return "*"


@dataclass(frozen=True)
class CleanupRule:
    table: str
    where: str
    batch: int = 5000
    schedule: str = "daily"
    max_batches: int | None = None  # stop after this many (the rest waits for the next run)

    @property
    def target(self) -> str:
        return self.table


@dataclass(frozen=True)
class MaintainConfig:
    partitions: tuple[PartitionRule, ...] = ()
    views: tuple[ViewRule, ...] = ()
    stats: StatsRule | None = None
    cleanup: tuple[CleanupRule, ...] = ()
    lock_timeout: float = 5.0
    lock_retries: int = 5
    runs_table: str = "slipway_maintenance_runs"
    archive_schema: str | None = None  # detached partitions move here, readable by no app role
    extra: dict[str, Any] = field(default_factory=dict)


def load_maintain_config(settings: Settings) -> MaintainConfig:
    """[maintain] from the settings' config file; an absent section is an empty config."""
    return parse_maintain(
        settings.section("maintain"),
        default_lock_timeout=settings.lock_timeout,
        default_retries=settings.lock_retries,
    )


def parse_maintain(
    raw: dict[str, Any], default_lock_timeout: float = 5.0, default_retries: int = 5
) -> MaintainConfig:
    stats_raw = raw.get("stats")
    return MaintainConfig(
        partitions=tuple(_partition(r) for r in _list(raw, "partitions")),
        views=tuple(_view(r) for r in _list(raw, "views")),
        stats=_stats(stats_raw) if isinstance(stats_raw, dict) else None,
        cleanup=tuple(_cleanup(r) for r in _list(raw, "cleanup")),
        lock_timeout=parse_duration(raw.get("lock_timeout", default_lock_timeout), "lock_timeout"),
        lock_retries=int(raw.get("lock_retries", default_retries)),
        runs_table=str(raw.get("runs_table", "slipway_maintenance_runs")),
        archive_schema=_archive_schema(raw.get("archive_schema")),
    )


def _archive_schema(value: Any) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip() or "\x00" in value:
        raise ConfigError("[maintain] archive_schema must be a schema name (a non-empty string)")
    return value


def _list(raw: dict[str, Any], key: str) -> list[dict[str, Any]]:
    value = raw.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise ConfigError(f"[maintain] {key} must be a list of tables ([[maintain.{key}]])")
    return value


def _schedule(value: Any, default: str, where: str) -> str:
    text = str(value or default).lower()
    if text not in SCHEDULES:
        raise ConfigError(f"{where}: schedule {value!r} must be one of {', '.join(SCHEDULES)}")
    return text


def _required(rule: dict[str, Any], key: str, where: str) -> str:
    value = rule.get(key)
    if not value or not isinstance(value, str):
        raise ConfigError(f"{where}: '{key}' is required (a non-empty string)")
    return value


def _partition(rule: dict[str, Any]) -> PartitionRule:
    table = _required(rule, "table", "[[maintain.partitions]]")
    where = f"[[maintain.partitions]] {table}"
    interval: str | int = rule.get("interval", "month")
    if isinstance(interval, str):
        interval = interval.lower()
        if interval not in TIME_INTERVALS:
            raise ConfigError(
                f"{where}: interval {interval!r} must be day, week, month, year or an integer width"
            )
    elif not isinstance(interval, int) or interval <= 0:
        raise ConfigError(f"{where}: an integer interval must be a positive number")
    mode = str(rule.get("retention_mode", "drop")).lower()
    if mode not in ("drop", "detach"):
        raise ConfigError(f"{where}: retention_mode must be 'drop' or 'detach'")
    ahead = int(rule.get("ahead", 3))
    if ahead < 0:
        raise ConfigError(f"{where}: ahead must be 0 or more")
    return PartitionRule(
        table=table,
        interval=interval,
        ahead=ahead,
        retention=_retention(rule.get("retention"), interval, where),
        retention_mode=mode,
        schedule=_schedule(rule.get("schedule"), "daily", where),
        timezone=str(rule.get("timezone", "UTC")),
        start=int(rule.get("start", 0)),
        name=_name_pattern(rule.get("name"), where),
    )


def _name_pattern(value: Any, where: str) -> str | None:
    if value is None:
        return None
    if (
        not isinstance(value, str)
        or "{table}" not in value
        or not ("%" in value or "{lo}" in value)
    ):
        raise ConfigError(
            f"{where}: name must contain {{table}} and strftime codes, e.g."
            ' "{table}_%Y_%m" (or {lo} for integer ranges)'
        )
    return value


def _retention(value: Any, interval: str | int, where: str) -> Retention | None:
    if value is None or value == "":
        return None
    if isinstance(interval, int):
        if not isinstance(value, int) or value <= 0:
            raise ConfigError(f"{where}: retention for an integer key is a positive number")
        return Retention(value, "value")
    match = _RETENTION.match(str(value))
    if not match or int(match.group(1)) <= 0:
        raise ConfigError(f"{where}: retention {value!r} must look like '12 months' or '90 days'")
    return Retention(int(match.group(1)), match.group(2).lower())


def _view(rule: dict[str, Any]) -> ViewRule:
    name = _required(rule, "name", "[[maintain.views]]")
    conc = rule.get("concurrently")
    return ViewRule(
        name=name,
        schedule=_schedule(rule.get("schedule"), "daily", f"[[maintain.views]] {name}"),
        concurrently=None if conc is None else bool(conc),
    )


def _stats(rule: dict[str, Any]) -> StatsRule:
    where = "[maintain.stats]"
    analyze = float(rule.get("analyze_threshold", 0.1))
    vacuum = float(rule.get("vacuum_threshold", 0.2))
    if not (0 < analyze <= 10 and 0 < vacuum <= 1):
        raise ConfigError(f"{where}: thresholds are fractions (analyze 0-10, vacuum 0-1)")
    return StatsRule(
        analyze_threshold=analyze,
        vacuum_threshold=vacuum,
        min_rows=int(rule.get("min_rows", 50)),
        schedule=_schedule(rule.get("schedule"), "weekly", where),
        schemas=tuple(rule.get("schemas", ("public",))),
        tables=tuple(rule.get("tables", ())),
    )


def _cleanup(rule: dict[str, Any]) -> CleanupRule:
    table = _required(rule, "table", "[[maintain.cleanup]]")
    where = f"[[maintain.cleanup]] {table}"
    batch = int(rule.get("batch", 5000))
    if batch <= 0:
        raise ConfigError(f"{where}: batch must be a positive number of rows")
    max_batches = rule.get("max_batches")
    return CleanupRule(
        table=table,
        where=_required(rule, "where", where),
        batch=batch,
        schedule=_schedule(rule.get("schedule"), "daily", where),
        max_batches=int(max_batches) if max_batches is not None else None,
    )
