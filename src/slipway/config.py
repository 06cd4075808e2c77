"""Settings from flags, the environment and slipway.toml / pyproject.toml.

First match wins for the database: --database-url, DATABASE_URL (the environment, then the
project's .env), the config file's [database] url, libpq's PG* variables (PGHOST, PGUSER,
PGDATABASE, PGSERVICE, ...; also from .env), else the embedded PostgreSQL. The migrations folder: --migrations, config, ./migrations. Other sections
of the config file (lint, maintain, feeds, ...) are kept raw for the features that read them.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from slipway.errors import ConfigError

DEFAULT_TABLE = "slipway_migrations"
_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|min|h)?\s*$")
_UNIT_SECONDS = {"ms": 0.001, "s": 1.0, None: 1.0, "m": 60.0, "min": 60.0, "h": 3600.0}


def parse_duration(text: str | float, what: str = "duration") -> float:
    """'2s', '500ms', '1m', '1.5' (seconds) -> seconds as a float."""
    if isinstance(text, (int, float)):
        return float(text)
    match = _DURATION.match(text)
    if not match:
        raise ConfigError(f"{what} {text!r} is not a duration: write it like 2s, 500ms or 1m")
    return float(match.group(1)) * _UNIT_SECONDS[match.group(2)]


@dataclass(frozen=True)
class Settings:
    """Everything a command needs to know about the project it runs in."""

    project_dir: Path
    migrations_dir: Path
    database_url: str | None
    database_source: str  # flag | DATABASE_URL[ in .env] | <config file> | PG* environment | embedded
    config_file: Path | None = None
    table: str = DEFAULT_TABLE
    lock_timeout: float = 5.0
    lock_retries: int = 5
    lock_wait: float = 60.0
    # Wait for every migration's commit to reach disk, not only the last one's (see runner).
    flush_each_migration: bool = False
    tenant_column: str = "dealership_id"
    raw: dict[str, Any] = field(default_factory=dict)

    def section(self, name: str) -> dict[str, Any]:
        """A top-level table of the config file ({} when absent)."""
        value = self.raw.get(name, {})
        if not isinstance(value, dict):
            raise ConfigError(f"[{name}] in {self.config_file} must be a table")
        return value


def _read_config(project_dir: Path) -> tuple[Path | None, dict[str, Any]]:
    own = project_dir / "slipway.toml"
    if own.is_file():
        return own, _load_toml(own)
    pyproject = project_dir / "pyproject.toml"
    if pyproject.is_file():
        tool = _load_toml(pyproject).get("tool", {}).get("slipway")
        if isinstance(tool, dict):
            return pyproject, tool
    return None, {}


def _load_toml(path: Path) -> dict[str, Any]:
    import tomllib  # only when a config file exists

    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}; fix the file and retry") from exc
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror}") from exc


def load_settings(
    database_url: str | None = None,
    migrations: str | Path | None = None,
    project_dir: Path | None = None,
) -> Settings:
    """Settings for the project in `project_dir` (default: the working directory)."""
    project = (project_dir or Path.cwd()).resolve()
    config_file, raw = _read_config(project)
    base = config_file.parent if config_file else project
    db_section = raw.get("database", {})
    mig_section = raw.get("migrations", {})

    env = _environment(project)
    url, source = database_url, "flag"
    if not url:
        url = env.get("DATABASE_URL") or None
        source = "DATABASE_URL" if os.environ.get("DATABASE_URL") else "DATABASE_URL in .env"
    if not url and isinstance(db_section, dict) and db_section.get("url"):
        url, source = _expand_env(str(db_section["url"])), config_file.name if config_file else ""
    if not url:
        url, source = _libpq_environment(env), "PG* environment"
    if not url:
        source = "embedded"

    if migrations is not None:
        mig_dir = Path(migrations)
        mig_dir = mig_dir if mig_dir.is_absolute() else Path.cwd() / mig_dir
    elif mig_section.get("directory"):
        mig_dir = base / str(mig_section["directory"])
    else:
        mig_dir = project / "migrations"

    return Settings(
        project_dir=project,
        migrations_dir=mig_dir.resolve(),
        database_url=url,
        database_source=source,
        config_file=config_file,
        table=_history_table(mig_section, config_file),
        lock_timeout=parse_duration(mig_section.get("lock_timeout", "5s"), "lock_timeout"),
        lock_retries=int(mig_section.get("lock_retries", 5)),
        lock_wait=parse_duration(mig_section.get("lock_wait", "60s"), "lock_wait"),
        flush_each_migration=_flag(mig_section, "flush_each_migration", config_file),
        tenant_column=str(raw.get("tenancy", {}).get("column", "dealership_id")),
        raw=raw,
    )


POOL_DEFAULTS: dict[str, float] = {
    "min_size": 1, "max_size": 2, "timeout": 5.0, "max_idle": 600.0, "max_lifetime": 1800.0,
}  # fmt: skip


def pool_settings(settings: Settings) -> dict[str, float]:
    """The connection pool `slipway serve` opens: [pool] of the config over POOL_DEFAULTS
    (the health report's pool check reads the same values)."""
    merged = dict(POOL_DEFAULTS)
    for key, value in settings.section("pool").items():
        if key not in merged:
            raise ConfigError(
                f"[pool] {key} in {settings.config_file} is not a pool setting "
                f"(known: {', '.join(POOL_DEFAULTS)})"
            )
        if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
            raise ConfigError(f"[pool] {key} in {settings.config_file} must be a number >= 0")
        merged[key] = value
    if merged["max_size"] < max(merged["min_size"], 1):
        raise ConfigError(f"[pool] max_size in {settings.config_file} must be at least "
                          "min_size and at least 1")
    return merged


def _history_table(section: dict[str, Any], config_file: Path | None) -> str:
    """[migrations] table, refused at load time unless PostgreSQL keeps it exactly as written
    (it is created, looked up and locked by that one spelling)."""
    from slipway.sqltext import split_qualified

    value = section.get("table", DEFAULT_TABLE)
    if not isinstance(value, str):
        raise ConfigError(f"{config_file}: [migrations] table must be a string, not {value!r}")
    try:
        split_qualified(value)
        split_qualified(value + "_log")  # its run log must fit PostgreSQL's name length too
    except ValueError as exc:
        raise ConfigError(f"{config_file}: [migrations] table {value!r} {exc}") from exc
    return value


# libpq's environment variables that name a server, and their conninfo keywords. With any of
# them set, that server is the one meant (libpq itself still reads PGPASSWORD, ~/.pgpass,
# pg_service.conf and the other PG* variables when it connects).
_LIBPQ_TARGET = {
    "PGSERVICE": "service", "PGHOST": "host", "PGHOSTADDR": "hostaddr", "PGPORT": "port",
    "PGDATABASE": "dbname", "PGUSER": "user",
}  # fmt: skip
# Read from a .env file too, where libpq cannot see them.
_LIBPQ_EXTRA = {
    "PGPASSWORD": "password", "PGSSLMODE": "sslmode", "PGOPTIONS": "options",
    "PGCONNECT_TIMEOUT": "connect_timeout", "PGSSLROOTCERT": "sslrootcert", "PGPASSFILE": "passfile",
}  # fmt: skip


def _environment(project: Path) -> dict[str, str]:
    """The process environment over the project's .env file (the real environment wins)."""
    dotenv_file = project / ".env"
    merged: dict[str, str] = {}
    if dotenv_file.is_file():
        from dotenv import dotenv_values  # only when the project has a .env

        try:
            values = dotenv_values(dotenv_file, encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{dotenv_file}: cannot read: {exc}") from exc
        merged.update({k: v for k, v in values.items() if v is not None})
    merged.update(os.environ)
    return merged


def _libpq_environment(env: dict[str, str]) -> str | None:
    """A conninfo for the server libpq's PG* variables name, or None when none does."""
    if not any(env.get(name) for name in _LIBPQ_TARGET):
        return None
    from psycopg.conninfo import make_conninfo

    keywords = {**_LIBPQ_TARGET, **_LIBPQ_EXTRA}
    return make_conninfo(**{kw: env[name] for name, kw in keywords.items() if env.get(name)})


def _flag(section: dict[str, Any], key: str, config_file: Path | None) -> bool:
    value = section.get(key, False)
    if not isinstance(value, bool):
        raise ConfigError(f"{key} in {config_file} must be true or false, not {value!r}")
    return value


def _expand_env(value: str) -> str:
    """${VAR} in the config file's URL comes from the environment (keeps passwords out of git)."""

    def sub(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in os.environ:
            raise ConfigError(f"database url in the config file uses ${{{name}}}, which is not set")
        return os.environ[name]

    return re.sub(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}", sub, value)
