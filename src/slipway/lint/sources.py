"""Which migrations to lint, from the paths given on the command line.

Everything is found by the engine's one layout loader (`load_folder`, every layout it knows;
duplicates kept so lint can report them). A path may be a migrations folder, one migration's
own folder (diesel), the folder above `migrations/`, or files: each file is grouped into the
migration it belongs to, in its folder's layout order, and that folder's whole history is
replayed so the rules know what earlier migrations created; findings are reported for the
named migrations only. Each migrations folder is its own history: two folders (two services'
migrations, the files a pre-commit hook passes from both) are replayed apart, never one after
the other into one schema. A `.sql` file that belongs to no migration is linted as a lone up
script; `-` reads one script from stdin. A path that yields no migration is a usage error.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from slipway.errors import ConfigError
from slipway.migrations.directives import apply_directives
from slipway.migrations.layouts import (
    broken_link,
    describe,
    is_migration_folder,
    load_folder,
    read_sql,
)
from slipway.migrations.model import Migration, MigrationSet, Script, normalize_sql

STDIN = Path("<stdin>")


# One history to replay, and the absolute paths of the scripts to report on (None: all).
Group = tuple[list[Migration], set[str] | None]


def collect(paths: list[Path]) -> list[Migration]:
    """Migrations named by `paths` (files or folders), folders in version order."""
    return [m for migrations, _ in select(paths) for m in migrations]


def select(paths: list[Path]) -> list[Group]:
    """One group per migrations folder (its whole history), then the lone scripts."""
    finder = _Finder()
    for path in paths:
        finder.add(path)
    groups: list[Group] = []
    for folder, named in finder.folders.items():
        migrations = finder.sets[folder].migrations
        if named is None:  # every script is reported: no focus to compute (thousands of paths)
            groups.append((migrations, None))
            continue
        chosen = [m for m in migrations if script_paths(m) & named]
        groups.append((migrations, {p for m in chosen for p in script_paths(m)}))
    if finder.lone:
        groups.append((finder.lone, None))
    return groups


def script_paths(migration: Migration) -> set[str]:
    """Absolute paths of a migration's scripts (abspath: no file system calls, unlike resolve)."""
    scripts = (migration.up, migration.down, migration.verify)
    return {os.path.abspath(s.path) for s in scripts if s is not None}


class _Finder:
    """Resolves paths to (migrations folder, named files) pairs and lone scripts."""

    def __init__(self) -> None:
        self.sets: dict[Path, MigrationSet] = {}
        self.folders: dict[Path, set[str] | None] = {}  # None: the whole folder
        self.lone: list[Migration] = []

    def load(self, folder: Path) -> MigrationSet:
        if folder not in self.sets:
            self.sets[folder] = load_folder(folder, strict=False)
        return self.sets[folder]

    def add(self, path: Path) -> None:
        if str(path) == "-":
            self.lone.append(_lone(STDIN, normalize_sql(sys.stdin.read())))
        elif path.is_dir():
            self._add_folder(path)
        elif path.is_file():
            self._add_file(path)
        else:
            link = broken_link(path)
            raise ConfigError(
                f"{path}: {link}; fix the link or remove it"
                if link
                else f"{path}: no such file or folder"
            )

    def _whole(self, folder: Path) -> None:
        self.folders[folder] = None

    def _named(self, folder: Path, files: set[str]) -> None:
        self.load(folder)
        named = self.folders.setdefault(folder, set())
        if named is not None:
            named |= files

    def _add_folder(self, path: Path) -> None:
        own = path if path.name else Path(os.path.abspath(path))  # `.` has no name
        if self.load(path).migrations:
            self._whole(path)
        elif is_migration_folder(own):  # one diesel migration: its scripts, in its folder
            self._named(own.parent, {os.path.abspath(p) for p in own.glob("*.sql")})
        elif (path / "migrations").is_dir() and self.load(path / "migrations").migrations:
            self._whole(path / "migrations")
        else:
            raise ConfigError(
                f"{path}: no migrations found (give a migrations folder, one migration's "
                "folder, the project folder above migrations/, or .sql files)"
            )

    def _add_file(self, path: Path) -> None:
        absolute = os.path.abspath(path)
        folders = [path.parent]
        if is_migration_folder(path.parent):  # 2019-02-26-002946_x/up.sql
            folders.insert(0, path.parent.parent)
        for folder in folders:
            if any(absolute in script_paths(m) for m in self.load(folder).migrations):
                self._named(folder, {absolute})
                return
        if not path.name.lower().endswith(".sql"):
            raise ConfigError(f"{path}: not a migration (expected a .sql file or a folder)")
        self.lone.append(_lone(path, read_sql(path)))


def _lone(path: Path, sql: str) -> Migration:
    """A script that belongs to no migration, linted as an up script on its own."""
    up = apply_directives(Script(path=path, sql=sql))
    return Migration("", path.stem, describe(up.sql, path.stem), up, layout="file")
