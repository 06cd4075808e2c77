"""Migrations as data: what the layouts load and the engine, linter and verifier read."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path


def normalize_sql(text: str) -> str:
    """Text as checksummed: no BOM, LF line endings (a CRLF checkout is not drift)."""
    text = text.removeprefix("\ufeff")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def checksum(text: str) -> str:
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
        return checksum(self.sql)

    def location(self, line: int, column: int) -> str:
        """`file:line:column` of a position given relative to this script."""
        return f"{self.path}:{line + self.line_offset}:{column}"


@dataclass(frozen=True)
class Migration:
    version: str  # as written in the file name: 0001, 20251109, 2019-02-26-002946, 1.2
    name: str  # the name part of the file name: lead_management
    description: str  # first `--` comment of the up script, else the humanized name
    up: Script
    down: Script | None = None
    verify: Script | None = None
    layout: str = "paired"

    @property
    def sort_key(self) -> tuple[int, ...]:
        return version_key(self.version)

    @property
    def has_rollback(self) -> bool:
        return self.down is not None

    @property
    def checksum(self) -> str:
        return self.up.checksum

    @property
    def label(self) -> str:
        return f"{self.version} {self.name}"


@lru_cache(maxsize=65536)
def version_key(version: str) -> tuple[int, ...]:
    """Versions compare as numbers after removing '-': 0001 < 0002 < 20251109.

    Flyway-style dotted versions (1.2.10) compare part by part.
    """
    parts = version.replace("-", "").replace("_", ".").split(".")
    return tuple(int(p) for p in parts if p)


@dataclass(frozen=True)
class Ignored:
    """A file in the migrations folder that is not a migration, and why."""

    path: Path
    reason: str


@dataclass
class MigrationSet:
    """Everything found in one migrations folder, sorted by version."""

    directory: Path
    migrations: list[Migration] = field(default_factory=list)
    ignored: list[Ignored] = field(default_factory=list)
    layouts: set[str] = field(default_factory=set)

    def by_version(self) -> dict[str, Migration]:
        return {m.version: m for m in self.migrations}
