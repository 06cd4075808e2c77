"""Gathering the facts: a few set-based, read-only queries in one snapshot, then the derived ones.

Two facts are models rather than rows, read in the same snapshot: "stats", the statistics
model (slipway.catalog.stats), and "catalog", the part of the Catalog the checks read
(tables, partitions and materialized views with their constraints and indexes, sequences,
functions without their definitions; only printing a partial index's predicate takes its
table's lock, under the lock timeout). The row facts are live server state, not schema.

Kept apart from the Facts model (slipway.health.facts) so the derived facts
(slipway.health.derived) can read the model without an import cycle.
"""

from __future__ import annotations

import threading

from slipway.catalog.introspect import introspect
from slipway.catalog.stats import read_statistics
from slipway.db import Conn
from slipway.health.derived import gather_derived
from slipway.health.facts import Facts, query_text

QUERY_FACTS = (
    "database",
    "roles",
    "sessions",
    "replication_slots",
    "catalog",  # the Catalog: tables, constraints, indexes, partitions, materialized views
    "stats",  # the statistics model, slipway.catalog.stats
)


# Run on a second connection sharing the first one's snapshot (pg_export_snapshot), so the
# big reads (the Catalog here, the statistics there) proceed in parallel
# on the server. (Moving more to the side was measured slower: both threads then build
# Python objects, and they share one interpreter lock.)
SIDE_FACTS = (
    "stats",
    "roles",
    "replication_slots",
)
# Errors that make a fact a note instead of failing the report: refused reads, and reads that
# waited for a table's lock past the lock timeout (printing an index's or a policy's
# expression opens its table, which an ALTER TABLE in progress holds).
_REFUSED = (
    "InsufficientPrivilege",
    "FeatureNotSupported",
    "UndefinedColumn",
    "UndefinedTable",
    "LockNotAvailable",
)


def _begin(conn: Conn, snapshot: str | None = None) -> None:
    from psycopg import sql

    conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
    if snapshot:
        conn.execute(sql.SQL("SET TRANSACTION SNAPSHOT {}").format(sql.Literal(snapshot)))
    conn.execute("SET LOCAL statement_timeout = '60s'")
    conn.execute("SET LOCAL lock_timeout = '2s'")


def _run(conn: Conn, facts: Facts, names: list[str]) -> None:
    """Each named fact query in its own savepoint; a refused one becomes a note."""
    import psycopg
    from psycopg.rows import dict_row

    params = {"tenant_column": facts.tenant_column}
    for name in names:
        if name in _MODELS:
            _read_model(conn, facts, name)
            continue
        try:
            with conn.transaction(), conn.cursor(row_factory=dict_row) as cur:
                cur.execute(query_text(name), params)
                facts.rows[name] = list(cur.fetchall())
        except psycopg.Error as exc:
            if type(exc).__name__ not in _REFUSED:
                raise
            facts.rows[name] = []
            facts.notes[name] = f"could not read {name}: {exc.diag.message_primary}"


def _read_stats(conn: Conn, facts: Facts) -> None:
    facts.stats = read_statistics(conn)


def _read_catalog(conn: Conn, facts: Facts) -> None:
    # Tables (partitions included), views and materialized views with their constraints, indexes
    # and policies (and so their column names), sequences and functions; slipway's own tables
    # too, as every other fact sees them. No function definitions: the checks read flags.
    facts.catalog = introspect(
        conn,
        kinds=CATALOG_KINDS,
        members=CATALOG_MEMBERS,
        exclude_tables=(),
        definitions=False,
    )


#: What the "catalog" fact reads: the relkinds and the Catalog members the checks use.
CATALOG_KINDS = "rpvm"
# types: the enums and domains the row generator (CRUD, load test) reads column types through
CATALOG_MEMBERS = ("constraints", "indexes", "policies", "sequences", "functions", "types")
_MODELS = {"stats": _read_stats, "catalog": _read_catalog}


def _read_model(conn: Conn, facts: Facts, name: str) -> None:
    """A model fact into `facts` (its own savepoint); a refused read becomes a note."""
    import psycopg

    try:
        with conn.transaction():
            _MODELS[name](conn, facts)
        facts.extra[f"{name}_read"] = True
    except psycopg.Error as exc:
        if type(exc).__name__ not in _REFUSED:
            raise
        facts.notes[name] = f"could not read {name}: {exc.diag.message_primary}"


def _gathered(facts: Facts, name: str) -> bool:
    if name in _MODELS:
        return f"{name}_read" in facts.extra or name in facts.notes
    return name in facts.rows


class _Side(threading.Thread):
    """Runs some fact queries on a second connection inside the exported snapshot."""

    def __init__(self, url: str, snapshot: str, facts: Facts, names: list[str]) -> None:
        super().__init__(daemon=True)
        self.url, self.snapshot, self.facts, self.names = url, snapshot, facts, names
        self.error: BaseException | None = None

    def run(self) -> None:
        import psycopg

        try:
            with (
                psycopg.connect(
                    self.url, autocommit=True, connect_timeout=10, application_name="slipway-doctor"
                ) as conn,
                conn.transaction(),
            ):
                _begin(conn, self.snapshot)
                _run(conn, self.facts, self.names)
        except Exception as exc:  # noqa: BLE001 - handed to the main thread, which falls back
            self.error = exc


def gather(conn: Conn, facts: Facts, names: set[str], url: str = "") -> None:
    """Run the named fact queries in one read-only snapshot (on two connections when `url`
    allows a second one); then the derived facts."""
    import psycopg

    wanted = [n for n in QUERY_FACTS if n in names]
    side_names = [n for n in wanted if n in SIDE_FACTS] if url else []
    with conn.transaction():
        _begin(conn)
        side = None
        if side_names:
            try:
                with conn.transaction():
                    row = conn.execute("SELECT pg_export_snapshot()").fetchone()
                snapshot = str(row[0]) if row else ""
                side = _Side(url, snapshot, facts, side_names)
                side.start()
            except psycopg.Error:
                side = None  # e.g. a server that cannot export snapshots: one connection
        _run(conn, facts, [n for n in wanted if side is None or n not in side_names])
        if side is not None:
            side.join()
            if side.error is not None:  # fall back to this connection
                _run(conn, facts, [n for n in side_names if not _gathered(facts, n)])
        gather_derived(conn, facts, names)
