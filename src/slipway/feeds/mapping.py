"""A feed mapping: which table a feed fills and how its columns map, declared in TOML.

The importer knows nothing about vehicles; everything specific to a feed (target table,
tenant column, identity keys, aliases, validations, lifecycle, import log) lives in a mapping
file such as examples/rylie/feeds/vehicles.toml. `load_mapping` reads and checks one.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from slipway.errors import ConfigError
from slipway.feeds.limits import NO_LIMITS, Limits

if TYPE_CHECKING:
    from slipway.config import Settings

KINDS = ("text", "vin", "int", "year", "number", "list")
_IDENT = re.compile(r"^[a-z_][a-z0-9_]*$")
_NOT_ALNUM = re.compile(r"[^0-9a-z]+")


def normalize(header: str) -> str:
    """Header cells compare case-insensitively, ignoring spaces, underscores and punctuation."""
    return _NOT_ALNUM.sub("", header.strip().lower())


@dataclass(frozen=True)
class ColumnSpec:
    """One target column: the feed headers that fill it and how its values are checked."""

    name: str
    aliases: tuple[str, ...]
    kind: str = "text"
    required: bool = False
    fallback: str | None = None  # target column whose feed value fills this one when empty
    min: float | None = None
    max: float | None = None
    max_ahead: int | None = None  # year: latest accepted = current year + max_ahead
    separator: str = ","


@dataclass(frozen=True)
class Lifecycle:
    """What a full feed does to rows missing from it, and to rows that come back."""

    active_column: str
    status_column: str | None = None
    active_status: str = "active"
    missing_status: str = "inactive"
    stamp_columns: tuple[str, ...] = ()  # set to now() when missing, cleared when back
    first_seen_column: str | None = None  # set to now() when a row is first added


@dataclass(frozen=True)
class LogSpec:
    """The import log table; `columns` maps each statistic to its column name."""

    table: str
    columns: dict[str, str] = field(default_factory=dict)


LOG_FIELDS = (
    "tenant", "source_file", "started_at", "finished_at", "added", "updated", "unchanged",
    "deactivated", "errors", "error_report", "full_feed",
)  # fmt: skip


@dataclass(frozen=True)
class FeedMapping:
    name: str
    source: Path
    table: str
    tenant_column: str
    identity: tuple[str, ...]
    columns: tuple[ColumnSpec, ...]
    tenant_setting: str | None = None
    extra_column: str | None = None
    lifecycle: Lifecycle | None = None
    log: LogSpec | None = None
    limits: Limits = NO_LIMITS

    def column(self, name: str) -> ColumnSpec:
        return next(c for c in self.columns if c.name == name)

    def target_columns(self) -> list[str]:
        """Every column of the target table the mapping refers to (checked against the DB)."""
        names = [self.tenant_column, *(c.name for c in self.columns)]
        if self.extra_column:
            names.append(self.extra_column)
        if self.lifecycle:
            lc = self.lifecycle
            names += [lc.active_column, *lc.stamp_columns]
            names += [n for n in (lc.status_column, lc.first_seen_column) if n]
        return list(dict.fromkeys(names))


def load_mapping(path: Path) -> FeedMapping:
    """Read and check a mapping file; every mistake is a ConfigError naming the file."""
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"cannot read feed mapping {path}: {exc.strerror}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"feed mapping {path}: invalid TOML: {exc}") from exc
    try:
        return _build(path, raw)
    except (KeyError, TypeError, ValueError) as exc:
        raise ConfigError(f"feed mapping {path}: {exc}") from exc


def _ident(value: Any, what: str) -> str:
    if not isinstance(value, str) or not _IDENT.match(value.split(".")[-1]):
        raise ValueError(f"{what} must be a lower-case SQL name, not {value!r}")
    return value


def _build(path: Path, raw: dict[str, Any]) -> FeedMapping:
    target = raw["target"]
    columns = tuple(_column(name, spec) for name, spec in raw["columns"].items())
    names = {c.name for c in columns}
    identity = tuple(_ident(k, "identity key") for k in target["identity"])
    if not identity or any(k not in names for k in identity):
        raise ValueError("target.identity must list columns declared under [columns]")
    for col in columns:
        if col.fallback and col.fallback not in names:
            raise ValueError(f"columns.{col.name}.fallback names undeclared column {col.fallback}")
    extra = target.get("extra_column")
    return FeedMapping(
        name=str(raw.get("feed", {}).get("name", path.stem)),
        source=path,
        table=_ident(target["table"], "target.table"),
        tenant_column=_ident(target["tenant_column"], "target.tenant_column"),
        identity=identity,
        columns=columns,
        tenant_setting=target.get("tenant_setting"),
        extra_column=_ident(extra, "target.extra_column") if extra else None,
        lifecycle=_lifecycle(raw["lifecycle"]) if "lifecycle" in raw else None,
        log=_log(raw["log"]) if "log" in raw else None,
        limits=_limits(raw.get("feed", {})),
    )


def _limits(spec: dict[str, Any]) -> Limits:
    """`[feed] max_line_length` / `max_field_length`: characters, a positive whole number."""
    values = {}
    for key, attr in (("max_line_length", "max_line"), ("max_field_length", "max_field")):
        value = spec.get(key, getattr(NO_LIMITS, attr))
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ValueError(
                f"feed.{key} must be a positive whole number of characters, not {value!r}"
            )
        values[attr] = value
    return Limits(**values)


def _column(name: str, spec: dict[str, Any]) -> ColumnSpec:
    _ident(name, "column name")
    kind = str(spec.get("type", "text"))
    if kind not in KINDS:
        raise ValueError(f"columns.{name}.type must be one of {', '.join(KINDS)}, not {kind!r}")
    aliases = tuple(str(a) for a in spec.get("aliases", []))
    return ColumnSpec(
        name=name,
        aliases=aliases or (name,),
        kind=kind,
        required=bool(spec.get("required", False)),
        fallback=spec.get("fallback"),
        min=float(spec["min"]) if "min" in spec else None,
        max=float(spec["max"]) if "max" in spec else None,
        max_ahead=int(spec["max_ahead"]) if "max_ahead" in spec else None,
        separator=str(spec.get("separator", ",")),
    )


def _lifecycle(spec: dict[str, Any]) -> Lifecycle:
    status = spec.get("status_column")
    first_seen = spec.get("first_seen_column")
    return Lifecycle(
        active_column=_ident(spec["active_column"], "lifecycle.active_column"),
        status_column=_ident(status, "lifecycle.status_column") if status else None,
        active_status=str(spec.get("active_status", "active")),
        missing_status=str(spec.get("missing_status", "inactive")),
        stamp_columns=tuple(
            _ident(c, "lifecycle.stamp_columns") for c in spec.get("stamp_columns", [])
        ),
        first_seen_column=_ident(first_seen, "lifecycle.first_seen_column") if first_seen else None,
    )


def _log(spec: dict[str, Any]) -> LogSpec:
    columns = {f: f for f in LOG_FIELDS}
    for key, value in spec.get("columns", {}).items():
        if key not in LOG_FIELDS:
            raise ValueError(f"log.columns.{key} is not one of {', '.join(LOG_FIELDS)}")
        columns[key] = _ident(value, f"log.columns.{key}")
    return LogSpec(table=_ident(spec["table"], "log.table"), columns=columns)


def feeds_dir(cfg: Settings) -> Path:
    """[feeds] directory in slipway.toml (relative to it), else ./feeds."""
    base = cfg.config_file.parent if cfg.config_file else cfg.project_dir
    return base / cfg.config.feeds.directory


def find_mapping(name_or_path: str, feeds_dir: Path) -> Path:
    """A mapping given as a path, or by name in the project's feeds folder."""
    given = Path(name_or_path)
    if given.suffix == ".toml" or given.is_file():
        if not given.is_file():
            raise ConfigError(f"feed mapping {given} does not exist")
        return given
    candidate = feeds_dir / f"{name_or_path}.toml"
    if candidate.is_file():
        return candidate
    known = sorted(p.stem for p in feeds_dir.glob("*.toml")) if feeds_dir.is_dir() else []
    listing = f"known: {', '.join(known)}" if known else f"{feeds_dir} has no *.toml mappings"
    raise ConfigError(
        f"no feed mapping named {name_or_path!r} in {feeds_dir} ({listing})",
        hint="pass a path to a .toml mapping or set [feeds] directory in slipway.toml",
    )
