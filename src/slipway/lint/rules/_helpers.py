"""Readers shared by several rules: the columns a statement defines, the commands it runs."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from slipway.lint.rule import StatementContext
from slipway.lint.state import ReplayState, Table
from slipway.sql import nodes as n
from slipway.sql.nodes import Node

# Where column_sites finds columns: CREATE TABLE, ADD COLUMN and ALTER COLUMN ... TYPE.
COLUMN_KINDS = ("CreateStmt", "AlterTableStmt:AT_AddColumn", "AlterTableStmt:AT_AlterColumnType")


@dataclass(repr=False, eq=False, slots=True)
class ColumnSite:
    """A column a statement defines or retypes."""

    table: str
    name: str
    type_node: Node
    constraints: list[Node]
    in_create: bool  # defined by CREATE TABLE (not ALTER TABLE)
    primary: bool  # part of the primary key
    location: int | None = None  # byte offset of the column definition
    retype: bool = False  # ALTER COLUMN ... TYPE
    type: str = field(init=False)  # int4, varchar, timestamptz...

    def __post_init__(self) -> None:
        self.type = n.type_name(self.type_node)

    def has(self, contype: str) -> bool:
        return any(c.get("contype") == contype for c in self.constraints)


def column_sites(ctx: StatementContext) -> list[ColumnSite]:
    """The columns the statement defines or retypes (computed once, shared by the rules)."""
    sites: list[ColumnSite] | None = ctx.cache.get("columns")
    if sites is None:
        sites = ctx.cache["columns"] = list(_column_sites(ctx))
    return sites


def _column_sites(ctx: StatementContext) -> Iterator[ColumnSite]:
    node = ctx.stmt.node
    if ctx.stmt.kind == "CreateStmt":
        table = n.relation(node.get("relation"))
        elements = node.get("tableElts", [])
        pk = {
            k
            for c in n.table_constraints(elements)
            if c.get("contype") == "CONSTR_PRIMARY"
            for k in n.key_columns(c)
        }
        for col in n.column_defs(elements):
            cons = n.constraints_of(col)
            name = str(col.get("colname", ""))
            primary = name in pk or any(c.get("contype") == "CONSTR_PRIMARY" for c in cons)
            yield ColumnSite(
                table, name, col.get("typeName", {}), cons, True, primary, col.get("location")
            )
        return
    if ctx.stmt.kind != "AlterTableStmt" or node.get("objtype", "OBJECT_TABLE") != "OBJECT_TABLE":
        return
    table = n.relation(node.get("relation"))
    for cmd, col in added_columns(node):
        cons = n.constraints_of(col)
        retype = cmd.get("subtype") == "AT_AlterColumnType"
        name = str(cmd.get("name", "")) if retype else str(col.get("colname", ""))
        primary = any(c.get("contype") == "CONSTR_PRIMARY" for c in cons)
        yield ColumnSite(
            table, name, col.get("typeName", {}), cons, False, primary, col.get("location"), retype
        )


def added_columns(node: Node) -> Iterator[tuple[Node, Node]]:
    """(AlterTableCmd, ColumnDef) for ADD COLUMN and ALTER COLUMN TYPE commands."""
    for cmd in n.alter_cmds(node):
        if cmd.get("subtype") in ("AT_AddColumn", "AT_AlterColumnType"):
            col = (cmd.get("def") or {}).get("ColumnDef")
            if col is not None:
                yield cmd, col


def table_cmds(ctx: StatementContext, *subtypes: str) -> Iterator[tuple[str, Node]]:
    """(table, AlterTableCmd) for the ALTER TABLE commands of the given subtypes."""
    return table_cmds_of(ctx.stmt.node, *subtypes)


def table_cmds_of(node: Node, *subtypes: str) -> Iterator[tuple[str, Node]]:
    if node.get("objtype", "OBJECT_TABLE") != "OBJECT_TABLE":
        return
    table = n.relation(node.get("relation"))
    for cmd in n.alter_cmds(node):
        if cmd.get("subtype") in subtypes:
            yield table, cmd


def added_constraints(ctx: StatementContext) -> Iterator[tuple[str, Node]]:
    """(table, Constraint) added by ADD CONSTRAINT, or inline in ADD COLUMN."""
    for table, cmd in table_cmds(ctx, "AT_AddConstraint", "AT_AddColumn"):
        definition = cmd.get("def") or {}
        if "Constraint" in definition:
            yield table, definition["Constraint"]
        elif "ColumnDef" in definition:
            for con in n.constraints_of(definition["ColumnDef"]):
                yield table, con


def tenant_tables(state: ReplayState, column: str) -> Iterator[Table]:
    """Tables the linted migrations created that carry the tenant column (partitions excluded)."""
    for table in state.tables.values():
        if table.origin is not None and column in table.columns and not table.partition_of:
            yield table
