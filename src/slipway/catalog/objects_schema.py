"""The Catalog model's objects outside tables: functions, sequences, types, extensions, schemas.

Plain frozen data like `objects.py`; import them from `slipway.catalog.model`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from slipway.catalog.objects import Column, Key, Named, display_name


@dataclass(frozen=True, slots=True)
class Function:
    schema: str
    name: str
    arg_types: str  # oidvectortypes(proargtypes): "uuid, uuid, date, integer" — the identity
    identity_args: str = ""  # pg_get_function_identity_arguments (with argument names)
    result: str | None = None  # pg_get_function_result; None for procedures
    kind: str = "function"  # function, procedure, aggregate, window
    language: str = "sql"
    definition: str | None = None  # pg_get_functiondef (None for aggregates)
    security_definer: bool = False
    config: tuple[str, ...] = ()  # proconfig: "search_path=public, pg_temp"
    volatility: str = "volatile"  # immutable, stable, volatile
    strict: bool = False
    owner: str | None = None
    grants: tuple[str, ...] = ()
    comment: str | None = None
    source: str | None = None  # the body alone: prosrc, or the SQL-standard BEGIN ATOMIC body

    @property
    def key(self) -> Key:
        return ("function", self.schema, self.name, self.arg_types)

    @property
    def signature(self) -> str:
        return f"{display_name(self.schema, self.name)}({self.arg_types})"

    @property
    def label(self) -> str:
        return f"{self.kind} {self.signature}"

    @property
    def search_path(self) -> str | None:
        """The fixed search_path from `SET search_path = ...`, None when not set."""
        for item in self.config:
            if item.startswith("search_path="):
                return item.split("=", 1)[1]
        return None


@dataclass(frozen=True, slots=True)
class Sequence(Named):
    _KIND: ClassVar[str] = "sequence"
    _WORD: ClassVar[str] = "sequence"
    schema: str
    name: str
    type: str = "bigint"
    start: int = 1
    increment: int = 1
    min_value: int = 1
    max_value: int = 9223372036854775807
    cache: int = 1
    cycle: bool = False
    owned_by: str | None = None  # "schema.table.column" for serial/identity sequences
    owner: str | None = None
    grants: tuple[str, ...] = ()
    comment: str | None = None


@dataclass(frozen=True, slots=True)
class EnumType(Named):
    _KIND: ClassVar[str] = "type"
    _WORD: ClassVar[str] = "enum"
    schema: str
    name: str
    labels: tuple[str, ...] = ()  # in sort order (enumsortorder)
    owner: str | None = None
    comment: str | None = None


@dataclass(frozen=True, slots=True)
class Domain(Named):
    _KIND: ClassVar[str] = "type"
    _WORD: ClassVar[str] = "domain"
    schema: str
    name: str
    base_type: str
    nullable: bool = True
    default: str | None = None
    checks: tuple[str, ...] = ()  # "name: CHECK (VALUE > 0)"
    owner: str | None = None
    comment: str | None = None


@dataclass(frozen=True, slots=True)
class CompositeType(Named):
    _KIND: ClassVar[str] = "type"
    _WORD: ClassVar[str] = "type"
    schema: str
    name: str
    attributes: tuple[Column, ...] = ()
    owner: str | None = None
    comment: str | None = None


@dataclass(frozen=True, slots=True)
class Extension:
    name: str
    version: str = ""
    schema: str = "public"

    @property
    def key(self) -> Key:
        return ("extension", self.name)

    @property
    def label(self) -> str:
        return f"extension {self.name}"


@dataclass(frozen=True, slots=True)
class Schema:
    name: str
    owner: str | None = None
    grants: tuple[str, ...] = ()
    comment: str | None = None

    @property
    def key(self) -> Key:
        return ("schema", self.name)

    @property
    def label(self) -> str:
        return f"schema {self.name}"
