"""Facts: what the checks read, gathered by a few set-based, read-only queries.

Each fact is one SQL file in queries/ run once for the whole database (never once per table).
A fact the role may not read (a view that needs pg_read_all_stats, say) is recorded with a note
and left empty, so the checks that use it degrade instead of failing.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from slipway.config import Settings

QUERY_FACTS = (
    "database", "tables", "foreign_keys", "check_constraints", "policies", "indexes", "roles",
    "public_grants", "secdef_functions", "views_rls", "sequences", "matviews", "partitions",
    "sessions", "replication_slots",
)

Row = dict[str, Any]


@dataclass(frozen=True)
class Thresholds:
    """When a number turns into a warning; override any of them in [doctor] of slipway.toml."""

    unused_index_min_reads: int = 100
    cache_hit_warn: float = 0.95
    cache_hit_fail: float = 0.80
    cache_min_blocks: int = 10_000
    seq_scan_min: int = 20
    seq_scan_min_rows: int = 1_000
    bloat_dead_ratio: float = 0.2
    bloat_min_dead: int = 1_000
    stale_days: float = 7.0
    xid_age_warn: int = 500_000_000
    xid_age_fail: int = 1_500_000_000
    sequence_warn: float = 0.75
    sequence_fail: float = 0.90
    connections_warn: float = 0.80
    connections_fail: float = 0.95
    partitions_ahead: int = 2
    idle_in_transaction_seconds: float = 300.0
    long_transaction_seconds: float = 3600.0
    slot_retained_bytes: int = 1 << 30
    matview_max_age_hours: float = 48.0

    @classmethod
    def from_settings(cls, settings: Settings) -> Thresholds:
        from slipway.errors import ConfigError

        section = settings.section("doctor")
        known = cls.__dataclass_fields__
        values: dict[str, Any] = {}
        for key, value in section.items():
            if key not in known:
                continue  # other doctor options (pool, load) live in the same section
            try:
                values[key] = type(getattr(cls(), key))(value)
            except (TypeError, ValueError) as exc:
                raise ConfigError(f"[doctor] {key} = {value!r} is not a number") from exc
        return cls(**values)


@dataclass
class Facts:
    """Query results by fact name, plus non-SQL facts (migrations, CRUD, load) in `extra`."""

    settings: Settings
    thresholds: Thresholds = field(default_factory=Thresholds)
    rows: dict[str, list[Row]] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def tenant_column(self) -> str:
        return self.settings.tenant_column

    def get(self, name: str) -> list[Row]:
        return self.rows.get(name, [])

    def one(self, name: str) -> Row:
        rows = self.get(name)
        return rows[0] if rows else {}

    def tables_by_oid(self) -> dict[int, Row]:
        return {int(t["oid"]): t for t in self.get("tables")}

    def tenant_tables(self) -> list[Row]:
        """Tables carrying the tenant column (partitions are covered by their parent)."""
        return [t for t in self.get("tables") if t["has_tenant_column"] and not t["is_partition"]]


def query_text(name: str) -> str:
    return resources.files("slipway.health").joinpath(f"queries/{name}.sql").read_text("utf-8")


def qualified(row: Row, schema: str = "schema", name: str = "name") -> str:
    return f"{row[schema]}.{row[name]}"


# Run on a second connection sharing the first one's snapshot (pg_export_snapshot), so the
# two big catalog reads (tables, indexes) proceed in parallel on the server.
SIDE_FACTS = ("indexes", "sequences", "roles", "public_grants", "secdef_functions", "views_rls",
              "matviews", "partitions", "check_constraints", "replication_slots")
_REFUSED = ("InsufficientPrivilege", "FeatureNotSupported", "UndefinedColumn", "UndefinedTable")


def _begin(conn: Any, snapshot: str | None = None) -> None:
    from psycopg import sql

    conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
    if snapshot:
        conn.execute(sql.SQL("SET TRANSACTION SNAPSHOT {}").format(sql.Literal(snapshot)))
    conn.execute("SET LOCAL statement_timeout = '60s'")
    conn.execute("SET LOCAL lock_timeout = '2s'")


def _run(conn: Any, facts: Facts, names: list[str]) -> None:
    """Each named fact query in its own savepoint; a refused one becomes a note."""
    import psycopg
    from psycopg.rows import dict_row

    params = {"tenant_column": facts.tenant_column}
    for name in names:
        try:
            with conn.transaction(), conn.cursor(row_factory=dict_row) as cur:
                cur.execute(query_text(name), params)
                facts.rows[name] = list(cur.fetchall())
        except psycopg.Error as exc:
            if type(exc).__name__ not in _REFUSED:
                raise
            facts.rows[name] = []
            facts.notes[name] = f"could not read {name}: {exc.diag.message_primary}"


class _Side(threading.Thread):
    """Runs some fact queries on a second connection inside the exported snapshot."""

    def __init__(self, url: str, snapshot: str, facts: Facts, names: list[str]) -> None:
        super().__init__(daemon=True)
        self.url, self.snapshot, self.facts, self.names = url, snapshot, facts, names
        self.error: BaseException | None = None

    def run(self) -> None:
        import psycopg

        try:
            with psycopg.connect(self.url, autocommit=True, connect_timeout=10,
                                 application_name="slipway-doctor") as conn, conn.transaction():
                _begin(conn, self.snapshot)
                _run(conn, self.facts, self.names)
        except Exception as exc:  # noqa: BLE001 - handed to the main thread, which falls back
            self.error = exc


def gather(conn: Any, facts: Facts, names: set[str], url: str = "") -> None:
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
                    snapshot = str(conn.execute("SELECT pg_export_snapshot()").fetchone()[0])
                side = _Side(url, snapshot, facts, side_names)
                side.start()
            except psycopg.Error:
                side = None  # e.g. a server that cannot export snapshots: one connection
        _run(conn, facts, [n for n in wanted if side is None or n not in side_names])
        if side is not None:
            side.join()
            if side.error is not None:  # fall back to this connection
                _run(conn, facts, [n for n in side_names if n not in facts.rows])
        from slipway.health.derived import gather_derived

        gather_derived(conn, facts, names)
    add_index_totals(facts)


def add_index_totals(facts: Facts) -> None:
    """Per table: index_bytes, total_bytes and idx_scan, summed from the indexes fact (one pass
    over the indexes is much cheaper than pg_indexes_size and the stats view per table)."""
    size: dict[int, int] = {}
    scans: dict[int, int] = {}
    for ix in facts.get("indexes"):
        oid = int(ix["table_oid"])
        size[oid] = size.get(oid, 0) + int(ix["bytes"] or 0)
        scans[oid] = scans.get(oid, 0) + int(ix["idx_scan"] or 0)
    for t in facts.get("tables"):
        t["index_bytes"] = size.get(int(t["oid"]), 0)
        t["total_bytes"] = int(t["table_bytes"] or 0) + t["index_bytes"]
        t["idx_scan"] = scans.get(int(t["oid"]))
