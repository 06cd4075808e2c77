"""Which named objects a script creates, for rules that spare objects a migration made itself.

The replay models tables, indexes, views and functions; schemas, sequences, types, domains,
extensions and the like are only found here, by reading the script's own statements.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from weakref import WeakKeyDictionary

from slipway.sql import nodes as n
from slipway.sql.nodes import Node

if TYPE_CHECKING:
    from slipway.lint.rule import StatementContext
    from slipway.lint.source import ParsedScript

# DropStmt.removeType / RenameStmt.renameType -> the family a CREATE statement is filed under
FAMILIES = {
    "OBJECT_FUNCTION": "function",
    "OBJECT_PROCEDURE": "function",
    "OBJECT_ROUTINE": "function",
    "OBJECT_VIEW": "view",
    "OBJECT_MATVIEW": "view",
    "OBJECT_TYPE": "type",
    "OBJECT_DOMAIN": "domain",
    "OBJECT_SCHEMA": "schema",
    "OBJECT_SEQUENCE": "sequence",
    "OBJECT_EXTENSION": "extension",
    "OBJECT_INDEX": "index",
    "OBJECT_TABLE": "table",
}


def object_name(obj: Node) -> str:
    """The key of one object of a DropStmt (or RenameStmt.object), however it is spelled."""
    if "List" in obj:
        return n.qualified(n.strings(obj["List"].get("items")))
    if "TypeName" in obj:
        return n.qualified(n.strings(obj["TypeName"].get("names")))
    if "ObjectWithArgs" in obj:
        return n.qualified(n.strings(obj["ObjectWithArgs"].get("objname")))
    if "String" in obj:
        return str(obj["String"].get("sval", ""))
    return ""


def created(kind: str, node: Node) -> tuple[str, str] | None:
    """(family, key) of the object a CREATE statement makes, None for any other statement."""
    if kind == "CreateFunctionStmt":
        return "function", n.qualified(n.strings(node.get("funcname")))
    if kind == "ViewStmt":
        return "view", n.relation(node.get("view"))
    if kind == "CreateTableAsStmt" and node.get("objtype") == "OBJECT_MATVIEW":
        return "view", n.relation(node.get("into", {}).get("rel"))
    if kind in ("CreateEnumStmt", "CreateRangeStmt"):
        return "type", n.qualified(n.strings(node.get("typeName")))
    if kind == "CompositeTypeStmt":
        return "type", n.relation(node.get("typevar"))
    if kind == "DefineStmt" and node.get("kind") == "OBJECT_TYPE":
        return "type", n.qualified(n.strings(node.get("defnames")))
    if kind == "CreateDomainStmt":
        return "domain", n.qualified(n.strings(node.get("domainname")))
    if kind == "CreateSchemaStmt":
        return "schema", str(node.get("schemaname", ""))
    if kind == "CreateSeqStmt":
        return "sequence", n.relation(node.get("sequence"))
    if kind == "CreateExtensionStmt":
        return "extension", str(node.get("extname", ""))
    if kind == "IndexStmt" and node.get("idxname"):
        schema = (node.get("relation") or {}).get("schemaname")
        return "index", n.qualified([schema, node["idxname"]] if schema else [node["idxname"]])
    if kind == "CreateStmt":
        return "table", n.relation(node.get("relation"))
    return None


@dataclass(repr=False, eq=False, slots=True)
class _ScriptIndex:
    """One pass over a script, so that rules asking about it stay linear in its length."""

    created: dict[tuple[str, str], list[int]] = field(default_factory=dict)
    table_cmds: dict[str, list[tuple[int, Node]]] = field(default_factory=dict)


_INDEXES: WeakKeyDictionary[ParsedScript, _ScriptIndex] = WeakKeyDictionary()


def _index(script: ParsedScript) -> _ScriptIndex:
    found = _INDEXES.get(script)
    if found is None:
        found = _INDEXES[script] = _ScriptIndex()
        for stmt in script.statements:
            made = created(stmt.kind, stmt.node)
            if made is not None:
                found.created.setdefault(made, []).append(stmt.index)
            if (
                stmt.kind == "AlterTableStmt"
                and stmt.node.get("objtype", "OBJECT_TABLE") == "OBJECT_TABLE"
            ):
                cmds = found.table_cmds.setdefault(n.relation(stmt.node.get("relation")), [])
                cmds.extend((stmt.index, cmd) for cmd in n.alter_cmds(stmt.node))
    return found


def created_earlier(ctx: StatementContext, family: str, key: str) -> bool:
    """The script made this object before the statement (or, in a down script, its up made
    it): no deployed code uses it yet."""
    if ctx.up is not None and (family, key) in _index(ctx.up).created:
        return True
    places = _index(ctx.script).created.get((family, key), ())
    return any(i < ctx.stmt.index for i in places)


def created_later(ctx: StatementContext, family: str, key: str) -> bool:
    """The script makes an object of this name again after the statement (a replacement)."""
    places = _index(ctx.script).created.get((family, key), ())
    return any(i > ctx.stmt.index for i in places)


def table_cmds_around(
    ctx: StatementContext, table: str, before: bool, *subtypes: str
) -> Iterator[Node]:
    """ALTER TABLE `table` commands of these subtypes in the script before (or after) the
    statement, and every one of the statement itself; before it, in a down script, also
    those of its up."""
    here = ctx.stmt.index
    if before and ctx.up is not None:
        for _, cmd in _index(ctx.up).table_cmds.get(table, ()):
            if cmd.get("subtype") in subtypes:
                yield cmd
    for index, cmd in _index(ctx.script).table_cmds.get(table, ()):
        if cmd.get("subtype") in subtypes and (index == here or (index < here) == before):
            yield cmd


def added_column(cmd: Node) -> str:
    """The name of the column an ADD COLUMN command adds."""
    return str(((cmd.get("def") or {}).get("ColumnDef") or {}).get("colname", ""))


def column_added_here(ctx: StatementContext, table: str, column: str) -> bool:
    """Whether this script (up to and including the statement; a down's up too) added
    `table`.`column`: a change to a column no running code has seen yet is no hazard."""
    added = table_cmds_around(ctx, table, True, "AT_AddColumn")
    return any(added_column(cmd) == column for cmd in added)


def constraint_names(cmd: Node) -> Iterator[str]:
    """The names an ADD CONSTRAINT / ADD COLUMN command gives its constraints."""
    definition = cmd.get("def") or {}
    if "Constraint" in definition:
        constraints = [definition["Constraint"]]
    else:
        constraints = n.constraints_of(definition.get("ColumnDef") or {})
    for constraint in constraints:
        if constraint.get("conname"):
            yield str(constraint["conname"])


def _renaming(node: Node) -> tuple[str, str, str, str]:
    """(kind, table for a column, old bare name, new name) of a RenameStmt."""
    kind = str(node.get("renameType"))
    relation = n.relation(node.get("relation")) if node.get("relation") else ""
    if kind in ("OBJECT_COLUMN", "OBJECT_ATTRIBUTE", "OBJECT_TABCONSTRAINT"):
        return kind, relation, str(node.get("subname", "")), str(node.get("newname", ""))
    old = relation or object_name(node.get("object") or {})
    return kind, "", old.rpartition(".")[2], str(node.get("newname", ""))


def undoes_up_rename(ctx: StatementContext) -> bool:
    """In a down script: this RENAME gives back the name its up renamed away (the rollback
    restores what the code before the migration uses)."""
    if ctx.up is None or ctx.stmt.kind != "RenameStmt":
        return False
    kind, table, old, new = _renaming(ctx.stmt.node)
    for stmt in ctx.up.statements:
        if stmt.kind == "RenameStmt":
            up_kind, up_table, up_old, up_new = _renaming(stmt.node)
            if (up_kind, up_old, up_new) == (kind, new, old) and up_table == table:
                return True
    return False
