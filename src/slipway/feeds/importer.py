"""Import one feed file for one tenant, in one transaction: validate, COPY, merge, log.

The Python side streams checked rows into a temporary staging table with COPY (the server
parses while we validate); the merge is a handful of set-based statements. Any failure rolls
the whole import back, so a crash never leaves a half-imported feed.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from queue import Full, Queue
from threading import Event, Thread
from typing import Any

import psycopg
from psycopg.types.json import Jsonb

from slipway.db import Conn
from slipway.feeds import sql as q
from slipway.feeds import wide
from slipway.feeds.checks import DbType, RowError
from slipway.feeds.errors import FeedRejected
from slipway.feeds.fastpath import BlockConverter
from slipway.feeds.header import HeaderPlan, plan_header
from slipway.feeds.mapping import FeedMapping
from slipway.feeds.reader import FeedFile, Rows, open_feed, open_rows
from slipway.feeds.rows import RowConverter

BATCH_LINES = 4000
WORK_MEM = "256MB"  # hash joins of a million-row feed stay in memory
TEMP_BUFFERS = "512MB"  # the staging table stays in memory
MAX_LOGGED_ERRORS = 10_000  # the error report kept in the log table is capped


@dataclass
class ImportResult:
    source: str
    tenant: int
    full: bool
    rows: int = 0
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    deactivated: int = 0
    errors: list[RowError] = field(default_factory=list)
    error_rows: int = 0
    log_id: int | None = None
    started_at: datetime = field(default_factory=lambda: _utcnow())
    seconds: float = 0.0
    phases: dict[str, float] = field(default_factory=dict)  # seconds: stage (COPY), merge

    def stats(self) -> dict[str, int]:
        return {
            "added": self.added, "updated": self.updated, "unchanged": self.unchanged,
            "deactivated": self.deactivated, "errors": self.error_rows,
        }  # fmt: skip

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source, "tenant": self.tenant, "full_feed": self.full,
            "rows": self.rows, **self.stats(), "log_id": self.log_id,
            "seconds": round(self.seconds, 3),
            "phases": {k: round(v, 3) for k, v in self.phases.items()}, "error_report": [e.to_dict() for e in self.errors],
        }  # fmt: skip


def import_feed(
    conn: Conn, mapping: FeedMapping, path: Path, tenant: int, *, full: bool = False
) -> ImportResult:
    """Import `path` into the mapping's table for `tenant`; returns the statistics."""
    started = time.perf_counter()
    feed = open_feed(path)
    if full and mapping.lifecycle is None:
        raise FeedRejected(f"mapping {mapping.source} declares no [lifecycle]; --full needs one")
    result = ImportResult(source=feed.name, tenant=tenant, full=full)
    with open_rows(feed, mapping.limits) as rows:
        if rows.header is None:
            raise FeedRejected(f"{feed.name}: the file is empty; nothing was imported")
        plan, rows = _plan(mapping, rows, feed.name)
        try:
            with conn.transaction():
                _run(conn, mapping, feed, plan, rows, result)
        except psycopg.Error as exc:
            diag = exc.diag
            detail = diag.message_detail or diag.message_primary or str(exc).splitlines()[0]
            raise FeedRejected(
                f"import into {mapping.table} failed, nothing changed: {detail}",
                hint=f"SQLSTATE {diag.sqlstate}" if diag.sqlstate else None,
            ) from exc
    result.seconds = time.perf_counter() - started
    return result


def check_feed(mapping: FeedMapping, path: Path) -> ImportResult:
    """Read and check `path` as an import would, without a database: the row errors and
    counts (added/updated stay 0). Limits that come from the catalog (numeric precision,
    varchar length) are not known here, so the import itself can still reject a few rows."""
    started = time.perf_counter()
    feed = open_feed(path)
    result = ImportResult(source=feed.name, tenant=0, full=False)
    with open_rows(feed, mapping.limits) as rows:
        if rows.header is None:
            raise FeedRejected(f"{feed.name}: the file is empty")
        plan, rows = _plan(mapping, rows, feed.name)
        year = date.today().year
        converter = RowConverter(plan, {}, mapping.extra_column, year)
        for _ in _copy_chunks(converter, BlockConverter(converter, plan, {}, year), rows):
            pass
    result.rows = converter.good_rows + converter.bad_rows
    result.errors, result.error_rows = converter.errors, converter.bad_rows
    result.seconds = time.perf_counter() - started
    return result


def _plan(mapping: FeedMapping, rows: Rows, source: str) -> tuple[HeaderPlan, Rows]:
    """The header's plan, its unknown columns packed into one when the file is too wide."""
    assert rows.header is not None
    plan = plan_header(mapping, rows.header, source)
    return (plan, rows) if wide.fits(plan) else wide.pack(plan, rows, mapping.extra_column, source)


def _run(
    conn: Conn, mapping: FeedMapping, feed: FeedFile, plan: HeaderPlan, rows: Rows,
    result: ImportResult,
) -> None:  # fmt: skip
    params = {"tenant": result.tenant}
    if mapping.tenant_setting:  # FORCED row-level security: act as the tenant
        conn.execute(
            "SELECT set_config(%s, %s, true)", (mapping.tenant_setting, str(result.tenant))
        )
    _tune(conn)
    lock_key = f"slipway.feed:{mapping.table}:{result.tenant}"
    conn.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", (lock_key,))
    types = _target_types(conn, mapping)
    year = date.today().year
    converter = RowConverter(plan, types, mapping.extra_column, year, keep_seen=result.full)
    blocks = BlockConverter(converter, plan, types, year)
    staged = [c.name for c in converter.staged]
    sqltypes = {n: types[n].name for n in staged}
    conn.execute(q.drop_stage())  # a view left by an earlier import on this connection
    for statement in q.create_stage(plan.width, converter.staged, sqltypes):
        conn.execute(statement)
    clock = time.perf_counter()
    with conn.cursor().copy(q.copy_stage(plan.width)) as copy:
        for chunk in ahead(_copy_chunks(converter, blocks, rows)):
            copy.write(chunk)
    result.phases["stage"] = time.perf_counter() - clock
    result.rows = converter.good_rows + converter.bad_rows
    result.errors, result.error_rows = converter.errors, converter.bad_rows
    if result.full and converter.good_rows == 0:
        raise FeedRejected(
            f"{feed.name}: a full feed without one good row would deactivate "
            "every row of the tenant; refusing (nothing changed)"
        )
    clock = time.perf_counter()
    conn.execute(q.analyze_stage([p for b in plan.identity for p in b.sources]))
    _merge(conn, mapping, plan, staged, q.text_compared(converter.staged, sqltypes), params, result)
    result.phases["merge"] = time.perf_counter() - clock
    if mapping.log:
        _log(conn, mapping, result)
    conn.execute(q.drop_stage())


def _tune(conn: Conn) -> None:
    """Memory for the merge's hash joins and for the staging table, for this transaction
    only. temp_buffers can only change before a session's first temporary table: if this
    connection already had one, keep its setting."""
    conn.execute(f"SET LOCAL work_mem = '{WORK_MEM}'")
    try:
        with conn.transaction():
            conn.execute(f"SET LOCAL temp_buffers = '{TEMP_BUFFERS}'")
    except psycopg.errors.InvalidParameterValue:
        pass


def _copy_chunks(converter: RowConverter, blocks: BlockConverter, rows: Rows) -> Iterator[str]:
    """COPY text in chunks: whole clean blocks at once, everything else row by row."""
    if rows.blocks is None:
        yield from _row_by_row(converter, rows.numbered)
        return
    for start, lines, split in rows.blocks:
        text = blocks.convert(start, lines, split, rows.delimiter)
        if text is not None:
            yield text
        else:
            yield from _row_by_row(converter, enumerate(split, start))


def ahead(chunks: Iterator[str], depth: int = 4) -> Iterator[str]:
    """Produce `chunks` in a thread while the caller sends the previous ones: checking the
    next block in Python overlaps with the network and the server's COPY (the GIL is free
    while psycopg waits on the socket)."""
    queue: Queue[object] = Queue(maxsize=depth)
    stop = Event()

    def put(item: object) -> bool:
        while not stop.is_set():
            try:
                queue.put(item, timeout=0.1)
                return True
            except Full:
                continue
        return False  # the consumer gave up

    def produce() -> None:
        try:
            for chunk in chunks:
                if not put(chunk):
                    return
            put(_DONE)
        except Exception as exc:  # noqa: BLE001 - handed to the consumer, which re-raises it
            put(exc)

    worker = Thread(target=produce, name="slipway-feed-reader", daemon=True)
    worker.start()
    try:
        while (item := queue.get()) is not _DONE:
            if isinstance(item, Exception):
                raise item
            yield item  # type: ignore[misc]
    finally:
        stop.set()
        worker.join()


_DONE = object()


def _row_by_row(converter: RowConverter, rows: Iterator[tuple[int, list[str]]]) -> Iterator[str]:
    convert = converter.convert
    batch: list[str] = []
    for line, row in rows:
        text = convert(line, row)
        if text is not None:
            batch.append(text)
            if len(batch) >= BATCH_LINES:
                yield "".join(batch)
                batch = []
    if batch:
        yield "".join(batch)


def _merge(
    conn: Conn, mapping: FeedMapping, plan: HeaderPlan, staged: list[str], texts: list[str],
    params: dict[str, Any], result: ImportResult,
) -> None:  # fmt: skip
    cur = conn.cursor()
    keys = plan.keys
    for key in keys:
        result.updated += cur.execute(
            q.update_changed(mapping, staged, key, texts), params
        ).rowcount
    for key in keys:
        result.added += cur.execute(q.insert_new(mapping, staged, key), params).rowcount
    good = result.rows - result.error_rows
    result.unchanged = good - result.added - result.updated
    if result.full:
        result.deactivated = cur.execute(q.deactivate_missing(mapping, keys), params).rowcount


def _target_types(conn: Conn, mapping: FeedMapping) -> dict[str, DbType]:
    found = {
        name: DbType(sqltype, length, precision, scale)
        for name, sqltype, length, precision, scale in conn.execute(
            q.catalog_query(), (mapping.table,)
        ).fetchall()
    }
    if not found:
        raise FeedRejected(
            f"table {mapping.table} (from {mapping.source.name}) does not exist",
            hint="apply the migrations first",
        )
    missing = [c for c in mapping.target_columns() if c not in found]
    if missing:
        raise FeedRejected(
            f"{mapping.source.name} names column(s) {', '.join(missing)} that "
            f"{mapping.table} does not have",
            hint="apply the migrations first, or fix the mapping",
        )
    return found


def _log(conn: Conn, mapping: FeedMapping, result: ImportResult) -> None:
    report = [e.to_dict() for e in result.errors[:MAX_LOGGED_ERRORS]]
    values: dict[str, Any] = {
        "tenant": result.tenant, "source_file": result.source, "full_feed": result.full,
        "error_report": Jsonb(report), **result.stats(),
    }  # fmt: skip
    values["started_at"], values["finished_at"] = result.started_at, _utcnow()
    logged = conn.execute(q.insert_log(mapping), values).fetchone()
    result.log_id = int(logged[0]) if logged else None


def _utcnow() -> datetime:
    return datetime.now(UTC)
