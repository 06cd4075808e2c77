"""The objects one statement creates, alters, drops or writes (pglast JSON in, Changes out)."""

from __future__ import annotations

from collections.abc import Callable

from slipway.guide.statements import Action, Change, Obj, dropped, own_relation, type_key
from slipway.sql import nodes as n
from slipway.sql.nodes import Node

Extractor = Callable[[Node], list[Change]]

_ALTER_WORDS = {
    "AT_AddColumn": "add column",
    "AT_DropColumn": "drop column",
    "AT_AlterColumnType": "change type of",
    "AT_SetNotNull": "set not null on",
    "AT_DropNotNull": "drop not null on",
    "AT_ColumnDefault": "set default on",
    "AT_AddConstraint": "add constraint",
    "AT_DropConstraint": "drop constraint",
    "AT_ValidateConstraint": "validate constraint",
    "AT_EnableRowSecurity": "enable row level security",
    "AT_DisableRowSecurity": "disable row level security",
    "AT_ForceRowSecurity": "force row level security",
    "AT_NoForceRowSecurity": "no force row level security",
    "AT_AttachPartition": "attach partition",
    "AT_DetachPartition": "detach partition",
    "AT_SetRelOptions": "set storage options",
    "AT_ChangeOwner": "change owner",
}


def _create_table(node: Node) -> list[Change]:
    key = n.relation(node.get("relation"))
    kind = "partition" if node.get("partbound") else "table"
    if node.get("partspec"):
        kind = "partitioned table"
    detail = ""
    if node.get("partbound") and node.get("inhRelations"):
        detail = f"of {n.relation(node['inhRelations'][0].get('RangeVar'))}"
    return [Change("creates", Obj("relation", key, kind), detail)]


def _create_index(node: Node) -> list[Change]:
    table = n.relation(node.get("relation"))
    columns = [
        str(p["IndexElem"].get("name") or "expr")
        for p in node.get("indexParams", [])
        if "IndexElem" in p
    ]
    name = node.get("idxname") or f"{table.split('.')[-1]}_{'_'.join(columns)}_idx"
    schema = table.rpartition(".")[0]
    key = f"{schema}.{name}" if schema else str(name)
    words = ("unique " if node.get("unique") else "") + (
        "concurrently " if node.get("concurrent") else ""
    )
    return [
        Change(
            "creates", Obj("relation", key, "index"), f"{words}on {table} ({', '.join(columns)})"
        )
    ]


def _alter_table(node: Node) -> list[Change]:
    objtype = str(node.get("objtype", "OBJECT_TABLE"))
    kind = {"OBJECT_VIEW": "view", "OBJECT_MATVIEW": "materialized view", "OBJECT_INDEX": "index"}
    key = n.relation(node.get("relation"))
    parts = []
    for cmd in n.alter_cmds(node):
        sub = str(cmd.get("subtype", ""))
        word = _ALTER_WORDS.get(sub, sub.removeprefix("AT_").lower())
        target = cmd.get("name") or _constraint_name(cmd) or _column_name(cmd)
        parts.append(f"{word} {target}".strip())
    obj = Obj("relation", key, kind.get(objtype, "table"))
    return [Change("alters", obj, ", ".join(parts))]


def _constraint_name(cmd: Node) -> str:
    return str((cmd.get("def") or {}).get("Constraint", {}).get("conname") or "")


def _column_name(cmd: Node) -> str:
    definition = cmd.get("def") or {}
    if "PartitionCmd" in definition:
        return n.relation(definition["PartitionCmd"].get("name"))
    return str(definition.get("ColumnDef", {}).get("colname") or "")


def _create_function(node: Node) -> list[Change]:
    key = n.qualified(n.strings(node.get("funcname")))
    kind = "procedure" if node.get("is_procedure") else "function"
    action: Action = "creates"
    detail = "or replace" if node.get("replace") else ""
    return [Change(action, Obj("function", key, kind), detail)]


def _create_trigger(node: Node) -> list[Change]:
    table = n.relation(node.get("relation"))
    func = n.qualified(n.strings(node.get("funcname")))
    obj = Obj("trigger", f"{table}.{node.get('trigname', '')}", "trigger")
    return [Change("creates", obj, f"on {table} executes {func}()")]


def _create_policy(node: Node) -> list[Change]:
    table = n.relation(node.get("table"))
    command = str(node.get("cmd_name", "all")).upper()
    obj = Obj("policy", f"{table}.{node.get('policy_name', '')}", "policy")
    return [Change("creates", obj, f"{command} on {table}")]


def _view(node: Node) -> list[Change]:
    key = n.relation(node.get("view"))
    return [
        Change("creates", Obj("relation", key, "view"), "or replace" if node.get("replace") else "")
    ]


def _table_as(node: Node) -> list[Change]:
    rel = own_relation("CreateTableAsStmt", node)
    kind = "materialized view" if node.get("objtype") == "OBJECT_MATVIEW" else "table"
    return [Change("creates", Obj("relation", n.relation(rel), kind))]


def _sequence(node: Node) -> list[Change]:
    return [Change("creates", Obj("relation", n.relation(node.get("sequence")), "sequence"))]


def _enum(node: Node) -> list[Change]:
    key = n.qualified(n.strings(node.get("typeName")))
    values = [str(v["String"]["sval"]) for v in node.get("vals", []) if "String" in v]
    return [Change("creates", Obj("type", key, "enum"), ", ".join(values))]


def _alter_enum(node: Node) -> list[Change]:
    key = n.qualified(n.strings(node.get("typeName")))
    detail = f"add value {node['newVal']}" if node.get("newVal") else "rename value"
    return [Change("alters", Obj("type", key, "enum"), detail)]


def _composite(node: Node) -> list[Change]:
    return [Change("creates", Obj("type", n.relation(node.get("typevar")), "composite type"))]


def _domain(node: Node) -> list[Change]:
    key = n.qualified(n.strings(node.get("domainname")))
    return [Change("creates", Obj("type", key, "domain"), type_key(node.get("typeName", {})))]


def _drop(node: Node) -> list[Change]:
    return [Change("drops", obj) for obj in dropped(node)]


def _rename(node: Node) -> list[Change]:
    kind = str(node.get("renameType", "")).removeprefix("OBJECT_").lower()
    if node.get("relation"):
        key = n.relation(node.get("relation"))
        sub = f"{node['subname']} " if node.get("subname") else ""
        return [
            Change(
                "alters",
                Obj("relation", key, "table" if kind == "column" else kind),
                f"rename {kind} {sub}to {node.get('newname', '')}",
            )
        ]
    return []


def _writes(node: Node) -> list[Change]:
    return [Change("writes", Obj("relation", n.relation(node.get("relation")), "table"))]


def _schema(node: Node) -> list[Change]:
    return [Change("creates", Obj("schema", str(node.get("schemaname", "")), "schema"))]


def _extension(node: Node) -> list[Change]:
    return [Change("creates", Obj("extension", str(node.get("extname", "")), "extension"))]


_EXTRACTORS: dict[str, Extractor] = {
    "CreateStmt": _create_table,
    "IndexStmt": _create_index,
    "AlterTableStmt": _alter_table,
    "CreateFunctionStmt": _create_function,
    "CreateTrigStmt": _create_trigger,
    "CreatePolicyStmt": _create_policy,
    "ViewStmt": _view,
    "CreateTableAsStmt": _table_as,
    "CreateSeqStmt": _sequence,
    "CreateEnumStmt": _enum,
    "AlterEnumStmt": _alter_enum,
    "CompositeTypeStmt": _composite,
    "CreateDomainStmt": _domain,
    "DropStmt": _drop,
    "RenameStmt": _rename,
    "InsertStmt": _writes,
    "UpdateStmt": _writes,
    "DeleteStmt": _writes,
    "CreateSchemaStmt": _schema,
    "CreateExtensionStmt": _extension,
}


def changes(kind: str, node: Node) -> list[Change]:
    """What the statement does to named objects (empty for statements that change none)."""
    extractor = _EXTRACTORS.get(kind)
    return extractor(node) if extractor else []
