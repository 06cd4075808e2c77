"""The Catalog model: one database schema as plain, frozen data (tbls' schema.go, in Python).

Introspection (live database), the lint replay (migration files) and saved JSON snapshots fill
it; diff, verify, doctor, lint and the docs only read it. No I/O here. The per-object classes
live in `objects.py` and are re-exported from here: import everything from this module.

Name lookups accept "users" (public first, then the first schema holding it) or "audit.events".
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TypeAlias, TypeVar

from slipway.catalog.fk_coverage import covers_foreign_key
from slipway.catalog.objects import (
    Column,
    Constraint,
    Index,
    Key,
    MatView,
    Policy,
    Relation,
    Table,
    Trigger,
    View,
    display_name,
)
from slipway.catalog.objects_schema import (
    CompositeType,
    Domain,
    EnumType,
    Extension,
    Function,
    Schema,
    Sequence,
)

CatalogObject: TypeAlias = (
    Schema
    | Table
    | View
    | MatView
    | Function
    | Sequence
    | EnumType
    | Domain
    | CompositeType
    | Extension
)
_Named = TypeVar("_Named", Table, View, MatView, Sequence, EnumType, Domain, CompositeType)


def split_name(name: str) -> tuple[str | None, str]:
    """ "audit.events" -> ("audit", "events"); "users" -> (None, "users")."""
    schema, dot, rest = name.partition(".")
    return (schema, rest) if dot else (None, name)


def _find(items: tuple[_Named, ...], name: str | Relation) -> _Named | None:
    if not isinstance(name, str):
        schema: str | None = name.schema
        bare = name.name
    else:
        schema, bare = split_name(name)
    matches = [o for o in items if o.name == bare and (schema is None or o.schema == schema)]
    if not matches:
        return None
    return next((o for o in matches if o.schema == "public"), matches[0])


@dataclass(frozen=True, slots=True)
class Catalog:
    server_version: int = 0  # server_version_num, e.g. 150004; 0 when unknown (lint replay)
    schemas: tuple[Schema, ...] = ()
    tables: tuple[Table, ...] = ()
    views: tuple[View, ...] = ()
    matviews: tuple[MatView, ...] = ()
    functions: tuple[Function, ...] = ()
    sequences: tuple[Sequence, ...] = ()
    enums: tuple[EnumType, ...] = ()
    domains: tuple[Domain, ...] = ()
    composites: tuple[CompositeType, ...] = ()
    extensions: tuple[Extension, ...] = ()
    # Lookup index built once; not part of equality, repr or the JSON form.
    _tables_by_key: dict[Key, Table] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        # Canonical order (by key), so equal catalogs compare and serialize equal.
        for f in _COLLECTIONS:
            items: tuple[CatalogObject, ...] = getattr(self, f)
            object.__setattr__(self, f, tuple(sorted(items, key=_object_key)))
        object.__setattr__(self, "_tables_by_key", {t.key: t for t in self.tables})

    # --- lookups -------------------------------------------------------------------------
    def table(self, name: str | Relation) -> Table | None:
        if not isinstance(name, str):
            return self._tables_by_key.get(("table", name.schema, name.name))
        schema, bare = split_name(name)
        if schema is not None:
            return self._tables_by_key.get(("table", schema, bare))
        return self._tables_by_key.get(("table", "public", bare)) or _find(self.tables, bare)

    def view(self, name: str | Relation) -> View | None:
        return _find(self.views, name)

    def matview(self, name: str | Relation) -> MatView | None:
        return _find(self.matviews, name)

    def relation(self, name: str | Relation) -> Table | View | MatView | None:
        """A table, view or materialized view by name, in that order of preference."""
        return self.table(name) or self.view(name) or self.matview(name)

    def sequence(self, name: str | Relation) -> Sequence | None:
        return _find(self.sequences, name)

    def enum(self, name: str | Relation) -> EnumType | None:
        return _find(self.enums, name)

    def domain(self, name: str | Relation) -> Domain | None:
        return _find(self.domains, name)

    def schema(self, name: str) -> Schema | None:
        return next((s for s in self.schemas if s.name == name), None)

    def extension(self, name: str) -> Extension | None:
        return next((e for e in self.extensions if e.name == name), None)

    def functions_named(self, name: str) -> tuple[Function, ...]:
        """Every overload of a function or procedure ("f" or "schema.f")."""
        schema, bare = split_name(name)
        return tuple(
            f for f in self.functions if f.name == bare and (schema is None or f.schema == schema)
        )

    def function(self, name: str, arg_types: str | None = None) -> Function | None:
        """One function by name, and by its argument types ("uuid, integer") if overloaded."""
        found = self.functions_named(name)
        if arg_types is not None:
            found = tuple(f for f in found if f.arg_types == arg_types)
        return found[0] if found else None

    def objects(self) -> Iterator[CatalogObject]:
        """Every top-level object, in a stable order (kind, then as stored)."""
        yield from self.schemas
        yield from self.extensions
        yield from self.enums
        yield from self.domains
        yield from self.composites
        yield from self.sequences
        yield from self.tables
        yield from self.views
        yield from self.matviews
        yield from self.functions

    # --- helpers other features need -----------------------------------------------------
    def foreign_keys(
        self, table: str | Relation | None = None
    ) -> tuple[tuple[Table, Constraint], ...]:
        """(table, fk) pairs: of one table, or of the whole catalog when `table` is None."""
        tables = self.tables if table is None else _opt(self.table(table))
        return tuple((t, c) for t in tables for c in t.foreign_keys)

    def referencing(self, table: str | Relation) -> tuple[tuple[Table, Constraint], ...]:
        """(table, fk) pairs of every foreign key that points at `table`."""
        target = self.table(table)
        if target is None:
            return ()
        return tuple(
            (t, c)
            for t, c in self.foreign_keys()
            if c.ref_table == target.name and c.ref_schema == target.schema
        )

    def uncovered_foreign_keys(self) -> tuple[tuple[Table, Constraint], ...]:
        """Foreign keys without an index whose leading columns are the FK's columns."""
        return tuple((t, c) for t, c in self.foreign_keys() if t.covering_index(c) is None)

    def partitions(self, table: str | Relation) -> tuple[Table, ...]:
        """Direct partitions of a partitioned table (the default partition included)."""
        parent = self.table(table)
        if parent is None:
            return ()
        return tuple(t for t in self.tables if t.parent == (parent.schema, parent.name))

    def default_partition(self, table: str | Relation) -> Table | None:
        return next((t for t in self.partitions(table) if t.is_default_partition), None)


_COLLECTIONS = (
    "schemas",
    "tables",
    "views",
    "matviews",
    "functions",
    "sequences",
    "enums",
    "domains",
    "composites",
    "extensions",
)


def _object_key(obj: CatalogObject) -> Key:
    return obj.key


def _opt(table: Table | None) -> tuple[Table, ...]:
    return (table,) if table is not None else ()


__all__ = [
    "Catalog",
    "CatalogObject",
    "Column",
    "CompositeType",
    "Constraint",
    "Domain",
    "EnumType",
    "Extension",
    "Function",
    "Index",
    "Key",
    "MatView",
    "Policy",
    "Relation",
    "Schema",
    "Sequence",
    "Table",
    "Trigger",
    "View",
    "covers_foreign_key",
    "display_name",
    "split_name",
]
