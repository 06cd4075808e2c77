"""The shared check of the ban-drop-<object> rules (function, view, type, schema, ...)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from slipway.lint.rule import Hit, Rule, StatementContext
from slipway.lint.rules._objects import FAMILIES, created_earlier, created_later, object_name

_NOUNS = {
    "OBJECT_FUNCTION": "function",
    "OBJECT_PROCEDURE": "procedure",
    "OBJECT_ROUTINE": "routine",
    "OBJECT_VIEW": "view",
    "OBJECT_MATVIEW": "materialized view",
    "OBJECT_TYPE": "type",
    "OBJECT_DOMAIN": "domain",
    "OBJECT_SCHEMA": "schema",
    "OBJECT_SEQUENCE": "sequence",
    "OBJECT_EXTENSION": "extension",
}


class DropObjectRule(Rule):
    """Base of the ban-drop-<object> rules: one DROP of the given kinds, object by object.

    An object the same script created earlier is not reported (nothing deployed uses it). With
    `replaceable`, neither is one the script creates again under the same name after the DROP
    (the usual way to change a view's columns or a function's signature), unless CASCADE also
    drops what depends on it or the migration runs outside a transaction (clients would see
    the object missing in between).
    """

    remove_types: ClassVar[tuple[str, ...]]
    replaceable: ClassVar[bool] = False
    breaks: ClassVar[str]  # "breaks ..." part of the message
    cascade_note: ClassVar[str] = "; CASCADE also drops everything that depends on it"
    severity = "warning"

    def __init_subclass__(cls, **kwargs: object) -> None:
        super().__init_subclass__(**kwargs)
        if "remove_types" in cls.__dict__:  # called only for a DROP of its object kinds
            cls.kinds = tuple(f"DropStmt:{t}" for t in cls.remove_types)

    def check(self, ctx: StatementContext) -> Iterator[Hit]:
        node = ctx.stmt.node
        remove = node.get("removeType")
        if remove not in self.remove_types:
            return
        cascade = node.get("behavior") == "DROP_CASCADE"
        family = FAMILIES[str(remove)]
        for obj in node.get("objects", []):
            key = object_name(obj)
            if not key or created_earlier(ctx, family, key):
                continue
            # Outside a transaction, clients see the gap before the re-creation.
            atomic = not ctx.non_transactional
            if self.replaceable and not cascade and atomic and created_later(ctx, family, key):
                continue
            note = self.cascade_note if cascade else ""
            yield Hit(f"dropping {_NOUNS[str(remove)]} {key} {self.breaks}{note}")
