"""The catalog as the replay sees it between two statements: small, mutable, cheap to update.

Only what the rules need: tables (columns, keys, indexes, RLS flags, policies, partitioning),
indexes, functions (volatility, security, search_path), views and enums, each with the place that created it. A table the linted
migrations never created (it came from earlier history) is a placeholder with `origin=None`,
so rules treat it as existing and holding data.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# repr=False, eq=False on the internal classes: generating __repr__/__eq__ costs about a
# millisecond per class at import, and lint runs as a short-lived process.


@dataclass(repr=False, eq=False, frozen=True, slots=True)
class Origin:
    """Where an object was created: migration position in the linted set, file and line."""

    migration: int
    path: str
    line: int
    column: int
    statement: int
    script: int  # id of the ParsedScript (for its suppressions)


@dataclass(repr=False, eq=False, slots=True)
class Column:
    name: str
    type: str
    typmods: tuple[int, ...] = ()
    not_null: bool = False
    has_default: bool = False
    array: bool = False  # text[]: PostgreSQL's array of the type


@dataclass(repr=False, eq=False, slots=True)
class ForeignKey:
    name: str | None
    columns: tuple[str, ...]
    ref_table: str
    origin: Origin | None
    not_valid: bool = False
    ref_columns: tuple[str, ...] = ()  # the referenced table's primary key when not written


@dataclass(repr=False, eq=False, slots=True)
class Index:
    name: str
    table: str
    columns: tuple[str, ...]  # "" for an expression
    unique: bool
    origin: Origin | None
    method: str = "btree"
    # WHERE of a partial index: "col IS NOT NULL", or "<expression>" for any other predicate
    predicate: str | None = None
    # Every column it reads (key columns, expressions, predicate): dropping one drops it.
    uses: frozenset[str] = frozenset()


@dataclass(repr=False, eq=False, slots=True)
class Table:
    key: str
    origin: Origin | None = None
    partial: bool = False  # structure not known (placeholder, CREATE TABLE AS, LIKE)
    columns: dict[str, Column] = field(default_factory=dict)
    primary_key: tuple[str, ...] | None = None
    # The primary key's name, fixed when it is added (a table rename keeps it: parent_pkey).
    primary_key_name: str = ""
    uniques: dict[str, tuple[str, ...]] = field(default_factory=dict)  # name ("" unnamed)
    foreign_keys: list[ForeignKey] = field(default_factory=list)
    not_valid: dict[str, int] = field(default_factory=dict)  # constraint -> migration added
    not_null_checks: dict[str, tuple[str, bool]] = field(
        default_factory=dict
    )  # name -> (col, valid)
    indexes: set[str] = field(default_factory=set)
    rls_enabled: bool = False
    rls_forced: bool = False
    policies: dict[str, str] = field(default_factory=dict)  # name -> command (all, select...)
    partition_key: tuple[str, ...] | None = None
    partition_strategy: str | None = None  # range, list, hash
    partition_of: str | None = None
    # Migration whose statements so far left the table without rows (DELETE without WHERE,
    # TRUNCATE, not refilled since): what a NOT NULL column without a default needs.
    emptied_in: int | None = None
    triggers: dict[str, str] = field(default_factory=dict)  # name -> function key
    # what else calls functions: "default of column c", "policy p" -> the functions it calls
    calls: dict[str, frozenset[str]] = field(default_factory=dict)

    @property
    def bare_name(self) -> str:
        """The table's name without its schema."""
        return self.key.rpartition(".")[2]

    def created_in(self, migration: int) -> bool:
        return self.origin is not None and self.origin.migration == migration

    @property
    def columns_known(self) -> bool:
        """Its columns are all in `columns` (created here, not inherited from elsewhere)."""
        return self.origin is not None and not self.partial and self.partition_of is None

    def copy(self) -> Table:
        """A copy that shares nothing mutable with this table (a forked state changes it).
        Spelled out: dataclasses.replace is several times slower, per column."""
        return Table(
            self.key,
            origin=self.origin,
            partial=self.partial,
            columns={
                k: Column(c.name, c.type, c.typmods, c.not_null, c.has_default, c.array)
                for k, c in self.columns.items()
            },
            primary_key=self.primary_key,
            primary_key_name=self.primary_key_name,
            uniques=dict(self.uniques),
            foreign_keys=[
                ForeignKey(
                    fk.name, fk.columns, fk.ref_table, fk.origin, fk.not_valid, fk.ref_columns
                )
                for fk in self.foreign_keys
            ],
            not_valid=dict(self.not_valid),
            not_null_checks=dict(self.not_null_checks),
            indexes=set(self.indexes),
            rls_enabled=self.rls_enabled,
            rls_forced=self.rls_forced,
            policies=dict(self.policies),
            partition_key=self.partition_key,
            partition_strategy=self.partition_strategy,
            partition_of=self.partition_of,
            emptied_in=self.emptied_in,
            triggers=dict(self.triggers),
            calls=dict(self.calls),
        )


@dataclass(repr=False, eq=False, slots=True)
class View:
    key: str
    tables: tuple[str, ...]
    security_invoker: bool
    origin: Origin
    materialized: bool = False
    calls: frozenset[str] = frozenset()  # functions its query calls


@dataclass(repr=False, eq=False, slots=True)
class Function:
    """A function or procedure as CREATE FUNCTION and later ALTER FUNCTIONs left it (overloads
    share one entry: the rules read it by name)."""

    key: str
    origin: Origin
    language: str = "sql"
    volatility: str = "volatile"  # immutable, stable, volatile (PostgreSQL's default)
    security_definer: bool = False
    search_path_set: bool = False  # SET search_path = ... (or FROM CURRENT) in its config
    # Its body runs SQL it builds (PL/pgSQL EXECUTE): a call may change objects it is told of
    dynamic: bool = False


@dataclass(repr=False, eq=False, slots=True)
class ReplayState:
    tables: dict[str, Table] = field(default_factory=dict)
    indexes: dict[str, Index] = field(default_factory=dict)
    functions: dict[str, Function] = field(default_factory=dict)
    views: dict[str, View] = field(default_factory=dict)
    enums: dict[str, list[str]] = field(default_factory=dict)
    # (family, key) -> where a DROP or RENAME made the name go away (until it is made again)
    gone: dict[tuple[str, str], Origin] = field(default_factory=dict)
    # Lower-case words of the DO blocks so far: objects they name may have changed unseen.
    opaque: frozenset[str] = frozenset()
    # A fork (None: the replay's own state): ids of the tables it has copied for itself.
    owned: set[int] | None = None
    # Name of a primary key or unique constraint (its index) -> the table it was made on:
    # index names are shared by a schema, so a table renamed away keeps its key's name and a
    # new table under the old name gets `_pkey1`. Checked against the table when looked up
    # (a dropped key frees its name without being removed here).
    key_names: dict[str, str] = field(default_factory=dict)

    def table(self, key: str) -> Table:
        """The table named `key`, to change: a placeholder when the linted migrations never
        created it; in a fork, a copy of the shared table the first time."""
        found = self.tables.get(key)
        if found is None:
            found = self.tables[key] = Table(key, partial=True)
            if self.owned is not None:
                self.owned.add(id(found))
        elif self.owned is not None and id(found) not in self.owned:
            found = self.tables[key] = found.copy()
            self.owned.add(id(found))
        return found

    def fork(self) -> ReplayState:
        """A scratch state for a down script: replaying into it leaves this one as it is.

        The maps are copied; a table is copied when the fork first changes it (`table`);
        the replay replaces indexes, views, functions and enum lists rather than change them.
        """
        return ReplayState(
            dict(self.tables),
            dict(self.indexes),
            dict(self.functions),
            dict(self.views),
            dict(self.enums),
            dict(self.gone),
            self.opaque,
            owned=set(),
            key_names=dict(self.key_names),
        )

    def sure_of_columns(self, table: Table) -> bool:
        """The table's columns are all known: made here, not inherited, no DO block names it."""
        return table.columns_known and table.bare_name.lower() not in self.opaque

    def existed_before(self, key: str, migration: int) -> bool:
        """True when the table was there (likely with rows) before migration `migration`."""
        found = self.tables.get(key)
        if found is None:
            view = self.views.get(key)  # a materialized view made in this migration is empty
            return view is None or view.origin.migration != migration
        return not found.created_in(migration)

    def emptied_in(self, key: str, migration: int) -> bool:
        """True when migration `migration` has emptied the table before this statement."""
        found = self.tables.get(key)
        return found is not None and found.emptied_in == migration

    def index_table(self, index: str) -> str | None:
        found = self.indexes.get(index)
        return found.table if found else None
