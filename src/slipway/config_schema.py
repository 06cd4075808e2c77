"""slipway.toml (or [tool.slipway] in pyproject.toml) declared as one typed schema.

Every section and key any feature reads is declared here with its type, default and limits;
an unknown key is an error (config_errors names the closest known one). Features read these
validated values and never check them again. TOML values are typed, so the models are strict:
`lock_retries = "5"` is refused like `lock_retries = "abc"`; arrays are read as tuples.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator, model_validator

from slipway.config_values import DEFAULT_TABLE, parse_duration
from slipway.errors import ConfigError
from slipway.sql.quote import NAME_BYTES, split_qualified


class _Model(BaseModel):
    # Schemas are built on first validation: a project without a config file only needs
    # the defaults (model_construct), so it does not pay for building them.
    model_config = ConfigDict(strict=True, extra="forbid", frozen=True, defer_build=True)


def _duration(value: object) -> float:
    number = None
    if isinstance(value, str | int | float) and not isinstance(value, bool):
        try:
            number = parse_duration(value)
        except ConfigError:
            pass
    if number is None:
        raise ValueError("expected a duration like 2s, 500ms or 1m")
    if number < 0:
        raise ValueError("must not be negative")
    return number


def _lock_timeout(value: object) -> float:
    number = _duration(value)
    if number < 0.001:  # PostgreSQL reads 0 as "wait forever", the opposite of a timeout
        raise ValueError("must be at least 1ms (0 would mean waiting forever)")
    return number


def _qualified(value: object) -> object:
    """`table` or `schema.table`, exactly as PostgreSQL keeps it (see sql.quote.split_qualified)."""
    if isinstance(value, str):
        try:
            split_qualified(value)
        except ValueError as exc:
            raise ValueError(f"table name {exc}") from exc
    return value


def _name(value: object) -> object:
    """One identifier: not empty, no NUL, no longer than PostgreSQL keeps."""
    if isinstance(value, str):
        if not value.strip():
            raise ValueError("must not be empty")
        if "\x00" in value:
            raise ValueError("contains a NUL character")
        if len(value.encode("utf-8")) > NAME_BYTES:
            raise ValueError(f"is longer than {NAME_BYTES} bytes")
    return value


def _relation(value: object) -> object:
    """A relation as SQL writes it (`"Audit Log"`, `public.events`), resolved by to_regclass."""
    if isinstance(value, str):
        if not value.strip():
            raise ValueError("must not be empty")
        if "\x00" in value:
            raise ValueError("contains a NUL character")
    return value


def _lower(value: object) -> object:
    return value.lower() if isinstance(value, str) else value


def _one_or_many(value: object) -> object:
    """A single string where a list is expected means a list of one."""
    return (
        (value,) if isinstance(value, str) else tuple(value) if isinstance(value, list) else value
    )


def _text(value: object) -> object:
    if isinstance(value, str) and not value.strip():
        raise ValueError("must not be empty")
    return value


Duration = Annotated[float, BeforeValidator(_duration)]
LockTimeout = Annotated[float, BeforeValidator(_lock_timeout)]
QualifiedName = Annotated[str, BeforeValidator(_qualified)]
Relation = Annotated[str, BeforeValidator(_relation)]
Name = Annotated[str, BeforeValidator(_name)]
Text = Annotated[str, BeforeValidator(_text)]
Count = Annotated[int, Field(ge=0)]
Positive = Annotated[int, Field(gt=0)]
Schedule = Annotated[Literal["hourly", "daily", "weekly", "monthly"], BeforeValidator(_lower)]
Names = Annotated[tuple[Name, ...], BeforeValidator(_one_or_many)]


class DatabaseSection(_Model):
    url: Text | None = None  # ${VAR} is expanded when the url is used


class MigrationsSection(_Model):
    directory: Text = "migrations"
    table: QualifiedName = DEFAULT_TABLE
    lock_timeout: LockTimeout = 5.0
    lock_retries: Count = 5
    lock_wait: Duration = 60.0
    # Wait for every migration's commit to reach disk, not only the last one's (see runner).
    flush_each_migration: bool = False

    @field_validator("table")
    @classmethod
    def _log_fits(cls, value: str) -> str:
        try:
            split_qualified(value + "_log")  # its run log must fit PostgreSQL's name length too
        except ValueError as exc:
            raise ValueError(f"table name {exc} once '_log' is added for its run log") from exc
        return value


class TenancySection(_Model):
    column: Name = "dealership_id"
    setting: Text | None = None  # default: app.current_<column>
    role: Name | None = None


class LintSection(_Model):
    disable: Names = ()  # rule names or codes; lint.config resolves them against its registry
    enable: Names = ()
    severity: dict[str, Literal["error", "warning", "info"]] = Field(
        default_factory=dict, strict=False
    )


class PoolSection(_Model):
    min_size: Count = 1
    max_size: Positive = 2
    timeout: Duration = 5.0
    max_idle: Duration = 600.0
    max_lifetime: Duration = 1800.0

    @model_validator(mode="after")
    def _sizes(self) -> PoolSection:
        if self.max_size < self.min_size:
            raise ValueError(f"max_size {self.max_size} must be at least min_size {self.min_size}")
        return self


class FeedsSection(_Model):
    directory: Text = "feeds"


class ProjectSection(_Model):
    name: Text | None = None  # the guide's title; default: the project folder's name


Fraction = Annotated[float, Field(ge=0)]


class DoctorSection(_Model):
    """When a number turns into a warning in the health report; [doctor] overrides any."""

    unused_index_min_reads: Count = 100
    cache_hit_warn: Fraction = 0.95
    cache_hit_fail: Fraction = 0.80
    cache_min_blocks: Count = 10_000
    seq_scan_min: Count = 20
    seq_scan_min_rows: Count = 1_000
    bloat_dead_ratio: Fraction = 0.2
    bloat_min_dead: Count = 1_000
    stale_days: Fraction = 7.0
    xid_age_warn: Count = 500_000_000
    xid_age_fail: Count = 1_500_000_000
    sequence_warn: Fraction = 0.75
    sequence_fail: Fraction = 0.90
    connections_warn: Fraction = 0.80
    connections_fail: Fraction = 0.95
    partitions_ahead: Count = 2
    idle_in_transaction_seconds: Fraction = 300.0
    long_transaction_seconds: Fraction = 3600.0
    slot_retained_bytes: Count = 1 << 30
    matview_max_age_hours: Fraction = 48.0


# [maintain]: the rules slipway maintain runs (maintain.config re-exports them).
TIME_INTERVALS = ("day", "week", "month", "year")
_RETENTION = re.compile(r"^\s*(\d+)\s*(day|week|month|year)s?\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class Retention:
    """How far back partitions are kept: `count` units of `unit` (or key values for integers)."""

    count: int
    unit: str  # day | week | month | year | value

    def __str__(self) -> str:
        return f"{self.count} {self.unit}s" if self.unit != "value" else str(self.count)


def _interval(value: object) -> str | int:
    if isinstance(value, str) and value.lower() in TIME_INTERVALS:
        return value.lower()
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return value
    raise ValueError("expected day, week, month, year or a positive integer width")


def _timezone(value: object) -> object:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    if isinstance(value, str):
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(
                "unknown time zone; use an IANA name like UTC or Europe/Berlin"
            ) from exc
    return value


def _name_pattern(value: object) -> object:
    if isinstance(value, str) and ("{table}" not in value or not ("%" in value or "{lo}" in value)):
        raise ValueError(
            'must contain {table} and strftime codes, e.g. "{table}_%Y_%m"'
            " (or {lo} for integer ranges)"
        )
    return value


class PartitionRule(_Model):
    table: Relation
    interval: Annotated[str | int, BeforeValidator(_interval)] = "month"
    ahead: Count = 3
    retention: Retention | None = None
    retention_mode: Annotated[Literal["drop", "detach"], BeforeValidator(_lower)] = "drop"
    schedule: Schedule = "daily"
    # where day/month boundaries fall for timestamptz keys
    timezone: Annotated[str, BeforeValidator(_timezone)] = "UTC"
    start: int = 0  # first integer range when an integer-partitioned table is empty
    # partition name pattern: strftime codes, {table}, {lo}
    name: Annotated[str | None, BeforeValidator(_name_pattern)] = None

    @field_validator("retention", mode="before")
    @classmethod
    def _retention(cls, value: object, info: Any) -> Retention | None:
        if value is None or value == "":
            return None
        if isinstance(value, Retention):
            return value
        interval = info.data.get("interval", "month")
        if isinstance(interval, int):
            if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
                raise ValueError("for an integer key, expected a positive number of values")
            return Retention(value, "value")
        match = _RETENTION.match(value) if isinstance(value, str) else None
        if not match or int(match.group(1)) <= 0:
            raise ValueError("expected a period like '12 months' or '90 days'")
        return Retention(int(match.group(1)), match.group(2).lower())

    @property
    def target(self) -> str:
        return self.table


class ViewRule(_Model):
    name: Relation
    schedule: Schedule = "daily"
    concurrently: bool | None = None  # None: whenever a unique index allows it

    @property
    def target(self) -> str:
        return self.name


class StatsRule(_Model):
    analyze_threshold: Annotated[float, Field(gt=0, le=10)] = 0.1  # n_mod_since_analyze/reltuples
    vacuum_threshold: Annotated[float, Field(gt=0, le=1)] = 0.2  # n_dead_tup / all tuples
    min_rows: Count = 50  # ignore tables with fewer changed/dead rows than this
    schedule: Schedule = "weekly"
    schemas: Names = ("public",)
    tables: Names = ()  # empty: every table in `schemas`

    @property
    def target(self) -> str:
        return "*"


class CleanupRule(_Model):
    table: Relation
    where: Text
    batch: Positive = 5000
    schedule: Schedule = "daily"
    max_batches: Positive | None = None  # stop after this many (the rest waits for the next run)

    @property
    def target(self) -> str:
        return self.table


def _array(value: object) -> object:
    return tuple(value) if isinstance(value, list) else value


class MaintainSection(_Model):
    partitions: Annotated[tuple[PartitionRule, ...], BeforeValidator(_array)] = ()
    views: Annotated[tuple[ViewRule, ...], BeforeValidator(_array)] = ()
    stats: StatsRule | None = None
    cleanup: Annotated[tuple[CleanupRule, ...], BeforeValidator(_array)] = ()
    lock_timeout: LockTimeout = 5.0  # when not set: [migrations] lock_timeout
    lock_retries: Count = 5  # when not set: [migrations] lock_retries
    runs_table: QualifiedName = "slipway_maintenance_runs"  # created as written, like [migrations]
    archive_schema: Name | None = None  # detached partitions move here, readable by no app role


class ServeSection(_Model):
    """What `slipway serve` samples for the dashboard's charts (serve/sampler.py)."""

    # table: kept in `samples_table` (the one thing serve writes); memory: a ring buffer,
    # lost on restart, never a write; off: no sampling, the charts of samples stay empty.
    samples: Annotated[Literal["table", "memory", "off"], BeforeValidator(_lower)] = "table"
    samples_table: QualifiedName = "slipway_serve_samples"  # created as written, like [migrations]
    sample_interval: Duration = 60.0
    sample_retention: Duration = 7 * 86400.0  # older samples are deleted in batches

    @model_validator(mode="after")
    def _periods(self) -> ServeSection:
        if self.sample_interval < 1:
            raise ValueError("sample_interval must be at least 1s")
        if self.sample_retention < self.sample_interval:
            raise ValueError("sample_retention must be at least sample_interval")
        return self


class SlipwayConfig(_Model):
    """The whole file; every section is optional."""

    database: DatabaseSection = DatabaseSection()
    migrations: MigrationsSection = MigrationsSection()
    tenancy: TenancySection = TenancySection()
    lint: LintSection = LintSection()
    maintain: MaintainSection = MaintainSection()
    pool: PoolSection = PoolSection()
    serve: ServeSection = ServeSection()
    doctor: DoctorSection = DoctorSection()
    feeds: FeedsSection = FeedsSection()
    project: ProjectSection = ProjectSection()
