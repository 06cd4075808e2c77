"""The objects of the Catalog model (tables, columns, functions...): plain frozen data.

Introspection (live database), the lint replay (migration files) and saved JSON snapshots fill
it; diff, verify, doctor, lint and the docs only read it. No I/O here.

Naming: `schema.name` is shown as plain `name` when the schema is `public` (the messages people
read: "index users_email_idx left behind", "column customers.opted_out_at ..."), otherwise
qualified. Every object has a stable `key` (a tuple, identical across databases) and a `label`.
Objects that live inside a table (columns, constraints, indexes, policies, triggers) get theirs
from `key_in(table)` / `label_in(table)`, so they stay plain values.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import ClassVar, Protocol, TypeVar

from slipway.catalog.fk_coverage import covers_foreign_key
from slipway.sql.quote import quote_ident_if_needed

Key = tuple[str, ...]


class _Named(Protocol):
    @property
    def name(self) -> str: ...


_N = TypeVar("_N", bound=_Named)


def by_name(items: tuple[_N, ...]) -> tuple[_N, ...]:
    """Items in canonical order (by name), so equal schemas compare and serialize equal."""
    return tuple(sorted(items, key=lambda item: item.name))


def display_name(schema: str, name: str) -> str:
    """`users` for public.users, `audit.events` elsewhere."""
    return name if schema == "public" else f"{schema}.{name}"


class Named:
    """Base of the schema-qualified objects: their `key` and `label` from two class words.

    A plain class with empty slots, so the frozen slotted dataclasses below stay slotted.
    """

    __slots__ = ()
    _KIND: ClassVar[str] = ""  # first element of the key: "table", "type"...
    _WORD: ClassVar[str] = ""  # first word of the label: "table", "enum"...
    schema: str
    name: str

    @property
    def key(self) -> Key:
        return (self._KIND, self.schema, self.name)

    @property
    def display(self) -> str:
        return display_name(self.schema, self.name)

    @property
    def label(self) -> str:
        return f"{self._WORD} {self.display}"


class OnTable:
    """Base of objects named per table (constraints, policies, triggers): "policy p on t"."""

    __slots__ = ()
    _KIND: ClassVar[str] = ""
    name: str

    def key_in(self, rel: Relation) -> Key:
        return (self._KIND, rel.schema, rel.name, self.name)

    def label_in(self, rel: Relation) -> str:
        return f"{self._KIND} {self.name} on {display_name(rel.schema, rel.name)}"


class Relation(Protocol):
    """Anything with a schema and a name (a table, view or materialized view)."""

    @property
    def schema(self) -> str: ...

    @property
    def name(self) -> str: ...


@dataclass(frozen=True, slots=True)
class Column:
    name: str
    type: str  # format_type() text: "character varying(255)", "timestamp with time zone"
    nullable: bool = True
    default: str | None = None  # pg_get_expr text, None when there is none
    identity: str = ""  # 'a' ALWAYS, 'd' BY DEFAULT, '' not an identity column
    # expression of a GENERATED ALWAYS AS (...) column, STORED or (PostgreSQL 18) VIRTUAL
    generated: str | None = None
    comment: str | None = None
    ordinal: int = 0  # attnum; not compared by diff (dropped columns leave gaps)
    collation: str | None = None  # only when it differs from the type's default
    grants: tuple[str, ...] = ()  # column-level ACL entries

    def key_in(self, rel: Relation) -> Key:
        return ("column", rel.schema, rel.name, self.name)

    def label_in(self, rel: Relation) -> str:
        return f"column {display_name(rel.schema, rel.name)}.{self.name}"


@dataclass(frozen=True, slots=True)
class Constraint(OnTable):
    _KIND: ClassVar[str] = "constraint"
    name: str
    type: str  # p primary key, u unique, f foreign key, c check, x exclusion, t trigger
    definition: str  # pg_get_constraintdef
    columns: tuple[str, ...] = ()
    ref_schema: str | None = None  # foreign keys: the referenced table
    ref_table: str | None = None
    ref_columns: tuple[str, ...] = ()
    on_delete: str | None = None  # NO ACTION, RESTRICT, CASCADE, SET NULL, SET DEFAULT
    on_update: str | None = None
    validated: bool = True  # False for NOT VALID
    deferrable: bool = False
    deferred: bool = False  # INITIALLY DEFERRED
    index: str | None = None  # the index backing a p/u/x constraint
    comment: str | None = None
    inherited: bool = False  # cloned onto a partition from its parent's constraint

    @property
    def is_foreign_key(self) -> bool:
        return self.type == "f"


def granted_to_others(grants: Iterable[str], owner: str | None) -> bool:
    """Whether aclitem texts ("app=r/owner", "=r/owner" for PUBLIC) grant anything to a role
    other than `owner`."""
    return any(item.partition("=")[0].strip('"') != owner for item in grants)


_PRIVILEGES = {
    "r": "SELECT",
    "w": "UPDATE",
    "a": "INSERT",
    "d": "DELETE",
    "D": "TRUNCATE",
    "x": "REFERENCES",
    "t": "TRIGGER",
    "X": "EXECUTE",
    "U": "USAGE",
    "C": "CREATE",
    "c": "CONNECT",
    "T": "TEMPORARY",
    "m": "MAINTAIN",
    "s": "SET",
    "A": "ALTER SYSTEM",
}


def privileges(acl: Iterable[str], owner: str | None = None) -> set[tuple[str, str]]:
    """aclitem texts as (grantee, privilege) pairs: {("app", "SELECT WITH GRANT OPTION")}.

    The grantor is left out (it differs between environments without meaning anything), and
    the owner's own privileges are attributed to "the owner", so a change of owner is
    reported once, as an owner change.
    """
    pairs: set[tuple[str, str]] = set()
    for item in acl:
        grantee, _, rest = item.partition("=")
        letters = rest.split("/", 1)[0]
        grantee = grantee.strip('"') or "PUBLIC"
        if owner is not None and grantee == owner:
            grantee = "the owner"
        for i, letter in enumerate(letters):
            if letter == "*":
                continue
            priv = _PRIVILEGES.get(letter, letter)
            option = i + 1 < len(letters) and letters[i + 1] == "*"
            pairs.add((grantee, priv + " WITH GRANT OPTION" if option else priv))
    return pairs


@dataclass(frozen=True, slots=True)
class Index:
    name: str
    definition: str  # pg_get_indexdef
    columns: tuple[str, ...] = ()  # key columns; expressions as text
    unique: bool = False
    primary: bool = False
    valid: bool = True  # False: left INVALID by a failed CREATE INDEX CONCURRENTLY
    predicate: str | None = None  # WHERE clause of a partial index
    method: str = "btree"
    include: tuple[str, ...] = ()  # INCLUDE (...) columns
    constraint: str | None = None  # name of the constraint it backs, if any
    comment: str | None = None

    @property
    def key_specs(self) -> tuple[str, ...]:
        """Each key column as the definition writes it, with its operator class, collation
        and ordering when they are not the defaults: `a`, `b DESC`, `lower(name)`,
        `c COLLATE "C" text_pattern_ops`. Two indexes of one table whose specs, method,
        INCLUDE columns and predicate are equal answer the same queries."""
        marker = f" USING {quote_ident_if_needed(self.method)} ("
        start = self.definition.find(marker)
        if start < 0:
            return self.columns
        return _split_list(self.definition, start + len(marker))

    def key_in(self, rel: Relation) -> Key:
        # Index names are unique per schema, so the table is not part of the key.
        return ("index", rel.schema, self.name)

    def label_in(self, rel: Relation) -> str:
        return f"index {display_name(rel.schema, self.name)}"


def _split_list(text: str, pos: int) -> tuple[str, ...]:
    """The comma-separated items of the parenthesised list that starts at `pos` (after its
    opening parenthesis), minding nested parentheses, quoted names and string literals."""
    items: list[str] = []
    depth, quote, item_start = 0, "", pos
    for i in range(pos, len(text)):
        ch = text[i]
        if quote:
            if ch == quote:
                quote = ""  # a doubled quote closes and reopens: same result
        elif ch in "\"'":
            quote = ch
        elif ch == "(":
            depth += 1
        elif ch == ")" and depth:
            depth -= 1
        elif ch in ",)" and depth == 0:
            items.append(text[item_start:i].strip())
            if ch == ")":
                break
            item_start = i + 1
    return tuple(items)


@dataclass(frozen=True, slots=True)
class Policy(OnTable):
    _KIND: ClassVar[str] = "policy"
    name: str
    command: str = "ALL"  # ALL, SELECT, INSERT, UPDATE, DELETE
    permissive: bool = True
    roles: tuple[str, ...] = ("public",)
    using: str | None = None
    with_check: str | None = None


@dataclass(frozen=True, slots=True)
class Trigger(OnTable):
    _KIND: ClassVar[str] = "trigger"
    name: str
    definition: str  # pg_get_triggerdef
    enabled: bool = True
    enabled_mode: str = "O"  # tgenabled: O origin, D disabled, R replica, A always
    comment: str | None = None


@dataclass(frozen=True, slots=True)
class Table(Named):
    _KIND: ClassVar[str] = "table"
    _WORD: ClassVar[str] = "table"
    schema: str
    name: str
    kind: str = "ordinary"  # ordinary, partitioned, foreign
    columns: tuple[Column, ...] = ()
    constraints: tuple[Constraint, ...] = ()
    indexes: tuple[Index, ...] = ()
    triggers: tuple[Trigger, ...] = ()
    policies: tuple[Policy, ...] = ()
    rls_enabled: bool = False
    rls_forced: bool = False
    partition_strategy: str | None = None  # range, list, hash (partitioned tables)
    partition_key: str | None = None  # pg_get_partkeydef: "RANGE (created_at)"
    partition_columns: tuple[str, ...] = ()  # the key's columns in order; "" for an expression
    # the first key column's type without modifier ("timestamp with time zone"); None for an
    # expression or when unknown (the lint replay)
    partition_key_type: str | None = None
    parent: tuple[str, str] | None = None  # (schema, name) of the partitioned parent
    partition_bound: str | None = None  # "FOR VALUES FROM (...) TO (...)" or "DEFAULT"
    is_default_partition: bool = False
    detach_pending: bool = False  # a DETACH PARTITION ... CONCURRENTLY that did not finish
    comment: str | None = None
    owner: str | None = None
    grants: tuple[str, ...] = ()  # aclitem text: "app=arwd/postgres"
    reloptions: tuple[str, ...] = ()  # "fillfactor=70"
    estimated_rows: float = -1  # reltuples; -1 never analyzed. Never compared.
    unlogged: bool = False

    def __post_init__(self) -> None:
        # Members are kept sorted by name (columns keep table order): equality is semantic.
        for attr in ("constraints", "indexes", "triggers", "policies"):
            object.__setattr__(self, attr, by_name(getattr(self, attr)))

    @property
    def qualified(self) -> str:
        return f"{self.schema}.{self.name}"

    @property
    def is_partitioned(self) -> bool:
        return self.kind == "partitioned"

    @property
    def is_partition(self) -> bool:
        return self.parent is not None

    def column(self, name: str) -> Column | None:
        return next((c for c in self.columns if c.name == name), None)

    def constraint(self, name: str) -> Constraint | None:
        return next((c for c in self.constraints if c.name == name), None)

    def index(self, name: str) -> Index | None:
        return next((i for i in self.indexes if i.name == name), None)

    def policy(self, name: str) -> Policy | None:
        return next((p for p in self.policies if p.name == name), None)

    def trigger(self, name: str) -> Trigger | None:
        return next((t for t in self.triggers if t.name == name), None)

    @property
    def primary_key(self) -> Constraint | None:
        return next((c for c in self.constraints if c.type == "p"), None)

    @property
    def primary_key_columns(self) -> tuple[str, ...]:
        pk = self.primary_key
        return pk.columns if pk else ()

    @property
    def foreign_keys(self) -> tuple[Constraint, ...]:
        return tuple(c for c in self.constraints if c.type == "f")

    @property
    def shared(self) -> bool:
        """Granted to a role other than its owner (PUBLIC included)."""
        return granted_to_others(self.grants, self.owner)

    def policies_for(self, command: str) -> tuple[Policy, ...]:
        """Policies that apply to `command` (SELECT/INSERT/UPDATE/DELETE), ALL included."""
        return tuple(p for p in self.policies if p.command in ("ALL", command.upper()))

    def covering_index(self, fk: Constraint) -> Index | None:
        """The first index that serves `fk`'s lookups (see `covers_foreign_key`); the indexes
        behind the primary key and unique constraints are among `indexes`."""
        return next(
            (
                ix
                for ix in self.indexes
                if covers_foreign_key(
                    fk.columns, ix.columns, method=ix.method, valid=ix.valid, predicate=ix.predicate
                )
            ),
            None,
        )


@dataclass(frozen=True, slots=True)
class View(Named):
    _KIND: ClassVar[str] = "view"
    _WORD: ClassVar[str] = "view"
    schema: str
    name: str
    definition: str  # pg_get_viewdef
    options: tuple[str, ...] = ()  # reloptions: "security_invoker=true", "security_barrier=true"
    columns: tuple[Column, ...] = ()
    owner: str | None = None
    grants: tuple[str, ...] = ()
    comment: str | None = None
    triggers: tuple[Trigger, ...] = ()  # INSTEAD OF triggers
    # (schema, name) of the relations its query reads; live introspection only. Not compared.
    reads: tuple[tuple[str, str], ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "triggers", by_name(self.triggers))

    @property
    def security_invoker(self) -> bool:
        return _option_true(self.options, "security_invoker")

    @property
    def shared(self) -> bool:
        """Granted to a role other than its owner (PUBLIC included)."""
        return granted_to_others(self.grants, self.owner)


@dataclass(frozen=True, slots=True)
class MatView(Named):
    _KIND: ClassVar[str] = "matview"
    _WORD: ClassVar[str] = "materialized view"
    schema: str
    name: str
    definition: str
    options: tuple[str, ...] = ()
    columns: tuple[Column, ...] = ()
    indexes: tuple[Index, ...] = ()
    populated: bool = True  # False: created WITH NO DATA and never refreshed
    reads: tuple[tuple[str, str], ...] = ()  # as View.reads
    owner: str | None = None
    grants: tuple[str, ...] = ()
    comment: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "indexes", by_name(self.indexes))

    def index(self, name: str) -> Index | None:
        return next((i for i in self.indexes if i.name == name), None)

    @property
    def shared(self) -> bool:
        """Granted to a role other than its owner (PUBLIC included)."""
        return granted_to_others(self.grants, self.owner)


def _option_true(options: Iterable[str], name: str) -> bool:
    for opt in options:
        key, _, value = opt.partition("=")
        if key == name:
            return value.lower() in ("true", "on", "1", "yes", "")
    return False
