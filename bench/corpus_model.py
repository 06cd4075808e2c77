"""The schema state the corpus generator keeps, so every migration fits what came before it.

Each generated migration reads this state (which tables, columns, indexes, enums exist) and
updates it, which is what lets every `down` be the exact inverse of its `up`.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Step:
    """One migration: its name part, up and down SQL, and whether it may run in a transaction."""

    name: str
    up: str
    down: str
    transactional: bool = True


@dataclass
class Column:
    name: str
    type: str
    not_null: bool = False
    default: str | None = None
    # base (id, tenant, name, ...), pool (ordinary data column), fk, or enum
    kind: str = "pool"
    # Referenced by an index or constraint: never renamed or retyped.
    locked: bool = False

    def ddl(self) -> str:
        text = f"{self.name} {self.type}"
        if self.not_null:
            text += " NOT NULL"
        if self.default is not None:
            text += f" DEFAULT {self.default}"
        return text


@dataclass
class Table:
    name: str
    columns: dict[str, Column]
    parent: str | None  # the table its main foreign key points at (besides the tenant)
    flags: set[str] = field(default_factory=set)  # updated_at, audit, rls, view, unique, ...
    enum_columns: dict[str, str] = field(default_factory=dict)  # column -> enum type

    @property
    def singular(self) -> str:
        return singular(self.name)


@dataclass
class Index:
    name: str
    table: str
    definition: str  # the full CREATE INDEX statement, without CONCURRENTLY


@dataclass
class Enum:
    name: str
    table: str
    column: str
    values: list[str]
    spare: list[str]  # values a later migration may ADD VALUE


@dataclass
class Function:
    name: str
    signature: str  # name(arg types), as DROP FUNCTION wants it
    render: Callable[[int], str]  # revision number -> CREATE OR REPLACE text
    revision: int = 0


@dataclass
class State:
    rng: random.Random
    number: int = 0  # the migration being generated, 1-based
    tables: dict[str, Table] = field(default_factory=dict)
    indexes: dict[str, Index] = field(default_factory=dict)
    enums: dict[str, Enum] = field(default_factory=dict)
    functions: dict[str, Function] = field(default_factory=dict)
    unvalidated: list[tuple[str, str, str]] = field(default_factory=list)  # table, con, def
    comments: dict[str, str] = field(default_factory=dict)  # "TABLE t" / "COLUMN t.c" -> text
    names_used: set[str] = field(default_factory=set)

    @property
    def tag(self) -> str:
        """Marks the rows a data migration inserts, so its rollback deletes exactly those."""
        return f"m{self.number:04d}"

    def tenant_tables(self) -> list[Table]:
        return [t for t in self.tables.values() if "dealership_id" in t.columns]

    def pick(self, tables: list[Table]) -> Table | None:
        return self.rng.choice(tables) if tables else None


def singular(name: str) -> str:
    if name.endswith("ies"):
        return name[:-3] + "y"
    return name.removesuffix("s")


def ident(name: str) -> str:
    """A PostgreSQL identifier of at most 63 bytes, shortened with a stable hash suffix."""
    if len(name) <= 63:
        return name
    digest = hashlib.sha1(name.encode()).hexdigest()[:8]
    return f"{name[:54]}_{digest}"


def human(name: str) -> str:
    return name.replace("_", " ")


def sql_list(values: list[str]) -> str:
    return ", ".join(f"'{v}'" for v in values)
