"""Range partitions kept ahead and retired, like pg_partman without the extension.

`plan()` reads the catalog and decides; `apply()` does one action under lock_timeout with
retry. Rows that already sit in the DEFAULT partition for a new range are moved, in one
transaction, into a standalone table that is then attached, so creating the partition never
fails with "updated partition constraint for default partition would be violated".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, NamedTuple

from psycopg import errors as pgerrors
from psycopg import sql

from slipway.catalog.introspect import introspect as read_catalog
from slipway.catalog.model import Catalog, Table
from slipway.db import Conn
from slipway.errors import ConfigError
from slipway.maintain import bounds as b
from slipway.maintain import isolation
from slipway.maintain.config import MaintainConfig, PartitionRule
from slipway.maintain.ddl import check_rls_visible, with_lock_retry
from slipway.maintain.model import Action
from slipway.sql.quote import quote_ident

# The configured name as PostgreSQL resolves it (quoted where needed: action targets), and
# whether a foreign key points at it; the structure comes from the Catalog.
_RESOLVE_SQL = """
SELECT n.nspname, c.relname, c.oid::regclass::text,
       EXISTS (SELECT 1 FROM pg_constraint f WHERE f.confrelid = c.oid AND f.contype = 'f')
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.oid = to_regclass(%s)
"""


class _Name(NamedTuple):
    schema: str
    name: str


@dataclass(frozen=True)
class Retry:
    timeout: float
    retries: int
    what: str


@dataclass(frozen=True)
class Partition:
    schema: str
    name: str
    lo: b.Bound
    hi: b.Bound
    is_default: bool = False
    detach_pending: bool = False

    @property
    def qualified(self) -> sql.Composed:
        return sql.SQL(".").join([sql.Identifier(self.schema), sql.Identifier(self.name)])


@dataclass(frozen=True)
class PartitionedTable:
    schema: str
    name: str
    key: str
    key_type: str
    partitions: tuple[Partition, ...]
    referenced: bool  # a foreign key points at it: rows cannot be moved out of DEFAULT
    regclass: str = ""  # the name as PostgreSQL prints it (quoted as needed): action targets

    @property
    def qualified(self) -> sql.Composed:
        return sql.SQL(".").join([sql.Identifier(self.schema), sql.Identifier(self.name)])

    @property
    def shown(self) -> str:
        """`schema.name`, each part quoted as in SQL (for the statements a dry run prints)."""
        return f"{quote_ident(self.schema)}.{quote_ident(self.name)}"

    @property
    def default(self) -> Partition | None:
        return next((p for p in self.partitions if p.is_default), None)

    @property
    def ranged(self) -> list[Partition]:
        """Attached range partitions (not DEFAULT, not half-detached), oldest first."""
        parts = [p for p in self.partitions if not p.is_default and not p.detach_pending]
        return sorted(parts, key=lambda p: (p.lo is not None, p.lo))


def read_partitions(conn: Conn, members: tuple[str, ...] = ()) -> Catalog:
    """The Catalog's partitioned tables with their partitions (in any schema). Without members
    by default: printing a generated column's expression waits behind a lock on its table, and
    planning must not wait behind the lock an action is about to be refused."""
    return read_catalog(conn, exclude_tables=(), kinds="p", members=members)


def introspect(conn: Conn, table: str, tz: str = "UTC") -> PartitionedTable:
    """The partitioned table `table` (a name as written in SQL) as maintenance sees it."""
    row = conn.execute(_RESOLVE_SQL, (table,)).fetchone()
    if row is None:
        raise ConfigError(f"[maintain] partitions: {table} is not a partitioned table")
    schema, name, regclass, referenced = row
    catalog = read_partitions(conn)
    found = catalog.table(_Name(schema, name))
    if found is None or not found.is_partitioned:
        raise ConfigError(f"[maintain] partitions: {table} is not a partitioned table")
    return from_catalog(found, catalog, table, str(regclass), bool(referenced), tz)


def from_catalog(
    parent: Table,
    catalog: Catalog,
    label: str,
    regclass: str = "",
    referenced: bool = False,
    tz: str = "UTC",
) -> PartitionedTable:
    """A partitioned table of the Catalog as maintenance sees it; ConfigError for a layout
    maintenance does not handle (not RANGE on one column, a key neither time nor integer)."""
    keys = parent.partition_columns
    if parent.partition_strategy != "range" or len(keys) != 1 or not keys[0]:
        raise ConfigError(f"{label}: only RANGE partitioning on one column is supported")
    key_type = parent.partition_key_type or ""
    if key_type not in b.TIME_TYPES + b.INT_TYPES:
        raise ConfigError(f"{label}: partition key type {key_type} is not a time or integer type")
    parts = []
    for child in catalog.partitions(parent):
        spec = child.partition_bound or ""
        try:
            bounds = b.parse_bound_spec(spec)
            values = [b.bound_value(v, key_type, tz) for v in bounds] if bounds else []
        except ValueError as exc:
            raise ConfigError(f"{label}: cannot read the bounds of {child.name}: {exc}") from exc
        if bounds is None:
            parts.append(Partition(child.schema, child.name, None, None, is_default=True))
            continue
        parts.append(Partition(child.schema, child.name, values[0], values[1],
                               detach_pending=child.detach_pending))  # fmt: skip
    return PartitionedTable(parent.schema, parent.name, keys[0], key_type, tuple(parts),
                            referenced, regclass)  # fmt: skip


def _current_int(conn: Conn, table: PartitionedTable, rule: PartitionRule) -> int:
    """Integer tables advance with their data: the highest key, else the lowest range, else start."""
    query = sql.SQL("SELECT max({}) FROM {}").format(sql.Identifier(table.key), table.qualified)
    row = conn.execute(query).fetchone()
    if row and row[0] is not None:
        return int(row[0])
    lows = [p.lo for p in table.ranged if isinstance(p.lo, int)]
    return min(lows) if lows else rule.start


def plan(conn: Conn, rule: PartitionRule, now: datetime) -> list[Action]:
    """Actions that bring one partitioned table to its rule: create ahead, retire the old."""
    table = introspect(conn, rule.table, rule.timezone)
    actions = [_finalize(table, p) for p in table.partitions if p.detach_pending]
    wanted: list[tuple[Any, Any]]
    if isinstance(rule.interval, int):
        current = _current_int(conn, table, rule)
        wanted = list(b.wanted_int_ranges(current, rule.interval, rule.ahead))
    else:
        wanted = list(b.wanted_time_ranges(now, rule.interval, rule.ahead, rule.timezone))
    for lo, hi in wanted:
        action = _create_action(conn, table, rule, lo, hi)
        if action is not None:
            actions.append(action)
    if rule.retention is not None:
        actions.extend(_retention_actions(conn, table, rule, now))
    return actions


def _create_action(
    conn: Conn, table: PartitionedTable, rule: PartitionRule, lo: Any, hi: Any
) -> Action | None:
    clash = [p for p in table.ranged if b.overlaps((p.lo, p.hi), (lo, hi))]
    name = b.partition_name(table.name, lo, rule.interval, rule.name)
    lo_sql = b.bound_literal(lo, table.key_type, rule.timezone)
    hi_sql = b.bound_literal(hi, table.key_type, rule.timezone)
    details: dict[str, Any] = {"partition": name, "from": lo_sql, "to": hi_sql}
    if any(p.lo == lo and p.hi == hi for p in clash):
        return None  # already there
    if clash:
        details["overlaps"] = [p.name for p in clash]
        return Action(
            "partitions",
            table.regclass,
            "skip",
            "range overlaps existing partitions",
            details=details,
            outcome="skipped",
        )
    stranded = _rows_in_default(conn, table, lo_sql, hi_sql)
    details["rows_in_default"] = stranded
    if stranded:
        reason = f"{stranded} row(s) for this range sit in the DEFAULT partition"
        return Action(
            "partitions",
            table.regclass,
            "rescue",
            reason,
            sql=[f"move rows {lo_sql}..{hi_sql} from DEFAULT into {name}, attach"],
            details=details,
        )
    stmt = (
        f"CREATE TABLE {quote_ident(table.schema)}.{quote_ident(name)} PARTITION OF {table.shown}"
        f" FOR VALUES FROM ({lo_sql}) TO ({hi_sql})"
    )
    return Action(
        "partitions", table.regclass, "create", "keep partitions ahead", sql=[stmt], details=details
    )


def _range_filter(table: PartitionedTable, lo_sql: str, hi_sql: str) -> sql.Composed:
    key = sql.Identifier(table.key)
    return sql.SQL("{} >= {} AND {} < {}").format(key, sql.SQL(lo_sql), key, sql.SQL(hi_sql))


def _rows_in_default(conn: Conn, table: PartitionedTable, lo_sql: str, hi_sql: str) -> int:
    default = table.default
    if default is None:
        return 0
    query = sql.SQL("SELECT count(*) FROM {} WHERE {}").format(
        default.qualified, _range_filter(table, lo_sql, hi_sql)
    )
    row = conn.execute(query).fetchone()
    return int(row[0]) if row else 0


def _finalize(table: PartitionedTable, part: Partition) -> Action:
    return Action(
        "partitions",
        table.regclass,
        "finalize",
        "an earlier DETACH CONCURRENTLY was interrupted",
        sql=[
            (
                f"ALTER TABLE {table.shown} DETACH PARTITION"
                f" {quote_ident(part.schema)}.{quote_ident(part.name)} FINALIZE"
            )
        ],
        details={"partition": part.name},
    )


def _retention_actions(
    conn: Conn, table: PartitionedTable, rule: PartitionRule, now: datetime
) -> list[Action]:
    assert rule.retention is not None
    cutoff: Any
    if isinstance(rule.interval, int):
        cutoff = _current_int(conn, table, rule) - rule.retention.count
    else:
        cutoff = b.retention_cutoff_time(now, rule.interval, rule.retention, rule.timezone)
    ranged = table.ranged
    expired = [p for p in ranged if p.hi is not None and p.hi <= cutoff]
    if expired and len(expired) == len(ranged):
        expired = expired[:-1]  # never the last partition
    concurrently = conn.info.server_version >= 140000 and table.default is None
    actions = []
    for part in expired:
        details = {
            "partition": part.name,
            "concurrently": concurrently,
            "mode": rule.retention_mode,
            "cutoff": str(cutoff),
        }
        reason = f"older than retention {rule.retention}"
        word = " CONCURRENTLY" if concurrently else ""
        stmts = [
            (
                f"ALTER TABLE {table.shown} DETACH PARTITION"
                f" {quote_ident(part.schema)}.{quote_ident(part.name)}{word}"
            )
        ]
        if rule.retention_mode == "drop":
            stmts.append(f"DROP TABLE {quote_ident(part.schema)}.{quote_ident(part.name)}")
        actions.append(
            Action(
                "partitions",
                table.regclass,
                rule.retention_mode,
                reason,
                sql=stmts,
                details=details,
            )
        )
    return actions


def apply(conn: Conn, action: Action, cfg: MaintainConfig) -> None:
    """Do one planned partition action; raises on failure (the runner records it)."""
    table = introspect(conn, action.target)
    retry = Retry(
        cfg.lock_timeout, cfg.lock_retries, f"{action.action} {action.details.get('partition')}"
    )
    part = sql.Identifier(table.schema, action.details["partition"])
    if action.action == "create":
        try:
            with_lock_retry(
                conn,
                lambda: _create(conn, table, part, action),
                lock_timeout=retry.timeout,
                retries=retry.retries,
                what=retry.what,
            )
        except pgerrors.CheckViolation:
            # A row for this range reached DEFAULT since we looked: move it, then attach.
            action.action = "rescue"
    if action.action == "rescue":
        with_lock_retry(
            conn,
            lambda: _rescue(conn, table, part, action),
            lock_timeout=retry.timeout,
            retries=retry.retries,
            what=retry.what,
        )
    elif action.action == "finalize":
        _keep_isolation(conn, table, part, action, retry)
        conn.execute(
            sql.SQL("ALTER TABLE {} DETACH PARTITION {} FINALIZE").format(table.qualified, part)
        )
        _archive(conn, part, action, cfg, retry)
    elif action.action in ("drop", "detach"):
        _keep_isolation(conn, table, part, action, retry)
        _retire(conn, table, part, action, retry)
        if action.action == "detach":
            _archive(conn, part, action, cfg, retry)


def _keep_isolation(conn: Conn, table: PartitionedTable, part: sql.Identifier, action: Action,
                    retry: Retry) -> None:  # fmt: skip
    """The parent's row level security on the partition before it leaves (isolation.py)."""
    kept = with_lock_retry(
        conn,
        lambda: isolation.protect(conn, table.qualified, part),
        lock_timeout=retry.timeout,
        retries=retry.retries,
        what=retry.what,
    )
    if kept:
        action.details["isolation"] = kept


def _archive(conn: Conn, part: sql.Identifier, action: Action, cfg: MaintainConfig,
             retry: Retry) -> None:  # fmt: skip
    if cfg.archive_schema is None:
        return
    schema = cfg.archive_schema
    with_lock_retry(
        conn,
        lambda: isolation.archive(conn, part, schema),
        lock_timeout=retry.timeout,
        retries=retry.retries,
        what=retry.what,
    )
    action.details["archived_to"] = schema


def _bounds_sql(action: Action) -> sql.Composed:
    return sql.SQL("FOR VALUES FROM ({}) TO ({})").format(
        sql.SQL(action.details["from"]), sql.SQL(action.details["to"])
    )


def _create(conn: Conn, table: PartitionedTable, part: sql.Identifier, action: Action) -> None:
    conn.execute(
        sql.SQL("CREATE TABLE {} PARTITION OF {} {}").format(
            part, table.qualified, _bounds_sql(action)
        )
    )


def _rescue(conn: Conn, table: PartitionedTable, part: sql.Identifier, action: Action) -> None:
    """In one transaction: lock DEFAULT, move the range's rows into a new table, attach it."""
    default = table.default
    if default is None:  # DEFAULT vanished since planning: a plain create will do
        _create(conn, table, part, action)
        return
    check_rls_visible(
        conn,
        f"{quote_ident(default.schema)}.{quote_ident(default.name)}",
        "moving rows out of DEFAULT",
    )
    if table.referenced:
        raise ConfigError(
            f"{table.name}: rows in DEFAULT cannot be moved while foreign keys"
            " reference the table; move them by hand, then rerun"
        )
    # Writers wait at the parent (reads go on) and route afterwards with the new partition
    # in place; a writer already waiting on DEFAULT alone would fail with "violates partition
    # constraint" once the range is attached.
    conn.execute(sql.SQL("LOCK TABLE ONLY {} IN SHARE ROW EXCLUSIVE MODE").format(table.qualified))
    conn.execute(sql.SQL("LOCK TABLE {} IN ACCESS EXCLUSIVE MODE").format(default.qualified))
    conn.execute(
        sql.SQL(
            "CREATE TABLE {} (LIKE {} INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING STORAGE"
            " INCLUDING GENERATED INCLUDING COMMENTS)"
        ).format(part, table.qualified)
    )
    cols = sql.SQL(", ").join(sql.Identifier(c) for c in _plain_columns(conn, table))
    where = _range_filter(table, action.details["from"], action.details["to"])
    cur = conn.execute(
        sql.SQL(
            "WITH moved AS (DELETE FROM {} WHERE {} RETURNING {}) INSERT INTO {} ({}) SELECT {} FROM moved"
        ).format(default.qualified, where, cols, part, cols, cols)
    )
    action.details["rows_moved"] = cur.rowcount
    # ATTACH rescans DEFAULT and finds no row of the range left; it builds the parent's indexes.
    conn.execute(
        sql.SQL("ALTER TABLE {} ATTACH PARTITION {} {}").format(
            table.qualified, part, _bounds_sql(action)
        )
    )


def _plain_columns(conn: Conn, table: PartitionedTable) -> list[str]:
    """The columns rows are copied by, generated ones left out (read under the rescue's own
    locks, so the Catalog's columns do not wait)."""
    found = read_partitions(conn, ("columns",)).table(_Name(table.schema, table.name))
    return [c.name for c in found.columns if c.generated is None] if found else []


def _retire(
    conn: Conn, table: PartitionedTable, part: sql.Identifier, action: Action, retry: Retry
) -> None:
    concurrently = bool(action.details.get("concurrently")) and table.default is None
    detach = sql.SQL("ALTER TABLE {} DETACH PARTITION {}{}").format(
        table.qualified, part, sql.SQL(" CONCURRENTLY" if concurrently else "")
    )
    # CONCURRENTLY cannot run inside a transaction block; the plain form runs in one.
    with_lock_retry(
        conn,
        lambda: conn.execute(detach),
        transactional=not concurrently,
        lock_timeout=retry.timeout,
        retries=retry.retries,
        what=retry.what,
    )
    if action.action == "drop":
        with_lock_retry(
            conn,
            lambda: conn.execute(sql.SQL("DROP TABLE {}").format(part)),
            lock_timeout=retry.timeout,
            retries=retry.retries,
            what=retry.what,
        )
