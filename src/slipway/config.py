"""Settings from flags, the environment and slipway.toml / pyproject.toml.

First match wins for the database: --database-url, DATABASE_URL (the environment, then the
project's .env), the config file's [database] url, libpq's PG* variables (PGHOST, PGUSER,
PGDATABASE, PGSERVICE, ...; also from .env), else the embedded PostgreSQL. The migrations
folder: --migrations, config, ./migrations. The config file is validated as a whole against
config_schema when it is read; features read its typed values from `Settings.config`.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from slipway.config_values import DEFAULT_TABLE, parse_duration
from slipway.errors import ConfigError

if TYPE_CHECKING:
    from slipway.config_schema import SlipwayConfig

# DEFAULT_TABLE and parse_duration live in config_values (the schema needs them too) and are
# re-exported here, where callers have always found them.
__all__ = [
    "DEFAULT_TABLE",
    "Settings",
    "config_label",
    "default_config",
    "load_settings",
    "parse_duration",
    "pool_settings",
]

DEFAULT_DIRECTORY = "migrations"


@cache
def default_config() -> SlipwayConfig:
    """The schema's defaults: the config of a project without a config file."""
    from slipway.config_schema import SlipwayConfig

    return SlipwayConfig.model_construct()  # every field has a default; nothing to check


@dataclass(frozen=True)
class Settings:
    """Everything a command needs to know about the project it runs in."""

    project_dir: Path
    migrations_dir: Path
    database_url: str | None
    database_source: (
        str  # flag | DATABASE_URL[ in .env] | <config file> | PG* environment | embedded
    )
    config_file: Path | None = None
    table: str = DEFAULT_TABLE
    lock_timeout: float = 5.0
    lock_retries: int = 5
    lock_wait: float = 60.0
    # Wait for every migration's commit to reach disk, not only the last one's (see runner).
    flush_each_migration: bool = False
    tenant_column: str = "dealership_id"
    file_config: SlipwayConfig | None = None  # the validated config file; None: no file

    @property
    def config(self) -> SlipwayConfig:
        """Every section of the config file, validated and typed (defaults without a file)."""
        return self.file_config or default_config()


def _read_config(project_dir: Path) -> tuple[Path | None, SlipwayConfig | None]:
    # pydantic and the schema are imported only when a config file exists (~0.1 s).
    own = project_dir / "slipway.toml"
    if own.is_file():
        from slipway.config_errors import validate_config

        return own, validate_config(_load_toml(own), config_label(own))
    pyproject = project_dir / "pyproject.toml"
    if pyproject.is_file():
        tool = _load_toml(pyproject).get("tool", {})
        if isinstance(tool, dict) and "slipway" in tool:
            label = config_label(pyproject)
            if not isinstance(tool["slipway"], dict):
                raise ConfigError(f"{label}: [tool.slipway]: expected a table")
            from slipway.config_errors import validate_config

            return pyproject, validate_config(tool["slipway"], label, "tool.slipway")
    return None, None


def config_label(path: Path | None) -> str:
    """The config file as messages name it: relative to the working directory when inside."""
    if path is None:
        return ""
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _load_toml(path: Path) -> dict[str, Any]:
    import tomllib  # only when a config file exists

    label = config_label(path)
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ConfigError(
            f"{label}: not valid UTF-8 (byte {exc.start}); TOML must be UTF-8: save the file as"
            " UTF-8"
        ) from None
    except OSError as exc:
        raise ConfigError(f"{label}: cannot read: {exc.strerror}") from exc
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{label}: invalid TOML: {exc}; fix the file and retry") from exc


def load_settings(
    database_url: str | None = None,
    migrations: str | Path | None = None,
    project_dir: Path | None = None,
) -> Settings:
    """Settings for the project in `project_dir` (default: the working directory)."""
    project = (project_dir or Path.cwd()).resolve()
    config_file, file_config = _read_config(project)
    base = config_file.parent if config_file else project

    env = _environment(project)
    url, source = database_url, "flag"
    if not url:
        url = env.get("DATABASE_URL") or None
        source = "DATABASE_URL" if os.environ.get("DATABASE_URL") else "DATABASE_URL in .env"
    if not url and file_config is not None and file_config.database.url:
        url, source = _expand_env(file_config.database.url), config_file.name if config_file else ""
    if not url:
        url, source = _libpq_environment(env), "PG* environment"
    if not url:
        source = "embedded"

    if migrations is not None:
        mig_dir = Path(migrations)
        mig_dir = mig_dir if mig_dir.is_absolute() else Path.cwd() / mig_dir
    else:
        directory = file_config.migrations.directory if file_config else DEFAULT_DIRECTORY
        mig_dir = base / directory

    if file_config is None:
        # No config file: the Settings defaults, which equal the schema's (a test keeps them
        # equal), without importing pydantic and the schema (~0.1 s of every command).
        return Settings(
            project_dir=project,
            migrations_dir=_resolved(mig_dir),
            database_url=url,
            database_source=source,
        )
    section = file_config.migrations
    return Settings(
        project_dir=project,
        migrations_dir=_resolved(mig_dir),
        database_url=url,
        database_source=source,
        config_file=config_file,
        table=section.table,
        lock_timeout=section.lock_timeout,
        lock_retries=section.lock_retries,
        lock_wait=section.lock_wait,
        flush_each_migration=section.flush_each_migration,
        tenant_column=file_config.tenancy.column,
        file_config=file_config,
    )


def _resolved(folder: Path) -> Path:
    try:
        return folder.resolve()
    except (RuntimeError, OSError) as exc:  # a loop: RuntimeError up to 3.12, OSError after
        raise ConfigError(
            f"migrations folder {folder}: is a symbolic link loop; fix the link or remove it"
        ) from exc


def pool_settings(settings: Settings) -> dict[str, float]:
    """The connection pool `slipway serve` opens: [pool] of the config (the health report's
    pool check reads the same values)."""
    return dict(settings.config.pool.model_dump())


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


def _expand_env(value: str) -> str:
    """${VAR} in the config file's URL comes from the environment (keeps passwords out of git)."""

    def sub(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in os.environ:
            raise ConfigError(f"database url in the config file uses ${{{name}}}, which is not set")
        return os.environ[name]

    return re.sub(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}", sub, value)
