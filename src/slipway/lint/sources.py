"""Which migrations to lint, from the paths given on the command line.

Folders load with the engine's `load_folder` (every layout it knows). A folder the engine
refuses because two migrations share a version is loaded loosely instead (pairing by
version and name), so lint can report the duplicate rather than stop. A file names one
migration: the one in its folder whose up, down or verify script it is; a file that is no
migration there is linted as a lone up script.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from slipway.errors import ConfigError, MigrationLayoutError
from slipway.migrations.layouts import apply_directives, describe, load_folder, read_sql
from slipway.migrations.model import Migration, Script, version_key

_LOOSE = re.compile(
    r"^(?P<version>\d(?:[\d-]*\d)?)_(?P<name>.+?)"
    r"(?P<role>\.up|\.down|\.rollback|_rollback|\.verify|_verify)?\.sql$",
    re.IGNORECASE,
)
_ROLES = {"down": (".down", ".rollback", "_rollback"), "verify": (".verify", "_verify")}


def collect(paths: list[Path]) -> list[Migration]:
    """Migrations named by `paths` (files or folders), folders in version order."""
    return select(paths)[0]


def select(paths: list[Path]) -> tuple[list[Migration], set[str] | None]:
    """(migrations to replay, absolute paths of the scripts to report on; None: all).

    A named file brings its folder's whole history into the replay, so the rules know what
    earlier migrations created, but findings are reported for the named migrations only.
    """
    folders = _group(paths)
    replay: list[Migration] = []
    focus: set[str] = set()
    for folder, selected in folders.items():
        migrations = _load(folder)
        replay.extend(migrations)
        if selected is None:
            focus |= {p for m in migrations for p in script_paths(m)}
            continue
        chosen = [m for m in migrations if script_paths(m) & selected]
        focus |= {p for m in chosen for p in script_paths(m)}
        claimed = {p for m in migrations for p in script_paths(m)}
        for path in sorted(selected - claimed):
            replay.append(_lone(Path(path)))
            focus.add(path)
    every_folder_whole = all(s is None for s in folders.values())
    return replay, None if every_folder_whole else focus


def _group(paths: list[Path]) -> dict[Path, set[str] | None]:
    """Folder -> the absolute paths of the files named in it (None: the whole folder)."""
    folders: dict[Path, set[str] | None] = {}
    for path in paths:
        if path.is_dir():
            folders[path] = None
        elif path.is_file():
            selected = folders.setdefault(path.parent, set())
            if selected is not None:
                selected.add(os.path.abspath(path))
        else:
            raise ConfigError(f"{path}: no such file or folder")
    return folders


def script_paths(migration: Migration) -> set[str]:
    """Absolute paths of a migration's scripts (abspath: no file system calls, unlike resolve)."""
    scripts = (migration.up, migration.down, migration.verify)
    return {os.path.abspath(s.path) for s in scripts if s is not None}


def _load(folder: Path) -> list[Migration]:
    try:
        return load_folder(folder).migrations
    except MigrationLayoutError as exc:
        if "duplicate version" not in str(exc):
            raise
        return _loose(folder)


def _lone(path: Path) -> Migration:
    match = _LOOSE.match(path.name)
    version, name = (match.group("version"), match.group("name")) if match else ("", path.stem)
    up = apply_directives(Script(path=path, sql=read_sql(path)))
    return Migration(version, name, describe(up.sql, name), up, layout="file")


def _loose(folder: Path) -> list[Migration]:
    """Paired-layout migrations keyed by version *and* name, so duplicates survive."""
    parts: dict[tuple[str, str], dict[str, Script]] = {}
    for path in sorted(folder.iterdir()):
        match = _LOOSE.match(path.name)
        if not match or not path.is_file():
            continue
        suffix = (match.group("role") or "").lower()
        role = next((r for r, endings in _ROLES.items() if suffix in endings), "up")
        script = apply_directives(Script(path=path, sql=read_sql(path)))
        parts.setdefault((match.group("version"), match.group("name")), {})[role] = script
    migrations = [
        Migration(
            version,
            name,
            describe(s["up"].sql, name),
            s["up"],
            s.get("down"),
            s.get("verify"),
            layout="paired",
        )
        for (version, name), s in parts.items()
        if "up" in s
    ]
    migrations.sort(key=lambda m: (version_key(m.version), m.name))
    return migrations
