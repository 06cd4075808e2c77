"""What a column's type is, read back from the Catalog: its base type, category, enum labels
and length. Pure; for the row generator (`catalog/testrows.py`).

The Catalog keeps a type as format_type() prints it ("character varying(40)", "app.mood",
`"Sales"."Status"[]`), with the enums and domains it names beside it; this is the one place
that text is turned back into what a value of it must look like. A domain is followed to
its base type (through other domains), so a domain over an enum gives the enum's labels and
one over varchar(5) its length.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from slipway.catalog.model import Catalog, Domain, EnumType
from slipway.sql.quote import quote_ident
from slipway.sql.types import TYPNAMES

__all__ = ["TypeShape", "TypeShapes"]


@dataclass(frozen=True)
class TypeShape:
    base_type: str  # pg_type.typname of the base type ("int2", "varchar", "timestamptz")
    category: str  # pg_type.typcategory: N numeric, B boolean, D date/time, E enum, A array...
    cast: str  # the type to cast to: a user type schema-qualified, so any search_path finds it
    labels: tuple[str, ...] = ()  # an enum's labels, in order
    max_length: int | None = None  # character varying(n), character(n)


# The typcategory of the built-in types a value is made for (by typname; format_type()'s
# spelling goes through slipway.sql.types). Others (bit, ranges, geometry but point...) get
# text, as the generator always gave them.
_CATEGORIES = {
    **dict.fromkeys(("int2", "int4", "int8", "float4", "float8", "numeric", "money", "oid"), "N"),
    "bool": "B",
    **dict.fromkeys(("inet", "cidr"), "I"),
    "interval": "T",
    **dict.fromkeys(("date", "timestamp", "timestamptz", "time", "timetz"), "D"),
    **dict.fromkeys(("varchar", "bpchar", "text", "name"), "S"),
    "char": "Z",
    **dict.fromkeys(("uuid", "json", "jsonb", "bytea", "xml", "tsvector"), "U"),
    "point": "G",
}
_MODIFIERS = re.compile(r"\((\d+)(?:,\d+)?\)")
_PART = re.compile(r'"((?:[^"]|"")*)"|([^".(]+)')
_DEPTH = 10  # domains over domains: PostgreSQL has no cycles, this only bounds a bad snapshot


class TypeShapes:
    """Shapes of the types of one Catalog, by their format_type() text (computed once each)."""

    def __init__(self, catalog: Catalog) -> None:
        types: list[EnumType | Domain] = [*catalog.enums, *catalog.domains]
        self._types = {(t.schema, t.name): t for t in types}
        self._known: dict[str, TypeShape] = {}

    def of(self, text: str, depth: int = 0) -> TypeShape:
        shape = self._known.get(text)
        if shape is None:
            shape = self._known[text] = self._shape(text, depth)
        return shape

    def _shape(self, text: str, depth: int) -> TypeShape:
        if text.endswith("[]"):  # any array: the generator writes '{}'
            element = self.of(text[:-2], depth)
            return TypeShape("_" + element.base_type, "A", element.cast + "[]")
        lengths = _MODIFIERS.findall(text)
        bare = _MODIFIERS.sub("", text)
        name = "interval" if bare.startswith("interval ") else TYPNAMES.get(bare, bare)
        if name in _CATEGORIES:  # `interval year to month` is an interval too
            category = _CATEGORIES[name]
            length = int(lengths[0]) if lengths and name in ("varchar", "bpchar") else None
            return TypeShape(name, category, text, max_length=length)
        found = self._user_type(text)
        if isinstance(found, EnumType):
            return TypeShape(found.name, "E", _qualified(found), labels=found.labels)
        if isinstance(found, Domain) and depth < _DEPTH:
            base = self.of(found.base_type, depth + 1)
            return TypeShape(
                base.base_type, base.category, _qualified(found), base.labels, base.max_length
            )
        return TypeShape(bare, "U", text)  # an extension's or a composite type: text

    def _user_type(self, text: str) -> EnumType | Domain | None:
        """The enum or domain `text` names: `mood` is public's (format_type() ran with
        search_path public), `app.mood` and `"Sales"."Status"` say their schema."""
        parts, pos = [], 0
        while (m := _PART.match(text, pos)) is not None:
            parts.append(m.group(1).replace('""', '"') if m.group(1) is not None else m.group(2))
            pos = m.end()
            if not text.startswith(".", pos):
                break
            pos += 1
        if len(parts) == 1:
            parts.insert(0, "public")
        return self._types.get((parts[0], parts[1])) if len(parts) == 2 else None


def _qualified(t: EnumType | Domain) -> str:
    return f"{quote_ident(t.schema)}.{quote_ident(t.name)}"
