"""One run at a time per database: a session-level advisory lock, taken by polling.

Polling with pg_try_advisory_lock (instead of a blocking pg_advisory_lock) matters: a waiting
`SELECT pg_advisory_lock()` holds a snapshot for as long as it waits, and CREATE INDEX
CONCURRENTLY in the lock holder's session waits for every such snapshot to go away, so the
two would wait on each other. Short polls hold no snapshot between attempts. The lock is tied
to the session, so a killed run releases it when its connection goes away.
"""

from __future__ import annotations

import contextlib
import time
import zlib
from typing import TYPE_CHECKING, Any, Self

from slipway.config import Settings
from slipway.errors import LockBusy
from slipway.sql.quote import split_qualified

if TYPE_CHECKING:
    import psycopg

__all__ = ["LOCK_CLASS", "MigrationLock", "holder", "is_locked", "lock_key"]


LOCK_CLASS = 0x534C5057 & 0x7FFFFFFF  # "SLPW"


def lock_key(conn: psycopg.Connection[Any], table: str) -> tuple[int, int]:
    """Advisory lock key pair: one lock per history table, so two projects sharing a database
    with different tables do not block each other. The key is the table's canonical
    `schema.table` (an unqualified name resolved as CREATE TABLE would: the first schema of the
    search_path), so `t` and `public.t` are one lock."""
    schema, name = split_qualified(table)
    if schema is None:
        row = conn.execute("SELECT coalesce(current_schema(), 'public')").fetchone()
        schema = str(row[0]) if row else "public"
    canonical = f"{schema}.{name}"
    return LOCK_CLASS, zlib.crc32(canonical.encode("utf-8")) & 0x7FFFFFFF


def holder(conn: psycopg.Connection[Any], table: str) -> str | None:
    """Who holds the lock: 'pid 123 (slipway, user@host, since 12:00:01)', or None."""
    classid, objid = lock_key(conn, table)
    row = conn.execute(
        """SELECT a.pid, a.application_name, a.usename, a.client_addr::text,
                  to_char(a.backend_start, 'YYYY-MM-DD HH24:MI:SS')
           FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
           WHERE l.locktype = 'advisory' AND l.granted AND l.classid = %s AND l.objid = %s
             AND l.objsubid = 2 AND l.database = (SELECT oid FROM pg_database
                                                  WHERE datname = current_database())""",
        (classid, objid),
    ).fetchone()
    if row is None:
        return None
    pid, app, user, addr, since = row
    return f"pid {pid} ({app or 'unknown application'}, user {user}, from {addr or 'local socket'}, connected {since})"


def is_locked(conn: psycopg.Connection[Any], settings: Settings) -> bool:
    """Whether some session holds the migration lock of `settings.table` now."""
    return holder(conn, settings.table) is not None


class MigrationLock:
    """Context manager holding the advisory lock on `conn` (an autocommit connection)."""

    def __init__(
        self, conn: psycopg.Connection[Any], table: str, wait: float, on_wait: Any = None
    ) -> None:
        self.conn = conn
        self.table = table
        self.wait = wait
        self.on_wait = on_wait
        self.held = False
        self.key = lock_key(conn, table)

    def try_acquire(self) -> bool:
        """Take the advisory lock if it is free; whether it is now held."""
        row = self.conn.execute("SELECT pg_try_advisory_lock(%s, %s)", self.key).fetchone()
        self.held = bool(row and row[0])
        return self.held

    def acquire(self) -> None:
        """Wait up to `wait` seconds for the lock, then raise LockBusy naming the holder."""
        deadline = time.monotonic() + self.wait
        delay = 0.05
        told = False
        while not self.try_acquire():
            if time.monotonic() >= deadline:
                who = holder(self.conn, self.table) or "another session"
                raise LockBusy(
                    f"another slipway run holds the migration lock ({who}) and did not finish "
                    f"within {self.wait:g}s",
                    hint="wait for it to finish, or raise [migrations] lock_wait",
                )
            if not told and self.on_wait is not None:
                self.on_wait(holder(self.conn, self.table))
                told = True
            time.sleep(delay)
            delay = min(delay * 2, 0.5)

    def release(self) -> None:
        """Release the lock if held (nothing to do on a closed connection)."""
        if self.held and not self.conn.closed:
            self.conn.execute("SELECT pg_advisory_unlock(%s, %s)", self.key)
        self.held = False

    def __enter__(self) -> Self:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        import psycopg

        with contextlib.suppress(psycopg.Error):  # a broken connection releases the lock itself
            self.release()
