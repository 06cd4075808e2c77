from __future__ import annotations

from collections.abc import Iterator

from slipway.lint.rule import Hit, MigrationContext, Rule, register
from slipway.lint.rules._helpers import table_cmds_of
from slipway.sql import Statement
from slipway.sql import nodes as n
from slipway.sql.nodes import Node

# (object kind, name, parent table or "") — what an up script creates / a down script removes.
Obj = tuple[str, str, str]

_CREATES = {
    "CreateFunctionStmt": ("function", "funcname"),
    "CreateEnumStmt": ("type", "typeName"),
    "CompositeTypeStmt": ("type", "typevar"),
    "CreateDomainStmt": ("type", "domainname"),
}
_DROP_KINDS = {
    "OBJECT_TABLE": "table",
    "OBJECT_INDEX": "index",
    "OBJECT_VIEW": "view",
    "OBJECT_MATVIEW": "view",
    "OBJECT_FUNCTION": "function",
    "OBJECT_PROCEDURE": "function",
    "OBJECT_TYPE": "type",
    "OBJECT_DOMAIN": "type",
    "OBJECT_SEQUENCE": "sequence",
    "OBJECT_SCHEMA": "schema",
    "OBJECT_EXTENSION": "extension",
    "OBJECT_POLICY": "policy",
    "OBJECT_TRIGGER": "trigger",
}


def created(stmt: Statement) -> Iterator[Obj]:
    """Objects a statement creates."""
    node, kind = stmt.node, stmt.kind
    if kind == "CreateStmt":
        parents = node.get("inhRelations") if node.get("partbound") else None
        parent = n.relation(parents[0].get("RangeVar")) if parents else ""
        yield "table", n.relation(node.get("relation")), parent  # a partition goes with it
    elif kind == "IndexStmt" and node.get("idxname"):
        yield "index", str(node["idxname"]), n.relation(node.get("relation"))
    elif kind == "ViewStmt":
        yield "view", n.relation(node.get("view")), ""
    elif kind == "CreateTableAsStmt":
        rel = n.relation(node.get("into", {}).get("rel"))
        yield ("view" if node.get("objtype") == "OBJECT_MATVIEW" else "table"), rel, ""
    elif kind in _CREATES:
        what, field = _CREATES[kind]
        value = node.get(field)
        parts = [str(value.get("relname"))] if isinstance(value, dict) else n.strings(value)
        yield what, n.qualified(parts), ""
    elif kind == "CreatePolicyStmt":
        table = n.relation(node.get("table"))
        yield "policy", f"{table}.{node.get('policy_name')}", table
    elif kind == "CreateTrigStmt":
        table = n.relation(node.get("relation"))
        yield "trigger", f"{table}.{node.get('trigname')}", table
    elif kind == "CreateSeqStmt":
        yield "sequence", n.relation(node.get("sequence")), ""
    elif kind == "CreateSchemaStmt":
        yield "schema", str(node.get("schemaname", "")), ""
    elif kind == "CreateExtensionStmt":
        yield "extension", str(node.get("extname", "")), ""
    elif kind == "AlterTableStmt":
        for table, cmd in table_cmds_of(node, "AT_AddColumn"):
            col = (cmd.get("def") or {}).get("ColumnDef", {})
            yield "column", f"{table}.{col.get('colname')}", table


def removed(stmt: Statement, restores: bool = True) -> Iterator[Obj]:
    """Objects a statement drops (or, with `restores`, re-creates: CREATE OR REPLACE)."""
    node, kind = stmt.node, stmt.kind
    if kind == "DropStmt":
        what = _DROP_KINDS.get(str(node.get("removeType")))
        for obj in node.get("objects", []) if what else ():
            yield from _dropped(str(what), obj)
    elif kind == "AlterTableStmt":
        for table, cmd in table_cmds_of(node, "AT_DropColumn"):
            yield "column", f"{table}.{cmd.get('name')}", table
    elif restores and kind in ("CreateFunctionStmt", "ViewStmt"):
        yield from created(stmt)


_RENAME_KINDS = {
    "OBJECT_TABLE": "table",
    "OBJECT_COLUMN": "column",
    "OBJECT_INDEX": "index",
    "OBJECT_VIEW": "view",
    "OBJECT_MATVIEW": "view",
    "OBJECT_TRIGGER": "trigger",
}


def renamed(stmt: Statement) -> tuple[str, str, str] | None:
    """(kind, old name, new name) of an ALTER ... RENAME of a table, column, index, view, trigger."""
    node = stmt.node
    what = _RENAME_KINDS.get(str(node.get("renameType"))) if stmt.kind == "RenameStmt" else None
    if what is None:
        return None
    relation = n.relation(node.get("relation"))
    new = str(node.get("newname", ""))
    if what in ("column", "trigger"):
        return what, f"{relation}.{node.get('subname')}", f"{relation}.{new}"
    if what == "index":  # created indexes are known by their bare name
        return what, str((node.get("relation") or {}).get("relname", "")), new
    schema = relation.rpartition(".")[0]
    return what, relation, f"{schema}.{new}" if schema else new


def _follow(items: list[tuple[Statement, Obj]], rename: tuple[str, str, str]) -> None:
    """Rename the created objects in place; a renamed table takes its columns and indexes."""
    what, old, new = rename
    for i, (stmt, (kind, name, parent)) in enumerate(items):
        if kind == what and name == old:
            items[i] = (stmt, (kind, new, parent))
        elif what in ("table", "view") and parent == old:
            child = f"{new}.{name[len(old) + 1 :]}" if name.startswith(f"{old}.") else name
            items[i] = (stmt, (kind, child, new))


def _dropped(what: str, obj: Node) -> Iterator[Obj]:
    if "List" in obj:
        parts = n.strings(obj["List"].get("items"))
    elif "ObjectWithArgs" in obj:
        parts = n.strings(obj["ObjectWithArgs"].get("objname"))
    elif "TypeName" in obj:
        parts = n.strings(obj["TypeName"].get("names"))
    elif "String" in obj:
        parts = [str(obj["String"].get("sval", ""))]
    else:
        return
    if what in ("policy", "trigger") and len(parts) >= 2:
        table = n.qualified(parts[:-1])
        yield what, f"{table}.{parts[-1]}", table
    elif parts:
        yield what, n.qualified(parts) if what not in ("schema", "extension") else parts[-1], ""


@register
class RollbackIncomplete(Rule):
    """The down script does not undo something the up script created.

    Every table, column, index, view, function, type, sequence, policy and trigger created by
    the up script must be dropped (or, for CREATE OR REPLACE, restored) by the down script;
    dropping a table covers its columns, indexes, policies and triggers, and DROP SCHEMA
    covers what is inside it. An object the up script renames is looked for under its new
    name. Otherwise rollback leaves objects behind and the next up fails.

    A down script with no statement at all (empty, or only comments) for an up script that
    changes the schema undoes nothing: `slipway down` refuses it unless `--allow-empty`.

    **Anti-pattern**

    ```sql
    -- up
    CREATE TABLE lead_notes (id bigint PRIMARY KEY);
    ALTER TABLE leads ADD COLUMN score int;
    -- down
    DROP TABLE lead_notes;
    ```

    **Best practice**

    ```sql
    -- down
    ALTER TABLE leads DROP COLUMN IF EXISTS score;
    DROP TABLE IF EXISTS lead_notes;
    ```
    """

    code = "SW110"
    name = "rollback-incomplete"
    severity = "warning"
    help = "Drop the object in the down script (or restore its previous definition)."

    def check_migration(self, ctx: MigrationContext) -> Iterator[Hit]:
        down = ctx.down
        if down is None or down.error is not None or ctx.up.error is not None:
            return
        migration = ctx.migration
        if migration.rollback == "empty" and migration.up.changes_schema:
            yield Hit(
                f"the down script {down.path} of migration {migration.label} is empty (no "
                "statement): it undoes nothing the up script changes",
                help="Write the statements that undo the up script in the down script.",
                at=down.origin(ctx.position),
            )
            return
        undone = {obj[:2] for stmt in down.statements for obj in removed(stmt)}
        tables = {name for what, name in undone if what in ("table", "view")}
        schemas = {name for what, name in undone if what == "schema"}
        # Dropped anywhere in the up script: made and dropped again, or an older one replaced.
        dropped_in_up = {obj[:2] for stmt in ctx.up.statements for obj in removed(stmt, False)}
        items: list[tuple[Statement, Obj]] = []  # what the up script made, under its final name
        for stmt in ctx.up.statements:
            items.extend((stmt, obj) for obj in created(stmt))
            rename = renamed(stmt)
            if rename is not None:
                _follow(items, rename)
        for stmt, obj in items:
            what, name, parent = obj
            if obj[:2] in undone or obj[:2] in dropped_in_up or parent in tables:
                continue
            if "." in name and name.split(".")[0] in schemas:
                continue
            yield Hit(
                f"{what} {name} created by the up script is not dropped or restored by "
                f"the down script {down.path}",
                at=ctx.up.statement_origin(ctx.position, stmt),
            )
