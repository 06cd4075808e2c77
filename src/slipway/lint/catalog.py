"""The replayed state as a `slipway.catalog.model.Catalog`, for readers of the one model.

A structural subset: schemas, tables (columns with types and nullability, primary, unique and
foreign keys, indexes, RLS flags, policies by command, partitioning), views and materialized
views (with security_invoker), functions and enums. Expressions (defaults, checks, view and
function bodies) are not reproduced: the replay does not keep them. Unnamed constraints get
PostgreSQL's default names (`leads_pkey`, `leads_email_key`, `leads_customer_id_fkey`).
"""

from __future__ import annotations

from slipway.catalog.model import (
    Catalog,
    Column,
    Constraint,
    EnumType,
    Function,
    Index,
    MatView,
    Policy,
    Schema,
    Table,
    View,
)
from slipway.lint import state as st

_TYPES = {
    "int2": "smallint",
    "int4": "integer",
    "int8": "bigint",
    "serial": "integer",
    "serial4": "integer",
    "bigserial": "bigint",
    "serial8": "bigint",
    "smallserial": "smallint",
    "bool": "boolean",
    "float4": "real",
    "float8": "double precision",
    "varchar": "character varying",
    "bpchar": "character",
    "timestamp": "timestamp without time zone",
    "timestamptz": "timestamp with time zone",
    "time": "time without time zone",
    "timetz": "time with time zone",
}


def format_type(name: str, mods: tuple[int, ...]) -> str:
    """Internal type name -> format_type() style text: int4 -> integer, varchar(9)."""
    text = _TYPES.get(name, name)
    return f"{text}({', '.join(map(str, mods))})" if mods else text


def _split(key: str) -> tuple[str, str]:
    schema, dot, name = key.partition(".")
    return (schema, name) if dot else ("public", key)


def _constraints(table: st.Table) -> list[Constraint]:
    bare = _split(table.key)[1]
    out = []
    if table.primary_key:
        out.append(Constraint(f"{bare}_pkey", "p", "", table.primary_key))
    for name, cols in table.uniques.items():
        out.append(Constraint(name or f"{bare}_{'_'.join(cols)}_key", "u", "", cols))
    for fk in table.foreign_keys:
        ref_schema, ref_name = _split(fk.ref_table)
        name = fk.name or f"{bare}_{'_'.join(fk.columns)}_fkey"
        out.append(
            Constraint(name, "f", "", fk.columns, ref_schema, ref_name, validated=not fk.not_valid)
        )
    return out


def _table(state: st.ReplayState, table: st.Table) -> Table:
    schema, name = _split(table.key)
    columns = tuple(
        Column(c.name, format_type(c.type, c.typmods), nullable=not c.not_null, ordinal=i)
        for i, c in enumerate(table.columns.values(), 1)
    )
    indexes = tuple(
        Index(i.name, "", i.columns, unique=i.unique, method=i.method, predicate=i.predicate)
        for i in (state.indexes[n] for n in table.indexes if n in state.indexes)
    )
    policies = tuple(Policy(n, cmd.upper()) for n, cmd in table.policies.items())
    return Table(
        schema,
        name,
        kind="partitioned" if table.partition_key else "ordinary",
        columns=columns,
        constraints=tuple(_constraints(table)),
        indexes=indexes,
        policies=policies,
        rls_enabled=table.rls_enabled,
        rls_forced=table.rls_forced,
        partition_strategy=table.partition_strategy,
        partition_key=_partition_key(table),
        parent=_split(table.partition_of) if table.partition_of else None,
    )


def _partition_key(table: st.Table) -> str | None:
    if not table.partition_key:
        return None
    return f"{(table.partition_strategy or '').upper()} ({', '.join(table.partition_key)})"


def to_catalog(state: st.ReplayState) -> Catalog:
    """The Catalog that the replayed migrations describe (tables they never created omitted)."""
    tables = [_table(state, t) for t in state.tables.values() if t.origin is not None]
    views: list[View] = []
    matviews: list[MatView] = []
    for view in state.views.values():
        schema, name = _split(view.key)
        if view.materialized:
            matviews.append(MatView(schema, name, ""))
            continue
        options = ("security_invoker=true",) if view.security_invoker else ()
        views.append(View(schema, name, "", options))
    functions = [Function(*_split(key), arg_types="") for key in state.functions]
    enums = [EnumType(*_split(key), labels=tuple(v)) for key, v in state.enums.items()]
    schemas = {t.schema for t in tables} | {v.schema for v in views} | {"public"}
    schemas |= {m.schema for m in matviews}
    return Catalog(
        schemas=tuple(Schema(s) for s in sorted(schemas)),
        tables=tuple(tables),
        views=tuple(views),
        matviews=tuple(matviews),
        functions=tuple(functions),
        enums=tuple(enums),
    )
