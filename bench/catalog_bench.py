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
import statistics
import subprocess
import time
import uuid

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


def time_introspect(url: str, runs: int) -> tuple[list[float], int, int]:
    times: list[float] = []
    with psycopg.connect(url, autocommit=True) as conn:
        for _ in range(runs):
            start = time.perf_counter()
            catalog = introspect(conn)
            times.append(time.perf_counter() - start)
    n_indexes = sum(len(t.indexes) for t in catalog.tables)
    return times, len(catalog.tables), n_indexes


def time_pg_dump(url: str, runs: int) -> list[float]:
    times: list[float] = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(
            ["pg_dump", "--schema-only", "--no-owner", url],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        times.append(time.perf_counter() - start)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tables", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    name = f"slipway_bench_catalog_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(ADMIN_URL, autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        url = url_for(name)
        print(f"built {args.tables} tables in {build(url, args.tables):.1f} s")
        intro, n_tables, n_indexes = time_introspect(url, args.runs)
        dump = time_pg_dump(url, max(1, args.runs // 2))
        print(f"catalog: {n_tables} tables, {n_indexes} indexes")
        print(
            f"introspect: best {min(intro):.3f} s, median {statistics.median(intro):.3f} s "
            f"(first {intro[0]:.3f} s)"
        )
        print(
            f"pg_dump --schema-only: best {min(dump):.3f} s, median {statistics.median(dump):.3f} s"
        )
        print(
            f"ratio (pg_dump / introspect, medians): {statistics.median(dump) / statistics.median(intro):.1f}x"
        )
    finally:
        with psycopg.connect(ADMIN_URL, autocommit=True) as admin:
            admin.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


if __name__ == "__main__":
    main()
