"""The rule contract: small, pure, self-documenting units registered by name and code.

A statement rule names the node types it inspects (`kinds`, refined to one ALTER TABLE command
or one DROP's object kind where that is all it reads) and sees each such statement with
the replayed catalog as it was just before it, in up scripts and in down scripts (a down sees
the catalog its up left, replayed on a copy). Migration rules see one migration's parsed
up and down scripts; set rules see the final catalog after the whole replay. Rules never do
I/O: they yield Hits, which the engine turns into located, suppressible Findings.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from slipway.lint.state import Origin, ReplayState

if TYPE_CHECKING:
    from slipway.lint.source import ParsedScript
    from slipway.migrations.model import Migration
    from slipway.sql import Statement


# What a rule's hazard costs in proportion to its table's size (`Rule.cost`).
Cost = Literal["rewrite", "scan", "rows"]


@dataclass(repr=False, eq=False, frozen=True, slots=True)
class Hit:
    message: str
    help: str | None = None
    at: Origin | None = None  # where to report (set rules); default: the statement / file
    offset: int | None = None  # byte offset in the statement's script (a column, say)
    # The table the hazard is about (the replay's key: `leads`, `audit.events`), for the
    # finding's target and `--stats` (how big it is decides how bad a rewrite or scan is).
    table: str | None = None


@dataclass(repr=False, eq=False, frozen=True, slots=True)
class Options:
    tenant_column: str = "dealership_id"


@dataclass(repr=False, eq=False, slots=True)
class StatementContext:
    stmt: Statement
    state: ReplayState  # as it was before this statement
    migration: Migration
    position: int  # index of the migration in the linted set
    script: ParsedScript
    in_transaction_block: bool  # inside an explicit BEGIN ... COMMIT written in the file
    non_transactional: bool  # slipway runs this script statement by statement, no transaction
    options: Options
    # When the statement is in a down script: the migration's up, which ran just before it
    # (what it made is the migration's own, as if made earlier in the same script).
    up: ParsedScript | None = None
    migrations: list[Migration] = field(default_factory=list)  # the whole linted set
    cache: dict[str, Any] = field(default_factory=dict)  # per-statement facts shared by rules
    run_cache: dict[str, Any] = field(default_factory=dict)  # per-run facts shared by rules

    def existed_before(self, table: str) -> bool:
        """The table was there before this migration (so it may hold rows and serve traffic)."""
        return self.state.existed_before(table, self.position)


@dataclass(repr=False, eq=False, slots=True)
class MigrationContext:
    migration: Migration
    position: int
    up: ParsedScript
    down: ParsedScript | None
    options: Options


@dataclass(repr=False, eq=False, slots=True)
class SetContext:
    state: ReplayState  # after the last migration
    migrations: list[Migration]
    ups: list[ParsedScript]
    options: Options


class Rule:
    """Base class; subclasses set the metadata and override one of the check methods."""

    code: ClassVar[str]
    name: ClassVar[str]
    severity: ClassVar[str]
    # Node types the statement rule inspects ("IndexStmt"); "AlterTableStmt:AT_AddColumn" is
    # called only for an ALTER TABLE with that command, "DropStmt:OBJECT_VIEW" only for a DROP
    # of that kind (REFINED_KINDS: most statements then skip most rules).
    kinds: ClassVar[tuple[str, ...]] = ()
    help: ClassVar[str] = ""
    default_enabled: ClassVar[bool] = True
    # What a hit of this rule costs in proportion to its table's size, for `lint --stats`:
    # "rewrite" (the table and its indexes written anew), "scan" (every row read, or an
    # index built, under a lock) or "rows" (fails when the table has rows); None: neither.
    cost: ClassVar[Cost | None] = None

    def check(self, ctx: StatementContext) -> Iterable[Hit]:
        return ()

    def check_migration(self, ctx: MigrationContext) -> Iterable[Hit]:
        return ()

    def check_set(self, ctx: SetContext) -> Iterable[Hit]:
        return ()

    @classmethod
    def summary(cls) -> str:
        return (cls.__doc__ or "").strip().splitlines()[0] if cls.__doc__ else ""


REGISTRY: dict[str, type[Rule]] = {}
_loaded = False


def register(cls: type[Rule]) -> type[Rule]:
    if cls.name in REGISTRY:
        raise ValueError(f"duplicate lint rule name {cls.name}")
    REGISTRY[cls.name] = cls
    return cls


def all_rules() -> list[type[Rule]]:
    """Every registered rule, sorted by code (imports slipway.lint.rules.* once)."""
    global _loaded
    if not _loaded:
        # os.listdir, not pkgutil: this runs on every lint and pkgutil costs an import. The
        # folder is found by path (the rules import this module, not the other way round).
        folder = os.path.join(os.path.dirname(__file__), "rules")
        for name in sorted(os.listdir(folder)):
            if name.endswith(".py") and name != "__init__.py":
                importlib.import_module(f"{__package__}.rules.{name[:-3]}")
        _loaded = True
    return sorted(REGISTRY.values(), key=lambda r: r.code)


# squawk's other names for rules slipway has: a squawk-ignore or slipway-ignore comment, a
# [lint] entry or --explain naming one of them means these rules. require-timeout-settings is
# squawk's deprecated name for its two timeout rules together.
ALIASES: dict[str, tuple[str, ...]] = {
    "prefer-timestamp-tz": ("prefer-timestamptz",),
    "require-timeout-settings": ("require-lock-timeout", "require-statement-timeout"),
}


def resolve(name_or_code: str) -> list[type[Rule]]:
    """The rules a name, a code or an alias means (case-insensitive); [] when none."""
    wanted = name_or_code.strip().lower()
    names = ALIASES.get(wanted, (wanted,))
    return [r for r in all_rules() if r.name in names or r.code.lower() == wanted]


def lookup(name_or_code: str) -> type[Rule] | None:
    """A rule by kebab-case name, code or alias (the first, for an alias that means two)."""
    found = resolve(name_or_code)
    return found[0] if found else None
