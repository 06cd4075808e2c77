"""Verification SQL for one migration's objects: the queries seed 002 writes by hand, generated.

Each query is scoped to the objects the migration created that still exist after the last
migration (a later DROP removes them from the check), and says how many rows it must return.
Foreign keys are read from pg_constraint with `conparentid = 0`, so the copies PostgreSQL
clones onto partitions are not counted twice.
"""

from __future__ import annotations

from dataclasses import dataclass

from slipway.guide.deps import MigrationFacts
from slipway.guide.statements import Obj
from slipway.sql.quote import quote_literal


@dataclass(frozen=True, slots=True)
class Check:
    title: str
    sql: str
    expected: tuple[str, ...]  # one label per expected row

    @property
    def expected_rows(self) -> int:
        return len(self.expected)


def _split(key: str) -> tuple[str, str]:
    schema, dot, name = key.rpartition(".")
    return (schema, name) if dot else ("public", key)


def _pairs(keys: list[str]) -> str:
    """VALUES rows of (schema, name) literals."""
    rows = [f"({quote_literal(s)}, {quote_literal(n)})" for s, n in map(_split, keys)]
    return ",\n    ".join(rows)


def _triples(members: list[tuple[str, str]]) -> str:
    """VALUES rows of (schema, table, member name) literals."""
    rows = []
    for table, member in members:
        schema, name = _split(table)
        rows.append(f"({quote_literal(schema)}, {quote_literal(name)}, {quote_literal(member)})")
    return ",\n    ".join(rows)


def _tables(objs: list[Obj]) -> Check | None:
    kinds = ("table", "partitioned table", "partition", "view")
    keys = sorted(o.key for o in objs if o.kind in kinds)
    if not keys:
        return None
    sql = (
        "SELECT table_schema, table_name, table_type\n"
        "FROM information_schema.tables\n"
        "WHERE (table_schema, table_name) IN (VALUES\n"
        f"    {_pairs(keys)})\n"
        "ORDER BY table_schema, table_name;"
    )
    return Check("Tables and views exist", sql, tuple(keys))


def _indexes(objs: list[Obj]) -> Check | None:
    keys = sorted(o.key for o in objs if o.kind == "index")
    if not keys:
        return None
    sql = (
        "SELECT schemaname, tablename, indexname, indexdef\n"
        "FROM pg_indexes\n"
        "WHERE (schemaname, indexname) IN (VALUES\n"
        f"    {_pairs(keys)})\n"
        "ORDER BY schemaname, tablename, indexname;"
    )
    return Check("Indexes exist", sql, tuple(keys))


def _policies(objs: list[Obj]) -> Check | None:
    found = sorted(_member(o.key) for o in objs if o.kind == "policy")
    if not found:
        return None
    rows = _triples(found)
    sql = (
        "SELECT schemaname, tablename, policyname, permissive, cmd\n"
        "FROM pg_policies\n"
        "WHERE (schemaname, tablename, policyname) IN (VALUES\n"
        f"    {rows})\n"
        "ORDER BY schemaname, tablename, policyname;"
    )
    return Check("Row-level security policies exist", sql, tuple(f"{t}.{p}" for t, p in found))


def _member(key: str) -> tuple[str, str]:
    """`table.policy` (or `schema.table.policy`) -> (table key, member name)."""
    table, _, name = key.rpartition(".")
    return table, name


def _rls(objs: list[Obj]) -> Check | None:
    policy_tables = {_member(o.key)[0] for o in objs if o.kind == "policy"}
    keys = sorted(policy_tables)
    if not keys:
        return None
    sql = (
        "SELECT n.nspname AS schema, c.relname AS table_name,\n"
        "       c.relrowsecurity AS rls_enabled, c.relforcerowsecurity AS rls_forced\n"
        "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace\n"
        "WHERE (n.nspname, c.relname) IN (VALUES\n"
        f"    {_pairs(keys)})\n"
        "  AND c.relrowsecurity\n"
        "ORDER BY 1, 2;"
    )
    return Check("Row-level security is enabled on the policies' tables", sql, tuple(keys))


def _foreign_keys(facts: MigrationFacts) -> Check | None:
    fks = sorted(facts.foreign_keys, key=lambda f: (f.table, f.name))
    if not fks:
        return None
    rows = _triples([(f.table, f.name) for f in fks])
    sql = (
        "SELECT n.nspname AS schema, c.relname AS table_name, con.conname AS constraint_name,\n"
        "       con.confrelid::regclass AS foreign_table, con.convalidated AS validated,\n"
        "       pg_get_constraintdef(con.oid) AS definition\n"
        "FROM pg_constraint con\n"
        "JOIN pg_class c ON c.oid = con.conrelid\n"
        "JOIN pg_namespace n ON n.oid = c.relnamespace\n"
        "WHERE con.contype = 'f' AND con.conparentid = 0\n"
        "  AND (n.nspname, c.relname, con.conname) IN (VALUES\n"
        f"    {rows})\n"
        "ORDER BY 1, 2, 3;"
    )
    return Check("Foreign keys exist", sql, tuple(f"{f.table}.{f.name}" for f in fks))


def _routines(objs: list[Obj]) -> Check | None:
    keys = sorted({o.key for o in objs if o.namespace == "function"})
    if not keys:
        return None
    sql = (
        "SELECT DISTINCT n.nspname AS schema, p.proname AS function_name\n"
        "FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace\n"
        "WHERE (n.nspname, p.proname) IN (VALUES\n"
        f"    {_pairs(keys)})\n"
        "ORDER BY 1, 2;"
    )
    return Check("Functions exist", sql, tuple(keys))


def _matviews(objs: list[Obj]) -> Check | None:
    keys = sorted(o.key for o in objs if o.kind == "materialized view")
    if not keys:
        return None
    sql = (
        "SELECT schemaname, matviewname, ispopulated\n"
        "FROM pg_matviews\n"
        "WHERE (schemaname, matviewname) IN (VALUES\n"
        f"    {_pairs(keys)})\n"
        "ORDER BY 1, 2;"
    )
    return Check("Materialized views exist", sql, tuple(keys))


def _types(objs: list[Obj]) -> Check | None:
    keys = sorted(o.key for o in objs if o.namespace == "type")
    if not keys:
        return None
    sql = (
        "SELECT n.nspname AS schema, t.typname AS type_name, t.typtype AS kind\n"
        "FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace\n"
        "WHERE (n.nspname, t.typname) IN (VALUES\n"
        f"    {_pairs(keys)})\n"
        "ORDER BY 1, 2;"
    )
    return Check("Types exist", sql, tuple(keys))


def _triggers(objs: list[Obj]) -> Check | None:
    found = sorted(_member(o.key) for o in objs if o.kind == "trigger")
    if not found:
        return None
    rows = _triples(found)
    sql = (
        "SELECT n.nspname AS schema, c.relname AS table_name, tg.tgname AS trigger_name\n"
        "FROM pg_trigger tg\n"
        "JOIN pg_class c ON c.oid = tg.tgrelid\n"
        "JOIN pg_namespace n ON n.oid = c.relnamespace\n"
        "WHERE NOT tg.tgisinternal AND tg.tgparentid = 0\n"
        "  AND (n.nspname, c.relname, tg.tgname) IN (VALUES\n"
        f"    {rows})\n"
        "ORDER BY 1, 2, 3;"
    )
    return Check("Triggers exist", sql, tuple(f"{t}.{g}" for t, g in found))


def checks_for(facts: MigrationFacts) -> list[Check]:
    """The verification queries for one migration (empty when it left no objects behind)."""
    objs = facts.surviving
    found = [
        _tables(objs),
        _indexes(objs),
        _foreign_keys(facts),
        _policies(objs),
        _rls(objs),
        _triggers(objs),
        _routines(objs),
        _matviews(objs),
        _types(objs),
    ]
    return [c for c in found if c is not None]
