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
from slipway.sql.types import FORMAT_NAMES, SERIALS


def format_type(name: str, mods: tuple[int, ...], array: bool = False) -> str:
    """Internal type name -> format_type() text: int4 -> integer, varchar(9), numeric(10,2),
    timestamp(3) with time zone, text[]."""
    typname = SERIALS.get(name, name)  # a serial column is of its integer type
    text = FORMAT_NAMES.get(typname, typname)
    if name == "bpchar" and not mods:
        mods = (1,)  # char alone is char(1)
    if mods:
        args = f"({','.join(map(str, mods))})"
        base, zone, rest = text.partition(" with")
        text = f"{base}{args}{zone}{rest}" if zone else text + args
    return text + "[]" if array else text


def _split(key: str) -> tuple[str, str]:
    schema, dot, name = key.partition(".")
    return (schema, name) if dot else ("public", key)


def _constraints(table: st.Table) -> list[Constraint]:
    bare = _split(table.key)[1]
    out = []
    if table.primary_key:
        name = table.primary_key_name or f"{bare}_pkey"
        out.append(Constraint(name, "p", "", table.primary_key, index=name))
    for name, cols in table.uniques.items():
        name = name or f"{bare}_{'_'.join(cols)}_key"
        out.append(Constraint(name, "u", "", cols, index=name))
    for fk in table.foreign_keys:
        ref_schema, ref_name = _split(fk.ref_table)
        name = fk.name or f"{bare}_{'_'.join(fk.columns)}_fkey"
        out.append(
            Constraint(
                name,
                "f",
                "",
                fk.columns,
                ref_schema,
                ref_name,
                fk.ref_columns,
                validated=not fk.not_valid,
            )
        )
    return out


def _key_indexes(constraints: list[Constraint]) -> list[Index]:
    """The index behind each primary key and unique constraint, as PostgreSQL makes it."""
    return [
        Index(c.name, "", c.columns, unique=True, primary=c.type == "p", constraint=c.name)
        for c in constraints
        if c.type in ("p", "u")
    ]


def _table(state: st.ReplayState, table: st.Table) -> Table:
    schema, name = _split(table.key)
    columns = tuple(
        Column(c.name, format_type(c.type, c.typmods, c.array), nullable=not c.not_null, ordinal=i)
        for i, c in enumerate(table.columns.values(), 1)
    )
    constraints = _constraints(table)
    indexes = tuple(
        Index(i.name, "", i.columns, unique=i.unique, method=i.method, predicate=i.predicate)
        for i in (state.indexes[n] for n in table.indexes if n in state.indexes)
    ) + tuple(_key_indexes(constraints))
    policies = tuple(Policy(n, cmd.upper()) for n, cmd in table.policies.items())
    return Table(
        schema,
        name,
        kind="partitioned" if table.partition_key else "ordinary",
        columns=columns,
        constraints=tuple(constraints),
        indexes=indexes,
        policies=policies,
        rls_enabled=table.rls_enabled,
        rls_forced=table.rls_forced,
        partition_strategy=table.partition_strategy,
        partition_key=_partition_key(table),
        partition_columns=tuple(table.partition_key or ()),
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
