"""What one parsed statement creates, alters, drops and refers to (pglast JSON, no I/O).

Objects are named by namespace and key: `relation` (tables, views, materialized views,
sequences and indexes share pg_class), `type`, `function`, `trigger` and `policy` (keyed
`table.name`), `schema`, `extension`. Keys follow the lint replay: `name` in public,
`schema.name` elsewhere.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from slipway.sql import nodes as n
from slipway.sql.nodes import Node


@dataclass(frozen=True, slots=True)
class Obj:
    namespace: str  # relation | type | function | trigger | policy | schema | extension
    key: str
    kind: str  # what people call it: table, partition, view, index, enum, ...

    @property
    def label(self) -> str:
        return f"{self.kind} {self.key}"


# What a statement does to an object.
Action = Literal["creates", "alters", "drops", "writes"]


@dataclass(frozen=True, slots=True)
class Change:
    action: Action
    obj: Obj
    detail: str = ""


@dataclass(frozen=True, slots=True)
class Ref:
    namespace: str
    key: str
    how: str  # foreign key, ALTER TABLE, CREATE INDEX ON, view reads, uses type, ...
    best_effort: bool = False


_RELATION_FIELD = {
    "AlterTableStmt": "ALTER TABLE",
    "IndexStmt": "CREATE INDEX ON",
    "CreateTrigStmt": "CREATE TRIGGER ON",
    "InsertStmt": "INSERT INTO",
    "UpdateStmt": "UPDATE",
    "DeleteStmt": "DELETE FROM",
    "MergeStmt": "MERGE INTO",
    "RenameStmt": "RENAME",
    "RefreshMatViewStmt": "REFRESH",
    "TruncateStmt": "TRUNCATE",
}
_FIELD_HOW = {
    "pktable": "foreign key",
    "inhRelations": "partition of",
    "table": "CREATE POLICY ON",
    "typeName": "uses type",
    "returnType": "uses type",
    "name": "ATTACH/DETACH PARTITION",
    "objects": "GRANT ON",
}
_DROP_KIND = {
    "OBJECT_TABLE": ("relation", "table"),
    "OBJECT_VIEW": ("relation", "view"),
    "OBJECT_MATVIEW": ("relation", "materialized view"),
    "OBJECT_INDEX": ("relation", "index"),
    "OBJECT_SEQUENCE": ("relation", "sequence"),
    "OBJECT_TYPE": ("type", "type"),
    "OBJECT_DOMAIN": ("type", "domain"),
    "OBJECT_FUNCTION": ("function", "function"),
    "OBJECT_PROCEDURE": ("function", "procedure"),
    "OBJECT_TRIGGER": ("trigger", "trigger"),
    "OBJECT_POLICY": ("policy", "policy"),
    "OBJECT_SCHEMA": ("schema", "schema"),
    "OBJECT_EXTENSION": ("extension", "extension"),
}


def _is_range_var(value: Node) -> bool:
    return "relname" in value


def _is_type_name(value: Node) -> bool:
    return "names" in value and ("typemod" in value or "arrayBounds" in value)


def type_key(type_node: Node) -> str:
    return n.qualified(n.strings(type_node.get("names")))


_OWN_FIELD = {
    "CreateStmt": "relation",
    "ViewStmt": "view",
    "CreateSeqStmt": "sequence",
    "CompositeTypeStmt": "typevar",
}


def own_relation(kind: str, node: Node) -> Node | None:
    """The RangeVar of the relation a CREATE statement makes (not a reference)."""
    found = node.get("into", {}).get("rel") if kind == "CreateTableAsStmt" else None
    if kind in _OWN_FIELD:
        found = node.get(_OWN_FIELD[kind])
    return found if isinstance(found, dict) else None


def references(kind: str, node: Node) -> Iterator[Ref]:
    """Every relation, type and function the statement names (its own new object excluded)."""
    own = own_relation(kind, node)
    stack: list[tuple[str, object]] = [("", node)]
    while stack:
        field, value = stack.pop()
        if isinstance(value, list):
            stack.extend((field, item) for item in value)
            continue
        if not isinstance(value, dict):
            continue
        if _is_range_var(value) and value is not own:
            how = _FIELD_HOW.get(field) or (
                _RELATION_FIELD.get(kind, "reads") if field == "relation" else "reads"
            )
            yield Ref("relation", n.relation(value), how)
        elif _is_type_name(value):
            yield Ref("type", type_key(value), "uses type")
        elif field == "FuncCall":
            yield Ref("function", n.qualified(n.strings(value.get("funcname"))), "calls function")
        for key, child in value.items():
            # Wrapped nodes ({"RangeVar": {...}} in a list) keep their parent's field name.
            stack.append((field if key == "RangeVar" else key, child))
    yield from _special_refs(kind, node)


def _special_refs(kind: str, node: Node) -> Iterator[Ref]:
    if kind == "CreateTrigStmt":
        yield Ref("function", n.qualified(n.strings(node.get("funcname"))), "trigger executes")
    elif kind == "DropStmt":
        for obj in dropped(node):
            yield Ref(obj.namespace, obj.key, f"DROP {obj.kind.upper()}")
    elif kind == "AlterEnumStmt":
        yield Ref("type", n.qualified(n.strings(node.get("typeName"))), "ALTER TYPE")
    elif kind in ("CreateFunctionStmt", "DoStmt"):
        for body in bodies(kind, node):
            for word in body_identifiers(body):
                yield Ref("relation", word, "function body mentions", best_effort=True)
                yield Ref("function", word, "function body calls", best_effort=True)


def bodies(kind: str, node: Node) -> list[str]:
    """The string bodies of CREATE FUNCTION ... AS $$...$$ and DO $$...$$."""
    options = node.get("options" if kind == "CreateFunctionStmt" else "args")
    arg = n.def_elems(options).get("as")
    if not isinstance(arg, dict):
        return []
    if "String" in arg:
        return [str(arg["String"].get("sval", ""))]
    return n.strings(arg.get("List", {}).get("items"))[:1]


_STRIP = re.compile(r"--[^\n]*|/\*.*?\*/|'(?:[^']|'')*'", re.DOTALL)
_IDENT = re.compile(
    r'(?:"([^"]+)"|([A-Za-z_][A-Za-z0-9_$]*))(?:\s*\.\s*(?:"([^"]+)"|([A-Za-z_][A-Za-z0-9_$]*)))?'
)


def body_identifiers(body: str) -> set[str]:
    """Identifiers in a procedural body, as object keys (best effort: no parsing of plpgsql)."""
    text = _STRIP.sub(" ", body)
    out: set[str] = set()
    for match in _IDENT.finditer(text):
        first = match.group(1) or (match.group(2) or "").lower()
        second = match.group(3) or (match.group(4) or "").lower()
        out.add(n.qualified([first, second]) if second else first)
        if second:
            out.add(second)  # alias.column or schema.table: both readings
    return out


def dropped(node: Node) -> Iterator[Obj]:
    namespace, kind = _DROP_KIND.get(str(node.get("removeType")), ("", ""))
    if not namespace:
        return
    for obj in node.get("objects", []):
        if "List" in obj:
            parts = n.strings(obj["List"].get("items"))
        elif "ObjectWithArgs" in obj:
            parts = n.strings(obj["ObjectWithArgs"].get("objname"))
        elif "TypeName" in obj:
            parts = n.strings(obj["TypeName"].get("names"))
        elif "String" in obj:
            parts = [str(obj["String"].get("sval", ""))]
        else:
            continue
        if namespace in ("trigger", "policy") and len(parts) >= 2:
            yield Obj(namespace, f"{n.qualified(parts[:-1])}.{parts[-1]}", kind)
        elif parts:
            yield Obj(namespace, n.qualified(parts), kind)
