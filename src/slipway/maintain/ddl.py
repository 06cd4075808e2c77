"""DDL under lock_timeout with bounded retry, and the maintenance connection.

A maintenance statement that waits for a lock also blocks every query queued behind it, so
each attempt gives up after `lock_timeout` and is retried a bounded number of times with
backoff, instead of waiting forever.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from typing import TypeVar

from psycopg import errors as pgerrors

from slipway.config import Settings
from slipway.errors import LockBusy, Refused

T = TypeVar("T")
from slipway.db import Conn

RETRYABLE = (pgerrors.LockNotAvailable, pgerrors.DeadlockDetected)


def connect(settings: Settings) -> Conn:
    """An autocommit connection (cleanup commits per batch; DETACH CONCURRENTLY needs it)."""
    from slipway.db import connect as db_connect

    conn = db_connect(settings, autocommit=True)
    conn.execute("SET datestyle = 'ISO, YMD'")
    return conn


def with_lock_retry(
    conn: Conn,
    work: Callable[[], T],
    *,
    lock_timeout: float,
    retries: int,
    transactional: bool = True,
    what: str = "maintenance DDL",
) -> T:
    """Run `work` with lock_timeout set; retry lock timeouts and deadlocks `retries` times."""
    ms = max(1, int(lock_timeout * 1000))
    for attempt in range(retries + 1):
        try:
            if transactional:
                with conn.transaction():
                    conn.execute(f"SET LOCAL lock_timeout = {ms}")
                    return work()
            conn.execute(f"SET lock_timeout = {ms}")
            try:
                return work()
            finally:
                if not conn.broken:
                    conn.execute("RESET lock_timeout")
        except RETRYABLE:
            if attempt == retries:
                break
            time.sleep(min(5.0, 0.2 * 2**attempt) * (0.5 + random.random()))
    raise LockBusy(
        f"{what}: could not get its lock within {lock_timeout:g}s after {retries + 1} tries;"
        " retry when the table is less busy or raise [maintain] lock_timeout"
    )


_RLS_SQL = """
SELECT r.rolname
FROM pg_class c, pg_roles r
WHERE c.oid = to_regclass(%s) AND r.rolname = current_user
  AND c.relrowsecurity AND (c.relforcerowsecurity OR c.relowner <> r.oid)
  AND NOT (r.rolsuper OR r.rolbypassrls)
"""


def check_rls_visible(conn: Conn, table: str, doing: str) -> None:
    """Refuse when row level security would hide rows from this role (a silent partial job)."""
    row = conn.execute(_RLS_SQL, (table,)).fetchone()
    if row is not None:
        raise Refused(
            f"{table}: row level security hides rows from role {row[0]}, so {doing} would see"
            " only some of them; run maintenance as a role with BYPASSRLS (or a superuser)"
        )
