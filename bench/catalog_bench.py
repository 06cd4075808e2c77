"""Benchmark: catalog introspection against `pg_dump --schema-only` on a large catalog.

Builds a throwaway database with TABLES tables (default 2,000) of 8 columns each, a primary
key, a foreign key to the previous table, a check constraint, a comment and 4 more indexes
(10,000 indexes in all), then times `slipway.catalog.introspect.introspect` (best and median
of a few runs) and `pg_dump --schema-only` on it, and drops the database.

    .venv/bin/python bench/catalog_bench.py [--tables 2000] [--runs 5] [--url URL]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import time
import uuid
from dataclasses import dataclass

import psycopg
from psycopg import sql

from slipway.catalog.introspect import introspect

ADMIN_URL = os.environ.get("SLIPWAY_TEST_URL", "postgresql://postgres@127.0.0.1:5432/postgres")

BUILD = """
DO $build$
DECLARE i int;
BEGIN
  FOR i IN 1..{tables} LOOP
    EXECUTE format($t$
      CREATE TABLE t%1$s (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        parent_id bigint %2$s,
        tenant_id bigint NOT NULL,
        name text NOT NULL DEFAULT '',
        amount numeric(12, 2) CHECK (amount >= 0),
        status text,
        created_at timestamptz NOT NULL DEFAULT now(),
        payload jsonb);
      CREATE INDEX t%1$s_tenant_idx ON t%1$s (tenant_id, created_at);
      CREATE INDEX t%1$s_name_idx ON t%1$s (lower(name));
      CREATE INDEX t%1$s_status_idx ON t%1$s (status) WHERE status IS NOT NULL;
      CREATE UNIQUE INDEX t%1$s_parent_idx ON t%1$s (parent_id, id);
      COMMENT ON TABLE t%1$s IS 'table number %1$s';
    $t$, i, CASE WHEN i > 1 THEN format('REFERENCES t%s (id)', i - 1) ELSE '' END);
  END LOOP;
END $build$;
"""


def url_for(dbname: str) -> str:
    info = psycopg.conninfo.conninfo_to_dict(ADMIN_URL)
    info["dbname"] = dbname
    return psycopg.conninfo.make_conninfo(**{k: str(v) for k, v in info.items() if v is not None})


def build(url: str, tables: int) -> float:
    start = time.perf_counter()
    with psycopg.connect(url, autocommit=True) as conn:
        for first in range(0, tables, 250):  # batches keep the lock table small
            count = min(250, tables - first)
            body = BUILD.replace("1..{tables}", f"{first + 1}..{first + count}")
            conn.execute(body.encode())
        conn.execute("ANALYZE")
    return time.perf_counter() - start


def _backend_cpu(pid: int) -> float | None:
    """CPU seconds a local server process has used (None when /proc cannot tell)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def time_introspect(url: str) -> Sample:
    """One introspection on a fresh connection (cold caches, as a CLI run would be)."""
    with psycopg.connect(url, autocommit=True) as conn:
        pid = conn.info.backend_pid
        before, cpu0, start = _backend_cpu(pid), time.process_time(), time.perf_counter()
        catalog = introspect(conn)
        wall, client = time.perf_counter() - start, time.process_time() - cpu0
        after = _backend_cpu(pid)
    server = after - before if after is not None and before is not None else None
    n_indexes = sum(len(t.indexes) for t in catalog.tables)
    return Sample(wall, client, server, len(catalog.tables), n_indexes)


def time_pg_dump(url: str, dbname: str) -> Sample:
    """One `pg_dump --schema-only`, with its client and (polled) server CPU time."""
    admin = psycopg.connect(ADMIN_URL, autocommit=True)
    usage0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.Popen(
        ["pg_dump", "--schema-only", "--no-owner", url], stdout=subprocess.DEVNULL
    )
    server: float | None = None
    pid = None
    while proc.poll() is None:
        if pid is None:
            row = admin.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = %s"
                " AND application_name = 'pg_dump'",
                (dbname,),
            ).fetchone()
            pid = int(row[0]) if row else None
        if pid is not None:
            server = _backend_cpu(pid) or server
        time.sleep(0.005)
    wall = time.perf_counter() - start
    usage1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    admin.close()
    if proc.returncode:
        raise SystemExit(f"pg_dump failed with exit code {proc.returncode}")
    client = (usage1.ru_utime - usage0.ru_utime) + (usage1.ru_stime - usage0.ru_stime)
    return Sample(wall, client, server, 0, 0)


@dataclass
class Sample:
    wall: float
    client_cpu: float
    server_cpu: float | None
    tables: int
    indexes: int


def _summary(name: str, samples: list[Sample]) -> str:
    wall = statistics.median(s.wall for s in samples)
    client = statistics.median(s.client_cpu for s in samples)
    servers = [s.server_cpu for s in samples if s.server_cpu is not None]
    server = f"{statistics.median(servers):.2f} s" if servers else "n/a"
    best = min(s.wall for s in samples)
    return (
        f"{name}: wall median {wall:.2f} s (best {best:.2f} s); CPU client {client:.2f} s, "
        f"server {server}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--tables", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--database", help="use this existing database instead of building one")
    args = parser.parse_args()
    name = args.database or f"slipway_bench_catalog_{uuid.uuid4().hex[:8]}"
    if not args.database:
        with psycopg.connect(ADMIN_URL, autocommit=True) as admin:
            admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        url = url_for(name)
        if not args.database:
            print(f"built {args.tables} tables in {build(url, args.tables):.1f} s")
        intro: list[Sample] = []
        dump: list[Sample] = []
        for _ in range(args.runs):  # interleaved, so both see the same machine load
            intro.append(time_introspect(url))
            dump.append(time_pg_dump(url, name))
        print(f"catalog: {intro[0].tables} tables, {intro[0].indexes} indexes")
        print(_summary("introspect", intro))
        print(_summary("pg_dump --schema-only", dump))
        ratio = statistics.median(d.wall for d in dump) / statistics.median(i.wall for i in intro)
        print(f"pg_dump / introspect (median wall): {ratio:.1f}x")
        print(f"load average: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    finally:
        if not args.database:
            with psycopg.connect(ADMIN_URL, autocommit=True) as admin:
                admin.execute(
                    sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
                )


if __name__ == "__main__":
    main()
