"""Small readers for pglast's JSON tree (plain dicts), shared by the replay and the rules."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from slipway.sql.types import SERIALS

Node = dict[str, Any]

INT_TYPES = {
    "int2",
    "int4",
    "smallint",
    "integer",
    "int",
    "serial",
    "serial4",
    "smallserial",
    "serial2",
}
SMALL_INT_TYPES = {"int2", "smallint", "smallserial", "serial2"}
SERIAL_TYPES = frozenset(SERIALS)


def strings(items: list[Node] | None) -> list[str]:
    """[{"String": {"sval": "a"}}, ...] -> ["a", ...]."""
    return [i["String"].get("sval", "") for i in items or () if "String" in i]


def qualified(parts: list[str]) -> str:
    """Object key: `name`, or `schema.name` outside public (search_path is not modelled)."""
    if len(parts) >= 2 and parts[-2] not in ("public", "pg_catalog"):
        return f"{parts[-2]}.{parts[-1]}"
    return parts[-1] if parts else ""


def relation(range_var: Node | None) -> str:
    """Key of a RangeVar."""
    if not range_var:
        return ""
    schema = range_var.get("schemaname")
    name = str(range_var.get("relname", ""))
    return f"{schema}.{name}" if schema and schema not in ("public", "pg_catalog") else name


def type_name(type_node: Node | None) -> str:
    """The type's own name, lower case, without pg_catalog: int4, varchar, timestamp, serial."""
    names = type_node.get("names") if type_node else None
    if not names:
        return ""
    return str(names[-1].get("String", {}).get("sval", "")).lower()


def typmods(type_node: Node | None) -> list[int]:
    """Integer type modifiers: varchar(20) -> [20]."""
    out = []
    for mod in (type_node or {}).get("typmods", ()):
        const = mod.get("A_Const", {})
        if "ival" in const:
            out.append(int(const["ival"].get("ival", 0)))
    return out


def is_array(type_node: Node | None) -> bool:
    return bool((type_node or {}).get("arrayBounds"))


def constraints_of(column_def: Node) -> list[Node]:
    return [c["Constraint"] for c in column_def.get("constraints", ()) if "Constraint" in c]


def column_defs(elements: list[Node] | None) -> Iterator[Node]:
    for element in elements or ():
        if "ColumnDef" in element:
            yield element["ColumnDef"]


def table_constraints(elements: list[Node] | None) -> Iterator[Node]:
    for element in elements or ():
        if "Constraint" in element:
            yield element["Constraint"]


def alter_cmds(stmt: Node) -> Iterator[Node]:
    for cmd in stmt.get("cmds", ()):
        if "AlterTableCmd" in cmd:
            yield cmd["AlterTableCmd"]


def walk(node: Any) -> Iterator[tuple[str, Node]]:
    """Every (node type, node) below `node`, depth first."""
    # The hot loop of reading big view and function bodies: exact type tests, bound methods.
    stack = [node]
    pop, push, extend = stack.pop, stack.append, stack.extend
    while stack:
        item = pop()
        kind = type(item)
        if kind is dict:
            for key, value in item.items():
                kind = type(value)
                if kind is dict:
                    if "A" <= key[0] <= "Z":  # node types are CamelCase, fields lower case
                        yield key, value
                    push(value)
                elif kind is list:
                    extend(value)
        elif kind is list:
            extend(item)


def collect(node: Any, *kinds: str) -> dict[str, list[Node]]:
    """The nodes of the given types below `node`, by type, in one walk."""
    found: dict[str, list[Node]] = {kind: [] for kind in kinds}
    for kind, child in walk(node):
        if kind in found:
            found[kind].append(child)
    return found


def func_name(call: Node) -> str:
    parts = strings(call.get("funcname"))
    return parts[-1].lower() if parts else ""


def def_elems(options: list[Node] | None) -> dict[str, Any]:
    """DefElem list -> {defname: arg node or True}."""
    out: dict[str, Any] = {}
    for option in options or ():
        elem = option.get("DefElem")
        if elem:
            out[str(elem.get("defname", "")).lower()] = elem.get("arg", True)
    return out


def truthy(arg: Any) -> bool:
    """A DefElem argument as a boolean: true/on/1 (as string, Boolean or Integer)."""
    if arg is True:
        return True
    if not isinstance(arg, dict):
        return False
    if "Boolean" in arg:
        return bool(arg["Boolean"].get("boolval"))
    if "String" in arg:
        return str(arg["String"].get("sval", "")).lower() in ("true", "on", "1", "yes")
    if "Integer" in arg:
        return bool(arg["Integer"].get("ival"))
    return False


def key_columns(constraint: Node, field: str = "keys") -> tuple[str, ...]:
    return tuple(strings(constraint.get(field)))
