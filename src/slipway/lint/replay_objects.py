"""Replay of routines, types, triggers and DO blocks (the half of the replay that is not
about tables and indexes; `replay` dispatches to HANDLERS and `rename` here).

A fork of the state (a down script's replay) shares these objects with the replay's own
state, so they are replaced, never changed in place; tables are changed through
`ReplayState.table`, which copies them for a fork.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace

from slipway.lint.state import Function, Origin, ReplayState
from slipway.sql import nodes as n
from slipway.sql.nodes import Node

__all__ = ["HANDLERS", "RENAMES", "rename"]

_WORD = re.compile(r"[a-z_][a-z0-9_$]*")


def _create_function(state: ReplayState, node: Node, origin: Origin) -> None:
    key = n.qualified(n.strings(node.get("funcname")))
    function = Function(key, origin)
    language = n.def_elems(node.get("options")).get("language")
    if isinstance(language, dict):
        function.language = str(language.get("String", {}).get("sval", "sql")).lower()
    _function_options(function, node.get("options"))
    body = n.def_elems(node.get("options")).get("as")
    function.dynamic = function.language == "plpgsql" and bool(_EXECUTE.search(_text(body)))
    state.functions[key] = function  # CREATE OR REPLACE starts from scratch, as on the server
    state.gone.pop(("function", key), None)


def _alter_function(state: ReplayState, node: Node, origin: Origin) -> None:
    key = n.qualified(n.strings((node.get("func") or {}).get("objname")))
    function = state.functions.get(key)
    if function is not None:
        function = state.functions[key] = replace(function)  # a fork may share it
        _function_options(function, node.get("actions"))


def _function_options(function: Function, options: list[Node] | None) -> None:
    """VOLATILE/STABLE/IMMUTABLE, SECURITY DEFINER/INVOKER and SET/RESET search_path."""
    for option in options or ():
        elem = option.get("DefElem") or {}
        name, arg = elem.get("defname"), elem.get("arg") or {}
        if name == "volatility":
            function.volatility = str(arg.get("String", {}).get("sval", "volatile")).lower()
        elif name == "security":
            function.security_definer = n.truthy(arg)
        elif name == "set":
            setting = arg.get("VariableSetStmt", {})
            if setting.get("kind") == "VAR_RESET_ALL":
                function.search_path_set = False
            elif setting.get("name") == "search_path":
                function.search_path_set = setting.get("kind") in _PINS


def _create_enum(state: ReplayState, node: Node, origin: Origin) -> None:
    values = [str(v["String"]["sval"]) for v in node.get("vals", []) if "String" in v]
    key = n.qualified(n.strings(node.get("typeName")))
    state.enums[key] = values
    state.gone.pop(("type", key), None)


def _create_type(state: ReplayState, node: Node, origin: Origin) -> None:
    """CREATE DOMAIN, CREATE TYPE AS (...), AS RANGE, or a base type: the name is back."""
    if "typevar" in node:
        key = n.relation(node.get("typevar"))
    elif "defnames" in node:
        if node.get("kind") != "OBJECT_TYPE":
            return  # CREATE AGGREGATE, OPERATOR, ...
        key = n.qualified(n.strings(node.get("defnames")))
    else:
        key = n.qualified(n.strings(node.get("domainname") or node.get("typeName")))
    state.gone.pop(("type", key), None)


def _alter_enum(state: ReplayState, node: Node, origin: Origin) -> None:
    key = n.qualified(n.strings(node.get("typeName")))
    values = list(state.enums.get(key, ()))  # a new list: a fork shares the old one
    old, new = node.get("oldVal"), node.get("newVal")
    if old and new:  # RENAME VALUE: same place, new label
        values = [str(new) if v == old else v for v in values]
    elif new and new not in values:  # ADD VALUE [IF NOT EXISTS]
        values.append(str(new))
    state.enums[key] = values


def _create_trigger(state: ReplayState, node: Node, origin: Origin) -> None:
    table = state.table(n.relation(node.get("relation")))
    table.triggers[str(node.get("trigname", ""))] = n.qualified(n.strings(node.get("funcname")))


def _text(value: object) -> str:
    """The strings of a DefElem argument: a DO block's body is one String, a function's AS a
    List of one (two for C functions)."""
    if not isinstance(value, dict):
        return ""
    items = value["List"].get("items") if "List" in value else [value]
    return " ".join(n.strings(items))


_EXECUTE = re.compile(r"\bexecute\b", re.IGNORECASE)


def call_dynamic(state: ReplayState, node: Node) -> None:
    """`SELECT create_index('t', 'idx_t', 'col')` (or CALL) of a function that runs SQL it
    builds: the objects named in its text arguments may have changed unseen, as a DO block's
    may (ovh/cds makes its indexes and foreign keys so)."""
    words: set[str] = set()
    for call in n.collect(node, "FuncCall")["FuncCall"]:
        function = state.functions.get(n.qualified(n.strings(call.get("funcname"))))
        if function is None or not function.dynamic:
            continue
        named: set[str] = set()
        for constant in n.collect(call.get("args"), "A_Const")["A_Const"]:
            text = constant.get("sval", {}).get("sval")
            if isinstance(text, str):
                named |= set(_WORD.findall(text.lower()))
        words |= named - _known_names(state, named)
    if words:
        state.opaque = state.opaque | words  # a new set: forks share the old one


def _known_names(state: ReplayState, words: set[str]) -> set[str]:
    """Of `words`, the tables the replay knows and their columns: a helper told of them
    (create_index('t', 'idx_t', 'col')) builds something new on them, the new names (the
    index's) are what it may have made unseen; the table and its columns stay as known, so a
    down dropping a column that never existed is still reported."""
    known: set[str] = set()
    for table in state.tables.values():
        if table.bare_name.lower() in words:
            known.add(table.bare_name.lower())
            known |= {column.lower() for column in table.columns}
    return known


def _call(state: ReplayState, node: Node, origin: Origin) -> None:
    call_dynamic(state, node)


def _do_block(state: ReplayState, node: Node, origin: Origin) -> None:
    """A DO block may change any object its code names (ALTER TABLE ... ADD COLUMN in an
    EXCEPTION handler, say): the replay keeps its words and stops being sure about them."""
    text = _text(n.def_elems(node.get("args")).get("as"))
    state.opaque = state.opaque | set(_WORD.findall(text.lower()))  # a new set: forks share


RENAMES = (
    "OBJECT_TYPE",
    "OBJECT_DOMAIN",
    "OBJECT_VIEW",
    "OBJECT_MATVIEW",
    "OBJECT_FUNCTION",
    "OBJECT_PROCEDURE",
    "OBJECT_ROUTINE",
)


def rename(state: ReplayState, node: Node, origin: Origin) -> None:
    """ALTER TYPE/DOMAIN/VIEW/FUNCTION ... RENAME TO: what uses it follows (by oid, as on the
    server), and the old name is gone."""
    kind = node.get("renameType")
    new = str(node.get("newname", ""))
    if kind in ("OBJECT_VIEW", "OBJECT_MATVIEW"):
        old = n.relation(node.get("relation"))
        family = "view"
    elif kind in ("OBJECT_TYPE", "OBJECT_DOMAIN"):
        old = n.qualified(n.strings((node.get("object") or {}).get("List", {}).get("items")))
        family = "type"
    else:
        objname = ((node.get("object") or {}).get("ObjectWithArgs") or {}).get("objname")
        old = n.qualified(n.strings(objname))
        family = "function"
    schema = old.rpartition(".")[0]
    key = f"{schema}.{new}" if schema else new
    state.gone[family, old] = origin
    state.gone.pop((family, key), None)
    if family == "view":
        _rename_view(state, old, key)
    elif family == "type":
        _rename_type(state, old, key)
    else:
        _rename_function(state, old, key)


def _rename_view(state: ReplayState, old: str, key: str) -> None:
    view = state.views.pop(old, None)
    if view is not None:
        state.views[key] = replace(view, key=key)
    for name, other in list(state.views.items()):
        if old in other.tables:
            tables = tuple(key if t == old else t for t in other.tables)
            state.views[name] = replace(other, tables=tables)


def _rename_type(state: ReplayState, old: str, key: str) -> None:
    if old in state.enums:
        state.enums[key] = state.enums.pop(old)
    bare_old, bare_new = old.rpartition(".")[2], key.rpartition(".")[2]
    users = [
        t.key for t in state.tables.values() if any(c.type == bare_old for c in t.columns.values())
    ]
    for table_key in users:
        for column in state.table(table_key).columns.values():
            column.type = bare_new if column.type == bare_old else column.type


def _rename_function(state: ReplayState, old: str, key: str) -> None:
    function = state.functions.pop(old, None)
    if function is not None:
        state.functions[key] = replace(function, key=key)
    users = [
        t.key
        for t in state.tables.values()
        if old in t.triggers.values() or any(old in c for c in t.calls.values())
    ]
    for table_key in users:
        table = state.table(table_key)
        for name, called in list(table.triggers.items()):
            table.triggers[name] = key if called == old else called
        for what, calls in list(table.calls.items()):
            table.calls[what] = frozenset(key if c == old else c for c in calls)
    for name, view in list(state.views.items()):
        if old in view.calls:
            calls = frozenset(key if c == old else c for c in view.calls)
            state.views[name] = replace(view, calls=calls)


_PINS = ("VAR_SET_VALUE", "VAR_SET_CURRENT")  # RESET and SET ... TO DEFAULT unpin it


HANDLERS: dict[str, Callable[[ReplayState, Node, Origin], None]] = {
    "CreateFunctionStmt": _create_function,
    "AlterFunctionStmt": _alter_function,
    "CreateEnumStmt": _create_enum,
    "AlterEnumStmt": _alter_enum,
    "CreateDomainStmt": _create_type,
    "CompositeTypeStmt": _create_type,
    "CreateRangeStmt": _create_type,
    "DefineStmt": _create_type,
    "CreateTrigStmt": _create_trigger,
    "DoStmt": _do_block,
    "CallStmt": _call,
}
