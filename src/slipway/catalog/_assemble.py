"""Assemble a Catalog from the rows of queries/*.sql, one result set at a time. Pure.

Results are added in query order (relations and columns before the rest), so each one can be
turned into objects while the server is still computing the next.
"""

from __future__ import annotations

import fnmatch
import re
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable
from typing import TypeVar

from slipway.catalog import _rows
from slipway.catalog._defs import ColumnInfo
from slipway.catalog._rows import Row
from slipway.catalog.model import (
    Catalog,
    Column,
    CompositeType,
    Constraint,
    Domain,
    EnumType,
    Extension,
    Index,
    MatView,
    Policy,
    Schema,
    Table,
    Trigger,
    View,
)

T = TypeVar("T")

#: The order in which results are added: every later one may rely on the earlier ones.
QUERIES = (
    "relations",
    "types",
    "columns",
    "constraints",
    "indexes",
    "triggers",
    "policies",
    "functions",
    "sequences",
    "schemas",
    "extensions",
)


_LITERAL = re.compile(r"(?:[^*?\[]|\[[*?\[]\])*")


class TableFilter:
    """Which tables `exclude_tables` leaves out: shell patterns on `name` or `schema.name`.

    Callers may pass thousands of literal names (verify excludes every unchanged table), so
    literal patterns (also `[*]`-escaped ones) go to a set; only real globs are matched.
    """

    def __init__(self, patterns: Collection[str]) -> None:
        self.literal: set[str] = set()
        globs: list[str] = []
        for pattern in patterns:
            if _LITERAL.fullmatch(pattern):
                self.literal.add(re.sub(r"\[([*?\[])\]", r"\1", pattern))
            else:
                globs.append(fnmatch.translate(pattern))
        self.glob = re.compile("|".join(globs)) if globs else None

    def __call__(self, row: Row) -> bool:
        """Whether a relation row is a table to leave out."""
        if row["relkind"] not in "rpf":
            return False
        name, qualified = row["name"], f"{row['schema']}.{row['name']}"
        if name in self.literal or qualified in self.literal:
            return True
        return bool(self.glob and (self.glob.match(name) or self.glob.match(qualified)))


def _group(rows: Iterable[Row], make: Callable[[Row], T]) -> dict[int, list[T]]:
    grouped: dict[int, list[T]] = defaultdict(list)
    for row in rows:
        grouped[row["rel"]].append(make(row))
    return grouped


class Assembler:
    def __init__(self, exclude_tables: Collection[str], privileges: bool) -> None:
        self.exclude = TableFilter(exclude_tables)
        self.privs = privileges
        self.rels: list[Row] = []
        self.excluded: set[tuple[str, str]] = set()
        self.types: list[Row] = []
        self.columns: dict[int, list[Column]] = {}
        self.constraints: dict[int, list[Constraint]] = {}
        self.indexes: dict[int, list[Index]] = {}
        self.triggers: dict[int, list[Trigger]] = {}
        self.policies: dict[int, list[Policy]] = {}
        self.attrs: dict[int, dict[int, ColumnInfo]] = defaultdict(dict)
        self.quoted: dict[int, str] = {}  # relation oid -> quoted schema.name
        self.parts: dict[str, tuple[object, ...]] = {}

    def add(self, name: str, rows: list[Row]) -> None:
        getattr(self, f"_add_{name}")(rows)

    def _add_relations(self, rows: list[Row]) -> None:
        for row in rows:
            self.quoted[row["oid"]] = row["quoted"]
            if self.exclude(row):
                self.excluded.add((row["schema"], row["name"]))
            else:
                self.rels.append(row)

    def _add_types(self, rows: list[Row]) -> None:
        self.types = rows

    def _add_columns(self, rows: list[Row]) -> None:
        for row in rows:
            info = (row["name"], row["quoted"], row["collation_oid"])
            self.attrs[row["rel"]][row["ordinal"]] = info
        self.columns = _group(rows, lambda r: _rows.column(r, self.privs))

    def _add_constraints(self, rows: list[Row]) -> None:
        self.constraints = _group(rows, lambda r: _rows.constraint(r, self.attrs[r["rel"]]))

    def _add_indexes(self, rows: list[Row]) -> None:
        self.indexes = _group(
            rows, lambda r: _rows.index(r, self.quoted.get(r["rel"], ""), self.attrs[r["rel"]])
        )

    def _add_triggers(self, rows: list[Row]) -> None:
        self.triggers = _group(rows, _rows.trigger)

    def _add_policies(self, rows: list[Row]) -> None:
        self.policies = _group(rows, _rows.policy)

    def _add_functions(self, rows: list[Row]) -> None:
        self.parts["functions"] = tuple(_rows.function(r, self.privs) for r in rows)

    def _add_sequences(self, rows: list[Row]) -> None:
        self.parts["sequences"] = tuple(
            _rows.sequence(r, self.privs)
            for r in rows
            if (r["owner_schema"], r["owner_table"]) not in self.excluded
        )

    def _add_schemas(self, rows: list[Row]) -> None:
        self.parts["schemas"] = tuple(
            Schema(r["name"], r["owner"], _rows.acl(r, self.privs), r["comment"]) for r in rows
        )

    def _add_extensions(self, rows: list[Row]) -> None:
        self.parts["extensions"] = tuple(
            Extension(r["name"], r["version"], r["schema"]) for r in rows
        )

    @staticmethod
    def _of(members: dict[int, list[T]], oid: int) -> tuple[T, ...]:
        return tuple(members.get(oid, ()))

    def catalog(self, server_version: int) -> Catalog:
        rels, types = self.rels, self.types
        return Catalog(
            server_version=server_version,
            tables=tuple(self._table(r) for r in rels if r["relkind"] in "rpf"),
            views=tuple(self._view(r) for r in rels if r["relkind"] == "v"),
            matviews=tuple(self._matview(r) for r in rels if r["relkind"] == "m"),
            enums=tuple(_enum(t) for t in types if t["typtype"] == "e"),
            domains=tuple(_domain(t) for t in types if t["typtype"] == "d"),
            composites=tuple(self._composite(t) for t in types if t["typtype"] == "c"),
            **self.parts,  # type: ignore[arg-type]
        )

    def _table(self, r: Row) -> Table:
        oid = r["oid"]
        parent = (r["parent_schema"], r["parent_name"]) if r["parent_name"] else None
        return Table(
            schema=r["schema"],
            name=r["name"],
            kind=_rows.TABLE_KINDS[r["relkind"]],
            columns=self._of(self.columns, oid),
            constraints=self._of(self.constraints, oid),
            indexes=self._of(self.indexes, oid),
            triggers=self._of(self.triggers, oid),
            policies=self._of(self.policies, oid),
            rls_enabled=r["rls_enabled"],
            rls_forced=r["rls_forced"],
            partition_strategy=_rows.PARTITION_STRATEGIES.get(r["partstrat"] or ""),
            partition_key=r["partkey"],
            partition_columns=_rows.texts(r["partcols"]),
            partition_key_type=r["partkey_type"],
            parent=parent,
            partition_bound=r["partbound"],
            is_default_partition=r["partbound"] == "DEFAULT",
            detach_pending=r["detach_pending"],
            comment=r["comment"],
            owner=r["owner"],
            grants=_rows.acl(r, self.privs),
            reloptions=_rows.texts(r["reloptions"]),
            estimated_rows=r["reltuples"],
            unlogged=r["unlogged"],
        )

    def _view(self, r: Row) -> View:
        return View(
            schema=r["schema"],
            name=r["name"],
            definition=r["viewdef"],
            options=_rows.texts(r["reloptions"]),
            columns=self._of(self.columns, r["oid"]),
            reads=_reads(r),
            owner=r["owner"],
            grants=_rows.acl(r, self.privs),
            comment=r["comment"],
            triggers=self._of(self.triggers, r["oid"]),
        )

    def _matview(self, r: Row) -> MatView:
        return MatView(
            schema=r["schema"],
            name=r["name"],
            definition=r["viewdef"],
            options=_rows.texts(r["reloptions"]),
            columns=self._of(self.columns, r["oid"]),
            indexes=self._of(self.indexes, r["oid"]),
            populated=r["populated"],
            reads=_reads(r),
            owner=r["owner"],
            grants=_rows.acl(r, self.privs),
            comment=r["comment"],
        )

    def _composite(self, t: Row) -> CompositeType:
        attrs = self._of(self.columns, t["rel"])
        return CompositeType(t["schema"], t["name"], attrs, t["owner"], t["comment"])


def _reads(r: Row) -> tuple[tuple[str, str], ...]:
    return tuple(sorted((schema, name) for schema, name in r["reads"] or ()))


def _enum(t: Row) -> EnumType:
    return EnumType(t["schema"], t["name"], _rows.texts(t["labels"]), t["owner"], t["comment"])


def _domain(t: Row) -> Domain:
    return Domain(
        schema=t["schema"],
        name=t["name"],
        base_type=t["base_type"],
        nullable=t["nullable"],
        default=t["default"],
        checks=_rows.texts(t["checks"]),
        owner=t["owner"],
        comment=t["comment"],
    )
