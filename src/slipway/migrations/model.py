"""Migrations as data: what the layouts load and the engine, linter and verifier read."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from slipway.sql import ParsedSql

Rollback = Literal["file", "empty", "none"]
# Which script of a migration a step runs.
Direction = Literal["up", "down"]

__all__ = [
    "DOWN_SECTIONS",
    "SECTION_MARKERS",
    "Direction",
    "Ignored",
    "Key",
    "Migration",
    "MigrationSet",
    "Script",
    "checksum",
    "normalize_sql",
    "order_layout",
    "shown_path",
    "version_key",
]


def shown_path(path: Path) -> Path:
    """`path` as the user can open it from where they ran slipway: relative to the working
    folder when it is inside it, else as given."""
    try:
        return path.absolute().relative_to(Path.cwd())
    except ValueError:
        return path


def normalize_sql(text: str) -> str:
    """Text as checksummed: no BOM, LF line endings (a CRLF checkout is not drift)."""
    text = text.removeprefix("\ufeff")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def checksum(text: str) -> str:
    """SHA-256 of the normalized text (line endings and a BOM do not change it)."""
    import hashlib  # loads OpenSSL: only for the commands that checksum (not lint)

    return hashlib.sha256(normalize_sql(text).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Script:
    """One SQL script: an up, down or verify part of a migration.

    `sql` is the normalized text of this part only; `line_offset` is the number of file lines
    before it (dbmate sections start mid-file), so line N of `sql` is line N + line_offset of
    `path`.
    """

    path: Path
    sql: str
    line_offset: int = 0
    # None: decide by parsing; False: run statement by statement outside a transaction.
    transactional: bool | None = None
    lock_timeout: float | None = None  # per-file override, seconds

    @property
    def checksum(self) -> str:
        """The checksum of this script's normalized SQL."""
        return checksum(self.sql)

    def location(self, line: int, column: int) -> str:
        """`file:line:column` of a position given relative to this script."""
        return f"{self.path}:{line + self.line_offset}:{column}"

    @cached_property
    def parsed(self) -> ParsedSql:
        """Its statements by PostgreSQL's parser, parsed once for the engine, lint and the
        guide (a syntax error is recorded in `parsed.error`, not raised)."""
        from slipway.sql import parse_sql

        return parse_sql(self.sql, self.line_offset)

    @property
    def statement_kinds(self) -> tuple[str, ...] | None:
        """The node kind of each statement; None when it does not parse (running it reports
        the error with its position)."""
        if not self.sql.strip():
            return ()
        parsed = self.parsed
        return None if parsed.error else tuple(stmt.kind for stmt in parsed.statements)

    @property
    def empty(self) -> bool:
        """No statement at all: nothing, or only comments and semicolons."""
        return self.statement_kinds == ()

    @property
    def changes_schema(self) -> bool:
        """Whether it may change the schema (a script that does not parse is assumed to)."""
        from slipway.sql import changes_schema

        kinds = self.statement_kinds
        return kinds is None or changes_schema(kinds)


@dataclass(frozen=True)
class Migration:
    """One migration: version, name, its up, down and verify scripts and its layout."""

    version: str  # as written in the file name: 0001, 20251109, 2019-02-26-002946, 1.2
    name: str  # the name part of the file name: lead_management
    description: str  # first `--` comment of the up script, else the humanized name
    up: Script
    down: Script | None = None
    verify: Script | None = None
    layout: str = "paired"
    order: str = ""  # the layout whose version order the folder follows ("": this one's)

    @property
    def sort_key(self) -> Key:
        """The version's key in the folder's own order."""
        return version_key(self.version, self.order or self.layout)

    @property
    def has_rollback(self) -> bool:
        """A down script exists (it may be empty: see `rollback`)."""
        return self.down is not None

    @property
    def rollback_place(self) -> str:
        """Where this migration's rollback goes, in its layout's own naming (for hints)."""
        up = self.up.path
        if self.layout in DOWN_SECTIONS:
            return f"a `{DOWN_SECTIONS[self.layout]}` section in {up.name}"
        if self.layout in ("diesel", "prisma"):
            return f"{up.parent.name}/down.sql"
        if self.layout == "flyway":
            return f"U{self.version}__{self.name}.sql"
        if self.layout == "sqitch":
            return f"revert/{self.name}.sql"
        if self.layout == "golang-migrate":
            return f"{self.version}_{self.name}.down.sql"
        return f"{up.stem}.down.sql"

    @property
    def rollback(self) -> Rollback:
        """'file', 'empty' (a down script without a statement) or 'none'. Every layout gives
        its down script here (a dbmate `-- migrate:down` section too), so all agree."""
        if self.down is None:
            return "none"
        return "empty" if self.down.empty else "file"

    @property
    def checksum(self) -> str:
        """The up script's checksum (what the history records)."""
        return self.up.checksum

    @property
    def label(self) -> str:
        """`version name`, as messages show it."""
        return f"{self.version} {self.name}".strip()  # a lone linted script has no version


Key = tuple[int, ...]


def _integer_key(version: str) -> Key:
    """golang-migrate: the leading digits as an unsigned integer, 0001 == 1 < 2 < 20251109."""
    return (int(version),)


def _numeric_key(version: str) -> Key:
    """slipway's paired files: numbers after removing '-' (0001 < 20251109 <
    2019-02-26-002946), dotted ones part by part."""
    return tuple(int(p) for p in version.replace("-", "").replace("_", ".").split(".") if p)


def _string_key(version: str) -> Key:
    """diesel (the folder's prefix without '-') and dbmate (the version as written): compared
    as strings, character by character, so 2019-02-26-002946 < 2025-11-19-091444-0000."""
    return tuple(ord(c) for c in version.replace("-", ""))


def _dotted_key(version: str) -> Key:
    """Flyway: '.' or '_' separated numbers compared part by part (1.2.9 < 1.2.10);
    trailing zero parts do not count (1 == 1.0)."""
    parts = [int(p) for p in version.replace("_", ".").split(".") if p]
    while len(parts) > 1 and parts[-1] == 0:
        parts.pop()
    return tuple(parts)


#: Layouts whose migration and rollback are sections of one file: their markers (tern has
#: none above its migration, only the line between the two).
SECTION_MARKERS = {
    "dbmate": ("-- migrate:up", "-- migrate:down"),
    "goose": ("-- +goose Up", "-- +goose Down"),
    "sql-migrate": ("-- +migrate Up", "-- +migrate Down"),
    "node-pg-migrate": ("-- Up Migration", "-- Down Migration"),
    "tern": ("", "---- create above / drop below ----"),
}
#: Where each of those layouts keeps its rollback: the marker the section starts with.
DOWN_SECTIONS = {layout: down for layout, (_, down) in SECTION_MARKERS.items()}

# The one place versions are ordered: each layout compares them as its own tool does.
_KEYS = {
    "paired": _numeric_key,
    "golang-migrate": _integer_key,
    "flyway": _dotted_key,
    "diesel": _string_key,
    "dbmate": _string_key,
    "goose": _integer_key,  # goose's versions are int64s: 00001 = 1, timestamps too
    "sql-migrate": _integer_key,
    "node-pg-migrate": _integer_key,  # millisecond timestamps
    "tern": _integer_key,  # a sequence: 001, 002
    "graphile-migrate": _integer_key,  # committed/000001.sql
    "prisma": _string_key,  # Prisma sorts its folders by name
    "sqitch": _integer_key,  # the change's place in sqitch.plan
}


@lru_cache(maxsize=65536)
def version_key(version: str, layout: str = "paired") -> Key:
    """The sort key of `version` in `layout`'s own order (see _KEYS)."""
    try:
        return _KEYS.get(layout, _numeric_key)(version)
    except ValueError:  # not a number (a version another tool recorded): as a string
        return _string_key(version)


def order_layout(layouts: list[str]) -> str:
    """The layout whose order a folder follows: the most common one among its migrations
    (ties: the first seen), so a stray file of another layout cannot reorder the folder."""
    if not layouts:
        return "paired"
    return max(dict.fromkeys(layouts), key=layouts.count)


@dataclass(frozen=True)
class Ignored:
    """A file in the migrations folder that is not a migration, and why."""

    path: Path
    reason: str
    # The layout's own tool keeps it and it is not a PostgreSQL migration (pop's .mysql. files,
    # a variant replaced by its .postgres. one, Prisma's migration_lock.toml): counted, not a
    # problem to report.
    expected: bool = False
    # A migration of a kind slipway does not run (Flyway's repeatable R__ files): `up` says so
    # every time, or the schema would silently lack what it creates.
    unsupported: bool = False


@dataclass
class MigrationSet:
    """Everything found in one migrations folder, sorted by version."""

    directory: Path
    migrations: list[Migration] = field(default_factory=list)
    ignored: list[Ignored] = field(default_factory=list)
    layouts: set[str] = field(default_factory=set)
    order: str = "paired"  # the layout whose version order applies (see order_layout)

    def key(self, version: str) -> Key:
        """The sort key of any version (a file's, a history row's, `--to V`) in this folder."""
        return version_key(version, self.order)

    def shown(self, path: Path) -> str:
        """`path` as the user can open it (see `shown_path`)."""
        return str(shown_path(path))
