"""Facts that depend on other facts: each is still ONE statement for the whole database.

Orphans under NOT VALID foreign keys and rows in default partitions need to look inside the
tables concerned; we build one UNION ALL statement over all of them rather than a query per
table. The maintenance-runs table (written by `slipway maintain`) is read when it exists.
"""

from __future__ import annotations

from typing import Any

from slipway.catalog.model import Constraint, Table
from slipway.db import Conn
from slipway.health.facts import Facts

# Candidate column names in slipway_maintenance_runs (written by `slipway maintain`).
_RUN_TARGET = ("target", "object_name", "object", "relation", "name")
_RUN_TIME = ("finished_at", "completed_at", "ended_at", "ran_at", "started_at", "created_at")
_RUN_FILTER = (("task", "views"), ("action", "refresh"), ("outcome", "ok"))
_DEFAULT_ROWS_CAP = 1_000_000


def fk_target(table: Table, fk: Constraint) -> str:
    """How findings and the orphans fact name a foreign key: schema.table.constraint."""
    return f"{table.qualified}.{fk.name}"


def _orphan_statement(fks: list[tuple[Table, Constraint]]) -> Any:
    from psycopg import sql

    parts = []
    for table, fk in fks:
        child = sql.Identifier(table.schema, table.name)
        parent = sql.Identifier(str(fk.ref_schema), str(fk.ref_table))
        not_null = sql.SQL(" AND ").join(
            sql.SQL("c.{} IS NOT NULL").format(sql.Identifier(col)) for col in fk.columns
        )
        match = sql.SQL(" AND ").join(
            sql.SQL("p.{} = c.{}").format(sql.Identifier(pc), sql.Identifier(cc))
            for cc, pc in zip(fk.columns, fk.ref_columns, strict=True)
        )
        parts.append(
            sql.SQL(
                "SELECT {fk}::text AS fk, count(*) AS orphans FROM {child} c WHERE {nn} "
                "AND NOT EXISTS (SELECT 1 FROM {parent} p WHERE {match})"
            ).format(
                fk=sql.Literal(fk_target(table, fk)),
                child=child,
                nn=not_null,
                parent=parent,
                match=match,
            )
        )
    return sql.SQL(" UNION ALL ").join(parts)


def _default_rows_statement(defaults: list[Table]) -> Any:
    from psycopg import sql

    parts = [
        sql.SQL(
            "SELECT {name} AS partition, (SELECT count(*) FROM (SELECT 1 FROM {rel} LIMIT {cap})"
            " s) AS n"
        ).format(
            name=sql.Literal(d.qualified),
            rel=sql.Identifier(d.schema, d.name),
            cap=sql.Literal(_DEFAULT_ROWS_CAP),
        )
        for d in defaults
    ]
    return sql.SQL(" UNION ALL ").join(parts)


def _runs_statement(conn: Conn, table: str) -> Any:
    """Last successful refresh per target from `slipway maintain`'s runs table, if it exists.

    Its columns are (task, target, action, started_at, finished_at, outcome, ...); the filters
    apply when those columns are there, so an older layout still gives an answer.
    """
    from psycopg import sql

    found = conn.execute(
        "SELECT n.nspname, c.relname, array_agg(a.attname::text) FROM pg_class c "
        "JOIN pg_namespace n ON n.oid = c.relnamespace "
        "JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped "
        "WHERE c.oid = to_regclass(%s) AND c.relkind IN ('r', 'p') GROUP BY 1, 2",
        (table,),
    ).fetchone()
    if not found:
        return None
    columns = set(found[2])
    target = next((c for c in _RUN_TARGET if c in columns), None)
    when = next((c for c in _RUN_TIME if c in columns), None)
    if target is None or when is None:
        return None
    wanted = [
        sql.SQL("{} = {}").format(sql.Identifier(col), sql.Literal(value))
        for col, value in _RUN_FILTER
        if col in columns
    ]
    where = sql.SQL(" WHERE ") + sql.SQL(" AND ").join(wanted) if wanted else sql.SQL("")
    return sql.SQL(
        "SELECT {t}::text AS target, max({w}) AS last_run FROM {rel}{where} GROUP BY 1"
    ).format(
        t=sql.Identifier(target),
        w=sql.Identifier(when),
        rel=sql.Identifier(found[0], found[1]),
        where=where,
    )


def _fetch(conn: Conn, facts: Facts, name: str, statement: Any) -> None:
    import psycopg
    from psycopg.rows import dict_row

    try:
        with conn.transaction(), conn.cursor(row_factory=dict_row) as cur:
            cur.execute(statement)
            facts.rows[name] = list(cur.fetchall())
    except (psycopg.errors.InsufficientPrivilege, psycopg.errors.QueryCanceled) as exc:
        facts.rows[name] = []
        facts.notes[name] = f"could not read {name}: {exc.diag.message_primary}"


def _defaults_of_top_level(facts: Facts) -> list[Table]:
    """The default partitions of partitioned tables that are not partitions themselves."""
    catalog = facts.catalog
    tops = [t for t in catalog.tables if t.is_partitioned and not t.is_partition]
    return [d for d in map(catalog.default_partition, tops) if d is not None]


def gather_derived(conn: Conn, facts: Facts, names: set[str]) -> None:
    """Run the derived fact statements that `names` asks for (inside gather's snapshot)."""
    if "orphans" in names:
        fks = [(t, fk) for t, fk in facts.foreign_keys() if not fk.validated]
        facts.rows["orphans"] = []
        if fks:
            _fetch(conn, facts, "orphans", _orphan_statement(fks))
    if "default_rows" in names:
        defaults = _defaults_of_top_level(facts)
        facts.rows["default_rows"] = []
        if defaults:
            _fetch(conn, facts, "default_rows", _default_rows_statement(defaults))
    if "maintenance_runs" in names:
        facts.rows["maintenance_runs"] = []
        table = facts.settings.config.maintain.runs_table
        statement = _runs_statement(conn, table)
        facts.extra["maintenance_runs_table"] = statement is not None
        if statement is not None:
            _fetch(conn, facts, "maintenance_runs", statement)


def gather_migrations(conn: Conn, facts: Facts) -> None:
    """Migration states from the project's folder and history, or the reason they are unknown.

    Sets extra["migrations"] (a list of MigrationState), extra["migrations_error"] (a string)
    and extra["migration_layout_error"] (duplicate versions and other layout problems).
    """
    import psycopg

    from slipway.errors import MigrationLayoutError, SlipwayError

    try:
        from slipway.migrations.status import migration_status
    except ImportError as exc:  # the engine is being written alongside
        facts.extra["migrations_error"] = f"migration status is not available ({exc})"
        return
    try:
        facts.extra["migrations"] = migration_status(conn, facts.settings)
    except MigrationLayoutError as exc:
        facts.extra["migration_layout_error"] = exc.message
    except SlipwayError as exc:
        facts.extra["migrations_error"] = exc.message
    except psycopg.Error as exc:  # e.g. no SELECT on the history table for this role
        facts.extra["migrations_error"] = (
            f"cannot read the migration history: {exc.diag.message_primary}"
        )
