from __future__ import annotations

from collections.abc import Iterator

from slipway.lint.rule import Hit, Rule, StatementContext, register
from slipway.lint.rules._existence import absent_because, when
from slipway.lint.rules._objects import object_name
from slipway.lint.state import ReplayState
from slipway.sql import nodes as n
from slipway.sql.nodes import Node

_DROPPED = {
    "OBJECT_TABLE": "table",
    "OBJECT_FOREIGN_TABLE": "table",
    "OBJECT_INDEX": "index",
    "OBJECT_VIEW": "view",
    "OBJECT_MATVIEW": "view",
    "OBJECT_FUNCTION": "function",
    "OBJECT_PROCEDURE": "function",
    "OBJECT_ROUTINE": "function",
    "OBJECT_TYPE": "type",
    "OBJECT_DOMAIN": "type",
}
# ALTER TABLE commands that name an existing column in `name`
_ON_COLUMN = {
    "AT_DropColumn",
    "AT_AlterColumnType",
    "AT_SetNotNull",
    "AT_DropNotNull",
    "AT_ColumnDefault",
    "AT_SetStatistics",
    "AT_SetStorage",
    "AT_SetCompression",
    "AT_SetOptions",
    "AT_ResetOptions",
    "AT_AddIdentity",
    "AT_SetIdentity",
    "AT_DropIdentity",
    "AT_DropExpression",
}


@register
class MissingObject(Rule):
    """A statement names a table, column, index, view, function or type that is not there.

    The replay knows what each migration leaves, and a down script runs on what its up left:
    a rollback that drops an index the up never made, alters a column under its old name, or
    names a table that only a later migration creates fails on the server, usually on the
    day it is needed. Names the replay cannot judge (objects older than the linted
    migrations, names a DO block mentions) are not reported; `IF EXISTS` is respected.

    **Anti-pattern**

    ```sql
    -- up: ALTER TABLE leads RENAME COLUMN mail TO email;
    -- down:
    ALTER TABLE leads ALTER COLUMN mail DROP NOT NULL;
    ```

    **Best practice**

    ```sql
    -- down:
    ALTER TABLE leads RENAME COLUMN email TO mail;
    ```
    """

    code = "SW112"
    name = "missing-object"
    severity = "error"
    kinds = ("DropStmt", "AlterTableStmt", "IndexStmt", "RenameStmt", "CreateStmt")
    help = "Name the object as the migrations before this statement leave it (or add IF EXISTS)."

    def check(self, ctx: StatementContext) -> Iterator[Hit]:
        node, kind = ctx.stmt.node, ctx.stmt.kind
        if kind == "DropStmt":
            yield from self._drop(ctx, node)
        elif kind == "AlterTableStmt" and node.get("objtype", "OBJECT_TABLE") == "OBJECT_TABLE":
            yield from self._alter(ctx, node)
        elif kind == "IndexStmt":
            yield from self._index(ctx, node)
        elif kind == "RenameStmt":
            yield from self._rename(ctx, node)
        elif kind == "CreateStmt":
            for column in n.column_defs(node.get("tableElts")):
                yield from _type_hit(ctx, column.get("typeName"))

    def _drop(self, ctx: StatementContext, node: Node) -> Iterator[Hit]:
        family = _DROPPED.get(str(node.get("removeType")))
        if family is None or node.get("missing_ok"):
            return
        for obj in node.get("objects", []):
            key = object_name(obj)
            if key and not _present(ctx.state, family, key):
                yield from _absent(ctx, family, key)

    def _alter(self, ctx: StatementContext, node: Node) -> Iterator[Hit]:
        key = n.relation(node.get("relation"))
        table = ctx.state.tables.get(key)
        if table is None:
            if not node.get("missing_ok"):
                yield from _absent(ctx, "table", key)
            return
        columns = set(table.columns) if ctx.state.sure_of_columns(table) else None
        for cmd in n.alter_cmds(node):
            sub, name = cmd.get("subtype"), str(cmd.get("name", ""))
            column = (cmd.get("def") or {}).get("ColumnDef") or {}
            if sub in ("AT_AddColumn", "AT_AlterColumnType"):
                yield from _type_hit(ctx, column.get("typeName"))
            if columns is None:
                continue
            if sub in _ON_COLUMN and name not in columns and not cmd.get("missing_ok"):
                yield Hit(f"column {key}.{name} does not exist {when(ctx)}")
            if sub == "AT_AddColumn":
                columns.add(str(column.get("colname", "")))
            elif sub == "AT_DropColumn":
                columns.discard(name)

    def _index(self, ctx: StatementContext, node: Node) -> Iterator[Hit]:
        key = n.relation(node.get("relation"))
        table = ctx.state.tables.get(key)
        if table is None:
            if key not in ctx.state.views:
                yield from _absent(ctx, "table", key)
            return
        if not ctx.state.sure_of_columns(table):
            return
        for param in node.get("indexParams", []):
            name = (param.get("IndexElem") or {}).get("name")
            if name and name not in table.columns:
                yield Hit(f"column {key}.{name} does not exist {when(ctx)}")

    def _rename(self, ctx: StatementContext, node: Node) -> Iterator[Hit]:
        kind = node.get("renameType")
        if node.get("missing_ok") or kind not in ("OBJECT_TABLE", "OBJECT_COLUMN", "OBJECT_INDEX"):
            return
        key = n.relation(node.get("relation"))
        if kind == "OBJECT_INDEX":
            if key not in ctx.state.indexes:
                yield from _absent(ctx, "index", key)
            return
        table = ctx.state.tables.get(key)
        if table is None:
            yield from _absent(ctx, "table", key)
        elif kind == "OBJECT_COLUMN" and ctx.state.sure_of_columns(table):
            old = str(node.get("subname", ""))
            if old not in table.columns:
                yield Hit(f"column {key}.{old} does not exist {when(ctx)}")


def _present(state: ReplayState, family: str, key: str) -> bool:
    if family == "table":
        return key in state.tables
    if family == "index":
        return key in state.indexes
    if family == "view":
        return key in state.views
    if family == "function":
        return key in state.functions
    return key in state.enums  # the one kind of type the replay holds; others: `gone` only


def _absent(ctx: StatementContext, family: str, key: str) -> Iterator[Hit]:
    why = absent_because(ctx, family, key)
    if why is not None:
        yield Hit(f"{family} {key} does not exist {when(ctx)}: {why}")


def _type_hit(ctx: StatementContext, type_node: Node | None) -> Iterator[Hit]:
    # Only a type a DROP or RENAME took away: a column's type is a built-in one nearly always.
    key = n.qualified(n.strings((type_node or {}).get("names")))
    if ("type", key) in ctx.state.gone:
        yield from _absent(ctx, "type", key)
