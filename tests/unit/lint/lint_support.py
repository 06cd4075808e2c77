"""Helpers for the lint tests: migrations built from SQL strings, no files needed."""

from __future__ import annotations

from pathlib import Path

from slipway.migrations.model import Migration, Script


def migration(
    version: str,
    up: str,
    down: str | None = "SELECT 1;",
    transactional: bool | None = None,
    name: str = "case",
) -> Migration:
    folder = Path("migrations")
    up_script = Script(folder / f"{version}_{name}.sql", up, transactional=transactional)
    down_script = Script(folder / f"{version}_{name}.down.sql", down) if down is not None else None
    return Migration(version, name, name, up_script, down_script)


def migrations(*ups: str) -> list[Migration]:
    return [migration(f"{i:04d}", sql) for i, sql in enumerate(ups, 1)]


def write_project(tmp: Path, files: dict[str, str], config: str = "") -> Path:
    """A project folder: `files` in migrations/, and `config` as slipway.toml when given."""
    (tmp / "migrations").mkdir()
    for name, sql in files.items():
        (tmp / "migrations" / name).write_text(sql, encoding="utf-8")
    if config:
        (tmp / "slipway.toml").write_text(config, encoding="utf-8")
    return tmp
