"""Turn pg_catalog rows (dicts from queries/*.sql) into model objects. Pure; no I/O."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from slipway.catalog._defs import ColumnInfo, constraint_definition, index_definition
from slipway.catalog.model import (
    Column,
    Constraint,
    Function,
    Index,
    Policy,
    Sequence,
    Trigger,
)

Row = dict[str, Any]

FK_ACTIONS = {
    "a": "NO ACTION",
    "r": "RESTRICT",
    "c": "CASCADE",
    "n": "SET NULL",
    "d": "SET DEFAULT",
}
POLICY_COMMANDS = {"*": "ALL", "r": "SELECT", "a": "INSERT", "w": "UPDATE", "d": "DELETE"}
FUNCTION_KINDS = {"f": "function", "p": "procedure", "a": "aggregate", "w": "window"}
VOLATILITY = {"i": "immutable", "s": "stable", "v": "volatile"}
PARTITION_STRATEGIES = {"r": "range", "l": "list", "h": "hash"}
TABLE_KINDS = {"r": "ordinary", "p": "partitioned", "f": "foreign"}


def texts(value: Iterable[str] | None) -> tuple[str, ...]:
    return tuple(value) if value else ()


def acl(row: Row, privileges: bool, key: str = "acl") -> tuple[str, ...]:
    return texts(row[key]) if privileges else ()


def column(row: Row, privileges: bool) -> Column:
    generated = row["generated"] in ("s", "v")  # STORED, or VIRTUAL (PostgreSQL 18)
    return Column(
        name=row["name"],
        type=row["type"],
        nullable=row["nullable"],
        default=None if generated else row["expr"],
        identity=row["identity"] or "",
        generated=row["expr"] if generated else None,
        comment=row["comment"],
        ordinal=row["ordinal"],
        collation=row["collation"],
        grants=acl(row, privileges),
    )


def constraint(row: Row, columns: dict[int, ColumnInfo]) -> Constraint:
    fk = row["type"] == "f"
    return Constraint(
        name=row["name"],
        type=row["type"],
        definition=row["definition"] or constraint_definition(row, columns),
        columns=tuple(columns[n][0] if n in columns else str(n) for n in row["attnums"] or ()),
        ref_schema=row["ref_schema"] if fk else None,
        ref_table=row["ref_table"] if fk else None,
        ref_columns=tuple(pair[0] for pair in row["ref_names"] or ()),
        on_delete=FK_ACTIONS.get(row["on_delete"]) if fk else None,
        on_update=FK_ACTIONS.get(row["on_update"]) if fk else None,
        validated=row["validated"],
        deferrable=row["deferrable"],
        deferred=row["deferred"],
        index=row["index"],
        comment=row["comment"],
        inherited=row["inherited"],
    )


def index(row: Row, table: str, columns: dict[int, ColumnInfo]) -> Index:
    attnums = row["attnums"] or ()
    exprs = row["expr_columns"] or ()
    # Expression columns (attnum 0) come deparsed; plain ones by name like everywhere else.
    cols = tuple(
        exprs[pos] if num == 0 and pos < len(exprs) else _name(num, columns)
        for pos, num in enumerate(attnums)
    )
    nkey = row["nkey"]
    return Index(
        name=row["name"],
        definition=row["definition"] or index_definition(row, table, columns),
        columns=cols[:nkey],
        unique=row["unique"],
        primary=row["primary"],
        valid=row["valid"],
        predicate=row["predicate"],
        method=row["method"],
        include=cols[nkey:],
        constraint=row["constraint"],
        comment=row["comment"],
    )


def _name(num: int, columns: dict[int, ColumnInfo]) -> str:
    return columns[num][0] if num in columns else str(num)


def trigger(row: Row) -> Trigger:
    return Trigger(
        name=row["name"],
        definition=row["definition"],
        enabled=row["enabled"] != "D",
        enabled_mode=row["enabled"],
        comment=row["comment"],
    )


def policy(row: Row) -> Policy:
    return Policy(
        name=row["name"],
        command=POLICY_COMMANDS[row["cmd"]],
        permissive=row["permissive"],
        roles=texts(row["roles"]),
        using=row["using"],
        with_check=row["with_check"],
    )


def function(row: Row, privileges: bool) -> Function:
    return Function(
        schema=row["schema"],
        name=row["name"],
        arg_types=row["arg_types"],
        identity_args=row["identity_args"],
        result=row["result"],
        kind=FUNCTION_KINDS[row["kind"]],
        language=row["language"],
        definition=row["definition"],
        security_definer=row["security_definer"],
        config=texts(row["config"]),
        volatility=VOLATILITY[row["volatility"]],
        strict=row["strict"],
        owner=row["owner"],
        grants=acl(row, privileges),
        comment=row["comment"],
        source=row["source"],
    )


def sequence(row: Row, privileges: bool) -> Sequence:
    return Sequence(
        schema=row["schema"],
        name=row["name"],
        type=row["type"],
        start=row["start"],
        increment=row["increment"],
        min_value=row["min_value"],
        max_value=row["max_value"],
        cache=row["cache"],
        cycle=row["cycle"],
        owned_by=row["owned_by"],
        owner=row["owner"],
        grants=acl(row, privileges),
        comment=row["comment"],
    )
