"""Did a killed run already do the statement it had started?

A statement that runs outside a transaction (CREATE/DROP INDEX CONCURRENTLY, REINDEX
CONCURRENTLY, DETACH PARTITION CONCURRENTLY) commits on its own: a client killed after the
server finished it, but before its progress was recorded, leaves its effect behind. Before
rerunning a statement the run log marks as started, the engine asks here what to do, by
comparing the live catalog with what the statement would create.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from slipway.sql import Statement
from slipway.sql.quote import quote_ident, quote_literal

if TYPE_CHECKING:
    import psycopg

__all__ = ["Resume", "resume"]


# Parse-tree keys that do not change what an index is.
_IGNORED_KEYS = {"location", "concurrent", "if_not_exists", "idxname", "relation"}


@dataclass
class Resume:
    """What to do with a statement a killed run had started: skip it, clean up first, or run
    another."""

    done: bool = False  # the statement's effect is there: skip it
    cleanup: list[str] = field(default_factory=list)  # run first, one at a time
    instead: str | None = None  # run this rather than the statement
    note: str = ""


def _rangevar(node: dict[str, Any]) -> str:
    parts = [node[k] for k in ("schemaname", "relname") if node.get(k)]
    return ".".join(quote_ident(p) for p in parts)


def _regclass(conn: psycopg.Connection[Any], name: str) -> int | None:
    row = conn.execute(f"SELECT to_regclass({quote_literal(name)})::oid").fetchone()
    return int(row[0]) if row and row[0] is not None else None


def _shape(node: Any) -> Any:
    """A parse tree without positions, casts and the options that do not change the result."""
    if isinstance(node, list):
        return [_shape(item) for item in node]
    if not isinstance(node, dict):
        return node
    if set(node) == {"TypeCast"}:  # pg_get_indexdef spells out the casts the server added
        return _shape(node["TypeCast"]["arg"])
    if set(node) == {"ColumnRef"}:
        fields = node["ColumnRef"]["fields"]
        return {"ColumnRef": _shape(fields[-1:])}  # t.a and a are the same column here
    shaped = {k: _shape(v) for k, v in node.items() if k not in _IGNORED_KEYS}
    if shaped.get("accessMethod") == "btree":
        shaped.pop("accessMethod")
    return shaped


def _index_shape(sql: str) -> Any:
    from slipway.sql import parse_statements

    return _shape(parse_statements(sql)[0]["stmt"]["IndexStmt"])


def _resume_create_index(conn: psycopg.Connection[Any], stmt: Statement, text: str) -> Resume:
    table = _regclass(conn, _rangevar(stmt.node["relation"]))
    if table is None:
        return Resume()
    name = stmt.node.get("idxname")
    rows = conn.execute(
        "SELECT format('%%I.%%I', n.nspname, c.relname), c.relname, i.indisvalid,"
        " pg_get_indexdef(i.indexrelid) FROM pg_index i"
        " JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_namespace n ON n.oid = c.relnamespace"
        " WHERE i.indrelid = %s",
        (table,),
    ).fetchall()
    wanted = _index_shape(text)
    for qualified, relname, valid, definition in rows:
        if name and relname != name:
            continue
        if _index_shape(definition) != wanted:
            continue
        if valid:
            return Resume(done=True, note=f"index {qualified} was built by the earlier run")
        if name:
            return Resume()  # the engine's probe drops an INVALID index of this name
        return Resume(
            cleanup=[f"DROP INDEX CONCURRENTLY IF EXISTS {qualified}"],
            note=f"dropped the INVALID index {qualified} left by the earlier run",
        )
    return Resume()


def _resume_drop_index(conn: psycopg.Connection[Any], stmt: Statement) -> Resume:
    if stmt.node.get("removeType") != "OBJECT_INDEX":
        return Resume()
    names = [
        ".".join(quote_ident(s["String"]["sval"]) for s in o["List"]["items"])
        for o in stmt.node.get("objects", [])
    ]
    if all(_regclass(conn, n) is None for n in names):
        return Resume(done=True, note="the index was dropped by the earlier run")
    return Resume()


def _resume_reindex(conn: psycopg.Connection[Any], stmt: Statement) -> Resume:
    """An interrupted REINDEX CONCURRENTLY leaves INVALID `<index>_ccnew`/`_ccold` copies;
    the rerun rebuilds anyway, so only they need removing."""
    relation = stmt.node.get("relation")
    if not relation:
        return Resume()
    oid = _regclass(conn, _rangevar(relation))
    if oid is None:
        return Resume()
    column = "i.indexrelid" if stmt.node.get("kind") == "REINDEX_OBJECT_INDEX" else "i.indrelid"
    rows = conn.execute(
        "SELECT format('%%I.%%I', n.nspname, c.relname) FROM pg_index i"
        " JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_namespace n ON n.oid = c.relnamespace"
        " JOIN pg_index base ON base.indrelid = i.indrelid"
        " JOIN pg_class bc ON bc.oid = base.indexrelid"
        f" WHERE NOT i.indisvalid AND {column.replace('i.', 'base.')} = %s"
        " AND c.relname ~ ('^' || bc.relname || '_cc(new|old)[0-9]*$')",
        (oid,),
    ).fetchall()
    cleanup = sorted({f"DROP INDEX CONCURRENTLY IF EXISTS {r[0]}" for r in rows})
    return Resume(cleanup=cleanup, note="dropped the copies left by the earlier REINDEX")


def _resume_detach(conn: psycopg.Connection[Any], stmt: Statement) -> Resume:
    parent = _regclass(conn, _rangevar(stmt.node["relation"]))
    cmd = stmt.node["cmds"][0]["AlterTableCmd"]["def"]["PartitionCmd"]
    child_name = _rangevar(cmd["name"])
    child = _regclass(conn, child_name)
    if parent is None or child is None:
        return Resume()
    row = conn.execute(
        "SELECT inhdetachpending FROM pg_inherits WHERE inhrelid = %s AND inhparent = %s",
        (child, parent),
    ).fetchone()
    if row is None:
        return Resume(done=True, note=f"{child_name} was detached by the earlier run")
    if row[0]:
        finalize = (
            f"ALTER TABLE {_rangevar(stmt.node['relation'])} DETACH PARTITION {child_name} FINALIZE"
        )
        return Resume(instead=finalize, note=f"finished the pending detach of {child_name}")
    return Resume()


def resume(conn: psycopg.Connection[Any], stmt: Statement, text: str) -> Resume:
    """What to do with a statement an interrupted run had started (see the module doc)."""
    if stmt.kind == "IndexStmt" and stmt.concurrent:
        return _resume_create_index(conn, stmt, text)
    if stmt.kind == "DropStmt" and stmt.concurrent:
        return _resume_drop_index(conn, stmt)
    if stmt.kind == "ReindexStmt" and stmt.concurrent:
        return _resume_reindex(conn, stmt)
    if stmt.kind == "AlterTableStmt" and stmt.concurrent:
        return _resume_detach(conn, stmt)
    return Resume()
