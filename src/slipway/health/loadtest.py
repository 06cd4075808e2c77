"""`doctor --load N`: N concurrent clients through psycopg_pool running seed 003's CRUD mix.

Each iteration is one transaction that is rolled back: create a tenant (root row) and a row in a
few tables below it, read an existing tenant's rows, update the new rows, delete the new tenant
(cascading), ROLLBACK. We measure transaction latency, time spent waiting for a pooled
connection, retries (serialization failures, deadlocks, dropped connections) and errors.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from slipway.catalog.testrows import Unpopulatable
from slipway.db import Conn
from slipway.health.facts import Facts
from slipway.health.rows import Plan, insert_row, key_condition, make_plan
from slipway.health.tenancy import Name, child_of, children, name_of, tenant_root

if TYPE_CHECKING:
    from psycopg_pool import ConnectionPool

RETRYABLE = {"40001", "40P01"}
MAX_RETRIES = 3
MIX_TABLES = 5


@dataclass
class LoadResult:
    clients: int
    seconds: float
    mix: str
    transactions: int = 0
    errors: int = 0
    retries: int = 0
    latencies_ms: list[float] = field(default_factory=list)
    waits_ms: list[float] = field(default_factory=list)
    error_samples: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def percentile(self, values: list[float], p: float) -> float:
        if not values:
            return 0.0
        ordered = sorted(values)
        return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]

    def summary(self) -> dict[str, Any]:
        lat, wait = self.latencies_ms, self.waits_ms
        return {
            "clients": self.clients,
            "seconds": round(self.seconds, 2),
            "mix": self.mix,
            "transactions": self.transactions,
            "errors": self.errors,
            "retries": self.retries,
            "tps": round(self.transactions / self.seconds, 1) if self.seconds else 0.0,
            "p50_ms": round(self.percentile(lat, 50), 2),
            "p95_ms": round(self.percentile(lat, 95), 2),
            "p99_ms": round(self.percentile(lat, 99), 2),
            "pool_wait_p50_ms": round(self.percentile(wait, 50), 2),
            "pool_wait_p95_ms": round(self.percentile(wait, 95), 2),
            "pool_wait_max_ms": round(max(wait, default=0.0), 2),
        }


def _mix_plan(conn: Conn, facts: Facts) -> tuple[Plan | None, list[Any]]:
    """The root plus a few direct tenant tables, and some existing tenant keys to read."""
    root = tenant_root(facts)
    if root is None:
        return None, []
    root_name = name_of(root)
    links: dict[Name, str] = {
        child_of(edge): edge[1].columns[0]
        for edge in children(facts).get(root_name, [])
        if len(edge[1].columns) == 1 and child_of(edge) != root_name
    }
    plan = make_plan(conn, facts, root, list(links))
    plan.links = links
    working = _insertable(conn, plan)
    if root_name not in working:
        return None, []
    plan.order = [o for o in plan.order if o in working][: MIX_TABLES + 1]
    pk = plan.pk(root_name)
    existing: list[Any] = []
    if len(pk) == 1:
        from psycopg import sql

        existing = [
            r[0]
            for r in conn.execute(
                sql.SQL("SELECT {} FROM {} LIMIT 100").format(
                    sql.Identifier(pk[0]), sql.Identifier(root.schema, root.name)
                )
            )
        ]
    return plan, existing


def _insertable(conn: Conn, plan: Plan) -> set[Name]:
    """Tables whose test row inserts (tried once, rolled back): the mix uses those, with the
    values that worked (the generator remembers them)."""
    ok: set[Name] = set()
    with conn.transaction(force_rollback=True):
        for name in plan.order:
            try:
                insert_row(plan, name)
            except Unpopulatable:
                continue
            ok.add(name)
    plan.inserted = {}
    plan.maker.rows.clear()
    return ok


def _iteration(conn: Conn, plan: Plan | None, existing: list[Any], facts: Facts, n: int) -> None:
    """One rolled-back transaction of the CRUD mix."""
    from psycopg import sql

    with conn.transaction(force_rollback=True):
        if plan is None:
            conn.execute("SELECT count(*) FROM pg_class").fetchone()
            return
        plan.inserted = {}
        plan.maker.conn = conn
        plan.maker.rows.clear()
        for name in plan.order:
            try:
                insert_row(plan, name, retry=False)
            except Unpopulatable:
                continue
        tenant = existing[n % len(existing)] if existing else None
        for name in plan.order[1:]:
            t = plan.tables[name]
            col = sql.Identifier(plan.links[name])
            target = sql.Identifier(t.schema, t.name)
            if tenant is not None:
                conn.execute(
                    sql.SQL("SELECT * FROM {} WHERE {} = {} LIMIT 20").format(
                        target, col, sql.Literal(tenant)
                    )
                ).fetchall()
            if name in plan.inserted:
                conn.execute(
                    sql.SQL("UPDATE {} SET {c} = {c} WHERE {}").format(
                        target, key_condition(plan, name), c=col
                    )
                )
        root = plan.tables[plan.order[0]]
        if plan.order[0] in plan.inserted:
            conn.execute(
                sql.SQL("DELETE FROM {} WHERE {}").format(
                    sql.Identifier(root.schema, root.name), key_condition(plan, plan.order[0])
                )
            )


def _worker(
    pool: ConnectionPool[Conn],
    result: LoadResult,
    plan: Plan | None,
    existing: list[Any],
    facts: Facts,
    deadline: float,
) -> None:
    import copy

    import psycopg

    mine = copy.copy(plan)
    if mine is not None:  # its own generator: its own rows and run of values
        mine.maker = mine.maker.fork(mine.maker.conn)
    n = 0
    while time.perf_counter() < deadline:
        n += 1
        for attempt in range(MAX_RETRIES + 1):
            asked = time.perf_counter()
            try:
                with pool.connection() as conn:
                    got = time.perf_counter()
                    _iteration(conn, mine, existing, facts, n)
                done = time.perf_counter()
                with result.lock:
                    result.transactions += 1
                    result.waits_ms.append((got - asked) * 1000)
                    result.latencies_ms.append((done - got) * 1000)
                break
            except psycopg.Error as exc:  # PoolTimeout is an OperationalError too
                state = getattr(exc, "sqlstate", None)
                retry = (
                    state in RETRYABLE or isinstance(exc, psycopg.OperationalError)
                ) and attempt < MAX_RETRIES
                with result.lock:
                    if retry:
                        result.retries += 1
                    else:
                        result.errors += 1
                        if len(result.error_samples) < 5:
                            result.error_samples.append(f"{type(exc).__name__}: {exc}".strip())
                if not retry:
                    break


def run_load(conn: Conn, facts: Facts, clients: int, seconds: float, url: str) -> LoadResult:
    """Drive `clients` concurrent sessions for `seconds` and measure them."""
    from psycopg_pool import ConnectionPool

    plan, existing = _mix_plan(conn, facts)
    mix = (
        "insert tenant + rows below, read, update, delete tenant, rollback"
        if plan
        else "catalog read (no tenant root found)"
    )
    result = LoadResult(clients=clients, seconds=seconds, mix=mix)
    with ConnectionPool(
        url,
        min_size=clients,
        max_size=clients,
        open=True,
        timeout=30.0,
        kwargs={"autocommit": True, "application_name": "slipway-doctor-load"},
    ) as pool:
        pool.wait(timeout=30.0)
        started = time.perf_counter()
        deadline = started + seconds
        threads = [
            threading.Thread(
                target=_worker, daemon=True, args=(pool, result, plan, existing, facts, deadline)
            )
            for _ in range(clients)
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        result.seconds = time.perf_counter() - started
    return result
