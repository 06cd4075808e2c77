"""Read the migration layouts teams already have, detected per file, no flag needed.

1. paired files: 0001_name.sql + 0001_name.down.sql | .rollback.sql | _rollback.sql (+ .verify.sql)
2. golang-migrate: 000001_name.up.sql + 000001_name.down.sql
3. diesel: 2019-02-26-002946_name/up.sql + down.sql (+ verify.sql, metadata.toml)
4. dbmate: one file with `-- migrate:up` and `-- migrate:down` sections
5. Flyway: V1__name.sql + U1__name.sql
6. goose: one file with `-- +goose Up` and `-- +goose Down` sections
7. Prisma: 20210101000000_name/migration.sql (+ a down.sql and verify.sql slipway reads)
8. Sqitch: sqitch.plan with deploy/, revert/ and verify/ (slipway.migrations.sqitch)

A rollback pairs with its migration by version, not by name. Files tagged with a database
(gobuffalo pop / ory popx: 0001_name.postgres.up.sql beside .mysql., .cockroach., .sqlite3.
and untagged ones) are read for PostgreSQL: a `.postgres.` file wins over the untagged file
of its version and role, other databases' files are listed as ignored.
"""

from __future__ import annotations

import errno
import os
import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import NoReturn

from slipway.errors import ConfigError, MigrationLayoutError
from slipway.migrations.directives import apply_directives
from slipway.migrations.model import (
    Ignored,
    Key,
    Migration,
    MigrationSet,
    Script,
    normalize_sql,
    order_layout,
    shown_path,
    version_key,
)
from slipway.migrations.sections import split_sections
from slipway.migrations.sqitch import is_sqitch_project, load_sqitch

__all__ = [
    "VERSION",
    "broken_link",
    "describe",
    "is_migration_folder",
    "load_folder",
    "read_sql",
]


VERSION = r"(?P<version>\d(?:[\d-]*\d)?)"
_PAIRED = re.compile(
    VERSION + r"_(?P<name>.+?)(?P<role>\.up|\.down|\.rollback|_rollback|\.verify|_verify)?\.sql$",
    re.IGNORECASE,
)
# Files a migration tool keeps beside its migrations: not migrations, not worth a warning.
_TOOL_FILES = {
    "migration_lock.toml": "Prisma's migration lock file",
    "atlas.sum": "Atlas's checksum file",
}
# pop's database tags (untagged: for every database) and its `.autocommit` flag (no
# transaction): 0001_name[.tag][.autocommit].up.sql, the tag in pop's spellings.
_POSTGRES_TAGS = frozenset({"postgres", "postgresql", "pg"})
_OTHER_TAGS = frozenset(
    {"cockroach", "cockroachdb", "crdb", "mysql", "mariadb", "sqlite", "sqlite3"}
    | {"yugabyte", "yugabytedb", "mssql", "sqlserver"}
)
_BARE = re.compile(r"^(?P<version>\d+)\.sql$")
_FLYWAY = re.compile(r"^(?P<kind>[VU])(?P<version>\d+(?:[._]\d+)*)__(?P<name>.+)\.sql$")
_DIESEL_DIR = re.compile(VERSION + r"_(?P<name>.+)$")
_ROLE = {
    ".up": "up",
    None: "up",
    ".down": "down",
    ".rollback": "down",
    "_rollback": "down",
    ".verify": "verify",
    "_verify": "verify",
}


@dataclass
class _Parts:
    """Scripts found so far for one version."""

    version: str
    name: str
    layout: str
    up: Script | None = None
    down: Script | None = None
    verify: Script | None = None


def broken_link(path: Path) -> str | None:
    """Why `path` leads nowhere (a dangling symbolic link, or a loop of them); None when it
    can be read or is simply absent."""
    try:
        os.stat(path)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "is a symbolic link loop"
        if os.path.islink(path):
            return f"is a symbolic link to {os.readlink(path)}, which does not exist"
    return None


def _refuse_broken(path: Path, shown: str) -> None:
    reason = broken_link(path)
    if reason:
        raise MigrationLayoutError(f"{shown}: {reason}; fix the link or remove it")


def read_sql(path: Path) -> str:
    """A migration file's text, normalized; unreadable or non-UTF-8 files are a layout error."""
    try:
        with open(path, "rb") as handle:  # not Path.read_bytes: thousands of files add up
            raw = handle.read()
    except OSError as exc:
        raise MigrationLayoutError(
            f"{path}: cannot read ({exc.strerror}); fix its permissions or remove it"
        ) from exc
    try:
        return normalize_sql(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise MigrationLayoutError(
            f"{path}: not valid UTF-8 (byte {exc.start}); save the file as UTF-8"
        ) from exc


# Comments that say nothing about what a migration does: tool directives (`-- migrate:up`,
# `-- +goose Up`, `-- safety-assured:start`, `-- slipway: no-transaction`, `-- squawk-ignore`)
# and licence headers (one-line SPDX tags; a copyright or licence block up to a blank line).
_TOOL_COMMENT = re.compile(
    r"^(?:[+@]|[a-z][\w-]*:\S|[\w-]+-ignore\b|(?:slipway|squawk|sqlfluff|atlas|goose|flyway"
    r"|liquibase|changeset|noqa|noinspection)\b)",
    re.IGNORECASE,
)
_GRAPHILE_MESSAGE = re.compile(r"^!\s*Message:\s*(.+)$", re.IGNORECASE)
# Prisma heads each step it generates with one CamelCase word: `-- CreateTable`, `-- AddForeignKey`.
_PRISMA_STEP = re.compile(r"^[A-Z][a-z]+(?:[A-Z][a-z]+)+$")
_SPDX = re.compile(r"^spdx-", re.IGNORECASE)
_LICENCE = re.compile(r"copyright|\(c\)|©|licen[cs]e|all rights reserved", re.IGNORECASE)


def describe(up_sql: str, name: str) -> str:
    """The first `--` comment line of the up script that describes it (not a licence, a
    copyright or a tool directive), else the humanized name."""
    in_licence = in_block = False
    for line in up_sql.splitlines():
        stripped = line.strip()
        if in_block or stripped.startswith("/*"):  # block comments: licence headers, skipped
            in_block = "*/" not in stripped
            continue
        if not stripped:
            in_licence = False  # a blank line ends a licence block
            continue
        if not stripped.startswith("--"):
            break
        text = stripped.lstrip("-").strip()
        if text.startswith("!"):  # graphile-migrate's headers; its message describes it
            message = _GRAPHILE_MESSAGE.match(text)
            if message:
                return message.group(1).strip()
            continue
        if _LICENCE.search(text) and not _SPDX.match(text):
            in_licence = True
        if in_licence or not text.strip("=*#~ ") or _SPDX.match(text) or _TOOL_COMMENT.match(text):
            continue
        if _PRISMA_STEP.match(text):
            continue
        return text
    return name.replace("_", " ").replace("-", " ").strip().capitalize()


def _folder_scripts(directory: Path) -> tuple[Script | None, Script | None, Script | None]:
    """One migration's own folder: diesel's up.sql, or Prisma's migration.sql, with down.sql
    and verify.sql beside it."""
    if not (directory / "up.sql").is_file() and (directory / "migration.sql").is_file():
        path = directory / "migration.sql"
        up = apply_directives(Script(path=path, sql=read_sql(path)))
        _, down, verify = _diesel_scripts(directory)
        return up, down, verify
    return _diesel_scripts(directory)


def _diesel_scripts(directory: Path) -> tuple[Script | None, Script | None, Script | None]:
    transactional: bool | None = None
    meta = directory / "metadata.toml"
    if meta.is_file():
        import tomllib  # only diesel's metadata.toml needs it

        try:
            data = tomllib.loads(meta.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise MigrationLayoutError(f"{meta}: invalid TOML: {exc}") from exc
        if data.get("run_in_transaction") is False:
            transactional = False
    scripts: list[Script | None] = []
    for role in ("up", "down", "verify"):
        path = directory / f"{role}.sql"
        _refuse_broken(path, str(shown_path(path)))
        if path.is_file():
            script = apply_directives(Script(path=path, sql=read_sql(path)))
            if transactional is False:
                script = replace(script, transactional=False)
            scripts.append(script)
        else:
            scripts.append(None)
    return scripts[0], scripts[1], scripts[2]


class _Collector:
    """Gathers scripts per version and reports clashes naming both files."""

    def __init__(self, directory: Path, strict: bool = True) -> None:
        self.result = MigrationSet(directory=directory)
        self.parts: dict[tuple[int, ...], _Parts] = {}
        self.strict = strict
        self.twins: list[_Parts] = []  # not strict: further migrations with a version in use
        self.tagged: set[Path] = set()  # scripts tagged .postgres. (pop): they beat untagged

    def add(
        self, version: str, name: str, layout: str, role: str, script: Script, tagged: bool = False
    ) -> None:
        key = version_key(version, layout)
        parts = self.parts.get(key)
        if parts is None:
            parts = self.parts[key] = _Parts(version=version, name=name, layout=layout)
        existing: Script | None = getattr(parts, role)
        if tagged:
            self.tagged.add(script.path)
        if existing is not None and (existing.path in self.tagged) != tagged:
            # pop's rule: the file for this database replaces the one for every database
            loser = existing if tagged else script
            reason = f"replaced by its PostgreSQL variant (version {version})"
            self.ignore(loser.path, reason, expected=True)
            if not tagged:
                return
            existing = None
        if existing is not None:
            if self.strict:
                self._clash(version, role, existing, script)
            parts = self._twin(key, version, name, layout, role)
        if role == "up":
            parts.version, parts.name, parts.layout = version, name, layout
            self.result.layouts.add(layout)
        setattr(parts, role, script)

    def _clash(self, version: str, role: str, first: Script, second: Script) -> NoReturn:
        what = "migrations" if role == "up" else f"{role} scripts"
        shown = self.result.shown
        raise MigrationLayoutError(
            f"duplicate version {version}: {shown(first.path)} and {shown(second.path)} are "
            f"both {what} for it; renumber one of them"
        )

    def _twin(self, key: Key, version: str, name: str, layout: str, role: str) -> _Parts:
        """The other migration of a shared version that this script belongs to (by name)."""
        for twin in self.twins:
            same = version_key(twin.version, twin.layout) == key and twin.name == name
            if same and getattr(twin, role) is None:
                return twin
        twin = _Parts(version=version, name=name, layout=layout)
        self.twins.append(twin)
        return twin

    def ignore(
        self, path: Path, reason: str, expected: bool = False, unsupported: bool = False
    ) -> None:
        self.result.ignored.append(Ignored(path, reason, expected, unsupported))

    @staticmethod
    def _promote_lone_suffix(parts: _Parts) -> None:
        """`0015_no_rollback.sql` alone is a migration whose name ends in a rollback word,
        not a rollback without a migration."""
        for role in ("down", "verify"):
            script: Script | None = getattr(parts, role)
            match = _PAIRED.match(script.path.name) if script else None
            if script is not None and match and match.group("role") in ("_rollback", "_verify"):
                parts.up = script
                parts.name = f"{match.group('name')}{match.group('role')}"
                setattr(parts, role, None)
                return

    def _complete(self) -> list[_Parts]:
        """Parts that have an up script; orphaned rollbacks and verify scripts are ignored."""
        complete = []
        for parts in [*self.parts.values(), *self.twins]:
            if parts.up is None:
                self._promote_lone_suffix(parts)
            if parts.up is None:
                for orphan in (parts.down, parts.verify):
                    if orphan is not None:
                        self.ignore(orphan.path, f"no migration with version {parts.version}")
                continue
            complete.append(parts)
        return complete

    def finish(self) -> MigrationSet:
        complete = self._complete()
        result = self.result
        result.order = order_layout([p.layout for p in complete])
        complete.sort(key=lambda p: (result.key(p.version), p.version, p.name))
        for before, parts in zip([None, *complete], complete):
            assert parts.up is not None
            if self.strict and before and result.key(before.version) == result.key(parts.version):
                assert before.up is not None  # across layouts: 0001_a.sql and V1__b.sql
                self._clash(parts.version, "up", before.up, parts.up)
            result.migrations.append(
                Migration(
                    version=parts.version,
                    name=parts.name,
                    description=describe(parts.up.sql, parts.name),
                    up=parts.up,
                    down=parts.down,
                    verify=parts.verify,
                    layout=parts.layout,
                    order=result.order,
                )
            )
        result.ignored.sort(key=lambda i: i.path.name)
        return result


def _add_file(collector: _Collector, path: Path) -> None:
    name = path.name
    if name in _TOOL_FILES:  # a tool's own bookkeeping beside its migrations
        collector.ignore(path, _TOOL_FILES[name], expected=True)
        return
    if not name.lower().endswith(".sql"):
        collector.ignore(path, "not a .sql file")
        return
    flyway = _FLYWAY.match(name)
    if flyway:
        role = "up" if flyway.group("kind") == "V" else "down"
        script = apply_directives(Script(path=path, sql=read_sql(path)))
        collector.add(flyway.group("version"), flyway.group("name"), "flyway", role, script)
        return
    if name.startswith("R__"):
        reason = "a Flyway repeatable migration, which slipway does not run"
        collector.ignore(path, reason, unsupported=True)
        return
    bare = _BARE.match(name)
    if bare:  # graphile-migrate's committed/000001.sql: a version, no name, no rollback
        script = apply_directives(Script(path=path, sql=read_sql(path)))
        # named after its `--! Message:` when it has one, as graphile-migrate shows it
        message = re.sub(r"\W+", "_", describe(script.sql, "").lower()).strip("_")
        collector.add(bare.group("version"), message, "graphile-migrate", "up", script)
        return
    paired = _PAIRED.match(name)
    if not paired:
        collector.ignore(path, "no leading version number (expected e.g. 0001_name.sql)")
        return
    version, mig_name, suffix = paired.group("version", "name", "role")
    suffix = suffix.lower() if suffix else None
    tag, autocommit = "", False
    if suffix in (".up", ".down"):  # pop's tags sit before golang-migrate's .up / .down
        mig_name, tag, autocommit = _pop_tags(mig_name)
    if tag in _OTHER_TAGS:  # not even read: another database's file may be in any encoding
        reason = f"a migration for {tag}, not PostgreSQL (pop's database tag)"
        collector.ignore(path, reason, expected=True)
        return
    text = read_sql(path)
    split = split_sections(path, text) if suffix is None else None
    if split is not None:  # one file, its up and down sections marked (dbmate, goose, ...)
        tool, up, down = split
        collector.add(version, mig_name, tool, "up", up)
        if down is not None:
            collector.add(version, mig_name, tool, "down", down)
        return
    layout = "golang-migrate" if suffix in (".up", ".down") else "paired"
    script = apply_directives(
        Script(path=path, sql=text, transactional=False if autocommit else None)
    )
    collector.add(version, mig_name, layout, _ROLE[suffix], script, tagged=tag in _POSTGRES_TAGS)


def _pop_tags(name: str) -> tuple[str, str, bool]:
    """`identities.postgres.autocommit` -> ("identities", "postgres", True): pop's database tag
    (lower case; "" when untagged) and its no-transaction flag, split off a migration's name."""
    autocommit = False
    base, dot, last = name.rpartition(".")
    if dot and base and last.lower() == "autocommit":
        name, autocommit = base, True
        base, dot, last = name.rpartition(".")
    tag = last.lower() if dot and base else ""
    if tag in _POSTGRES_TAGS or tag in _OTHER_TAGS or tag == "all":
        return base, tag, autocommit
    return name, "", autocommit


def is_migration_folder(path: Path) -> bool:
    """Whether `path` is one migration's own folder: a version, and diesel's up.sql or
    Prisma's migration.sql."""
    if not _DIESEL_DIR.match(path.name):
        return False
    return (path / "up.sql").is_file() or (path / "migration.sql").is_file()


def load_folder(directory: Path | str, *, strict: bool = True) -> MigrationSet:
    """Every migration in `directory`, sorted by version; non-migrations are listed, not loaded.

    Two migrations with one version are refused; with `strict=False` both are kept, in name
    order (lint reports them as duplicate-version instead of stopping)."""
    directory = Path(directory)
    _refuse_broken(directory, f"migrations folder {directory}")
    if not directory.is_dir():
        raise ConfigError(
            f"migrations folder {directory} does not exist; run `slipway init` or pass --migrations"
        )
    if is_sqitch_project(directory):  # ordered by its plan, not by file names
        return load_sqitch(directory, lambda p: apply_directives(Script(path=p, sql=read_sql(p))))
    collector = _Collector(directory, strict)
    try:  # one scandir: each entry's type comes with its name, no stat per file
        with os.scandir(directory) as listing:
            found = sorted(listing, key=lambda e: e.name)
    except OSError as exc:
        raise MigrationLayoutError(f"{directory}: cannot list ({exc.strerror})") from exc
    for item in found:
        if item.name.startswith("."):
            continue
        entry = directory / item.name
        link = broken_link(entry) if item.is_symlink() else None  # only a link can dangle
        if link and (entry.name.lower().endswith(".sql") or _DIESEL_DIR.match(entry.name)):
            _refuse_broken(entry, collector.result.shown(entry))  # named like a migration
        if link:
            collector.ignore(entry, link)
        elif item.is_dir():
            match = _DIESEL_DIR.match(entry.name)
            if not match or not is_migration_folder(entry):
                collector.ignore(entry, "folder without a version and an up.sql or migration.sql")
                continue
            up, down, verify = _folder_scripts(entry)
            assert up is not None
            layout = "prisma" if up.path.name == "migration.sql" else "diesel"
            for role, script in (("up", up), ("down", down), ("verify", verify)):
                if script is not None:
                    collector.add(match.group("version"), match.group("name"), layout, role, script)
        else:
            _add_file(collector, entry)
    return collector.finish()
