from __future__ import annotations

from collections.abc import Iterator

from slipway.lint.rule import Hit, Rule, StatementContext, register
from slipway.lint.rules._objects import (
    FAMILIES,
    constraint_names,
    created_earlier,
    object_name,
    table_cmds_around,
    undoes_up_rename,
)
from slipway.sql import nodes as n

# What code names in its SQL (renaming a table or a column is renaming-table/renaming-column).
_NOUNS = {
    "OBJECT_TABCONSTRAINT": "constraint",
    "OBJECT_DOMCONSTRAINT": "domain constraint",
    "OBJECT_INDEX": "index",
    "OBJECT_VIEW": "view",
    "OBJECT_MATVIEW": "materialized view",
    "OBJECT_FOREIGN_TABLE": "foreign table",
    "OBJECT_FUNCTION": "function",
    "OBJECT_PROCEDURE": "procedure",
    "OBJECT_ROUTINE": "routine",
    "OBJECT_TYPE": "type",
    "OBJECT_DOMAIN": "domain",
    "OBJECT_SCHEMA": "schema",
    "OBJECT_SEQUENCE": "sequence",
    "OBJECT_TRIGGER": "trigger",
    "OBJECT_POLICY": "policy",
    "OBJECT_ROLE": "role",
    "OBJECT_DATABASE": "database",
}
_ON_TABLE = {"OBJECT_TABCONSTRAINT", "OBJECT_TRIGGER", "OBJECT_POLICY"}


@register
class RenamingObject(Rule):
    """Renaming an object other than a table or column breaks the code that uses its name.

    Running application versions keep using the old name until they are replaced: queries on a
    view, calls of a function, casts to a type, `ON CONFLICT ON CONSTRAINT`, `SET ROLE`,
    connection strings naming a database. Enum values (`ALTER TYPE ... RENAME VALUE`) count
    too. Tables and columns have their own rules (renaming-table, renaming-column). Objects the
    same migration created are not reported.

    **Anti-pattern**

    ```sql
    ALTER VIEW open_leads RENAME TO active_leads;
    ```

    **Best practice**

    ```sql
    CREATE VIEW active_leads WITH (security_invoker = true) AS SELECT * FROM open_leads;
    -- move readers to active_leads, then drop open_leads in a later release
    ```
    """

    code = "SW038"
    name = "renaming-object"
    severity = "warning"
    kinds = ("RenameStmt", "AlterEnumStmt")
    help = "Create the new name beside the old one, move the code over, then drop the old name."

    def check(self, ctx: StatementContext) -> Iterator[Hit]:
        node = ctx.stmt.node
        if ctx.stmt.kind == "AlterEnumStmt":
            enum = n.qualified(n.strings(node.get("typeName")))
            if node.get("oldVal") and not created_earlier(ctx, "type", enum):
                yield Hit(
                    f"renaming value {node['oldVal']!r} of type {enum} to {node.get('newVal')!r} "
                    "breaks code that uses the old value"
                )
            return
        kind = str(node.get("renameType"))
        noun = _NOUNS.get(kind)
        if noun is None or _new_here(ctx, kind) or undoes_up_rename(ctx):
            return
        old = _old_name(node, kind)
        where = f" on {n.relation(node.get('relation'))}" if kind in _ON_TABLE else ""
        yield Hit(
            f"renaming {noun} {old}{where} to {node.get('newname')} breaks code that uses the "
            "old name"
        )


def _old_name(node: n.Node, kind: str) -> str:
    if node.get("subname"):
        return str(node["subname"])
    if node.get("relation"):
        return n.relation(node["relation"])
    return object_name(node.get("object") or {})


def _new_here(ctx: StatementContext, kind: str) -> bool:
    """The object (or the table it belongs to) was made by this migration."""
    node = ctx.stmt.node
    table = n.relation(node.get("relation"))
    if kind in _ON_TABLE:
        if not ctx.existed_before(table):
            return True
        if kind != "OBJECT_TABCONSTRAINT":
            return False
        name = str(node.get("subname", ""))
        cmds = table_cmds_around(ctx, table, True, "AT_AddConstraint", "AT_AddColumn")
        return any(name in constraint_names(cmd) for cmd in cmds)
    if kind == "OBJECT_DOMCONSTRAINT":
        return created_earlier(ctx, "domain", object_name(node.get("object") or {}))
    family = FAMILIES.get(kind)
    if family is None:
        return False
    if kind in ("OBJECT_VIEW", "OBJECT_MATVIEW") and not ctx.existed_before(table):
        return True
    if kind == "OBJECT_INDEX":
        index = ctx.state.indexes.get(table)
        if index is not None and index.origin is not None:
            return index.origin.migration == ctx.position
    return created_earlier(ctx, family, _old_name(node, kind))
