"""Bench: `slipway doctor --format json` on a database of 2,000 tables and 10,000 indexes.

Builds a throwaway database shaped like a big multi-tenant platform: one tenant root and 1,999
tenant tables, each with a foreign key to the root, RLS forced with a policy, a primary key and
four more indexes (10,000 indexes in all), a little data and ANALYZE; then times the whole
`slipway doctor` process (Python start-up included) a few times and records the result in
bench/RESULTS.md under "## doctor". Bar (issue 5): under 5 s.

    .venv/bin/python bench/doctor_bench.py [--admin-url URL] [--runs 3] [--keep]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path

import psycopg
from psycopg import sql

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "RESULTS.md"
TABLES = 2_000
BAR_SECONDS = 5.0


def table_ddl(i: int) -> str:
    t = f"t{i:04d}"
    return f"""
CREATE TABLE {t} (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    dealership_id bigint NOT NULL REFERENCES dealerships ON DELETE CASCADE,
    a int, b text, c timestamptz NOT NULL DEFAULT now());
CREATE INDEX {t}_dealership_idx ON {t} (dealership_id);
CREATE INDEX {t}_a_idx ON {t} (a);
CREATE INDEX {t}_b_idx ON {t} (b);
CREATE INDEX {t}_c_a_idx ON {t} (c, a);
ALTER TABLE {t} ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
CREATE POLICY {t}_tenant ON {t} USING (dealership_id =
    current_setting('app.current_dealership_id', true)::bigint);
INSERT INTO {t} (dealership_id, a, b) SELECT 1 + g % 3, g, 'row ' || g
    FROM generate_series(1, 20) g;
"""


def build(url: str) -> float:
    started = time.perf_counter()
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(
            "CREATE TABLE dealerships (id bigint GENERATED ALWAYS AS IDENTITY "
            "PRIMARY KEY, name text NOT NULL)"
        )
        conn.execute("INSERT INTO dealerships (name) VALUES ('a'), ('b'), ('c')")
        for i, cols in enumerate(("name", "name, id", "lower(name)", "id, name")):
            conn.execute(f"CREATE INDEX dealerships_{i}_idx ON dealerships ({cols})")
        batch = 100
        for start in range(1, TABLES, batch):
            script = "".join(table_ddl(i) for i in range(start, min(start + batch, TABLES)))
            with conn.transaction():
                conn.execute(script)
        conn.execute("ANALYZE")
        counts = conn.execute(
            "SELECT (SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = "
            "c.relnamespace WHERE n.nspname = 'public' AND c.relkind = 'r'), "
            "(SELECT count(*) FROM pg_indexes WHERE schemaname = 'public')"
        ).fetchone()
    assert counts == (TABLES, TABLES * 5), counts
    return time.perf_counter() - started


def time_doctor(url: str, extra: list[str]) -> tuple[float, dict[str, object]]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    started = time.perf_counter()
    result = subprocess.run(
        [
            str(ROOT / ".venv" / "bin" / "slipway"),
            "doctor",
            "--format",
            "json",
            "--fail-on",
            "never",
            "--database-url",
            url,
            *extra,
        ],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT / "bench",
        check=False,
    )
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        raise SystemExit(f"slipway doctor failed ({result.returncode}): {result.stderr}")
    return elapsed, json.loads(result.stdout)


def record(lines: list[str]) -> None:
    """Replace (or add) the '## doctor' section of bench/RESULTS.md, leaving others alone."""
    text = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else "# Benchmarks\n"
    section = "## doctor\n\n" + "\n".join(lines) + "\n"
    head, sep, rest = text.partition("## doctor\n")
    if sep:
        after = rest.find("\n## ")
        text = head + section + ("\n" + rest[after + 1 :] if after >= 0 else "")
    else:
        text = text.rstrip("\n") + "\n\n" + section
    RESULTS.write_text(text, encoding="utf-8")


Timing = tuple[str, list[float], dict[str, object]]  # label, wall times, last report


def measure(url: str, runs: int) -> list[Timing]:
    results: list[Timing] = []
    for label, extra in (("default (with CRUD validation)", []), ("--no-crud", ["--no-crud"])):
        times: list[float] = []
        report: dict[str, object] = {}
        for _ in range(runs):
            elapsed, report = time_doctor(url, extra)
            times.append(elapsed)
        print(
            f"{label}: best {min(times):.2f} s, median {statistics.median(times):.2f} s",
            file=sys.stderr,
        )
        results.append((label, times, report))
    return results


def summary(results: list[Timing], build_s: float, runs: int) -> list[str]:
    """The lines of the "## doctor" section."""
    rows = [
        f"| {label} | {min(t):.2f} | {statistics.median(t):.2f} | "
        f"{float(str(r['duration_s'])):.2f} | {len(r['checks'])} |"  # type: ignore[arg-type]
        for label, t, r in results
    ]
    best = min(min(t) for _, t, _ in results)
    worst = max(statistics.median(t) for _, t, _ in results)
    built = f"built in {build_s:.0f} s" if build_s else "built earlier"
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    setup = (
        f"`slipway doctor --format json`, whole process (Python start-up included), on a "
        f"database of {TABLES:,} tables and {TABLES * 5:,} indexes (1 tenant root, "
        f"{TABLES - 1:,} tenant tables with FK, RLS forced + policy, 5 indexes, 20 rows "
        f"each; {built}). {runs} runs each; PostgreSQL 15 on loopback; measured "
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} on {os.cpu_count()} cores "
        f"shared with other sessions (load average {load}). `bench/doctor_bench.py`."
    )
    crud = (
        "The default CRUD validation covers the first 100 tables below the tenant root and "
        "does not delete the root row when more than 200 foreign keys point at it (the "
        "first such delete in a session prepares one cascade plan per foreign key: about "
        "5 s here); `--crud-tables 0` validates everything."
    )
    verdict = (
        f"Bar: under {BAR_SECONDS:.0f} s. Result: best {best:.2f} s, worst median "
        f"{worst:.2f} s: {'met' if worst < BAR_SECONDS else 'NOT met'}."
    )
    return [
        setup,
        "",
        crud,
        "",
        "| run | best s | median s | report's own duration s | checks |",
        "|---|---|---|---|---|",
        *rows,
        "",
        verdict,
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--admin-url",
        default=os.environ.get("SLIPWAY_TEST_URL", "postgresql://postgres@127.0.0.1:5432/postgres"),
    )
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--keep", action="store_true", help="do not drop the database")
    parser.add_argument("--reuse", metavar="DBNAME", help="time an already built database")
    args = parser.parse_args()
    name = args.reuse or f"slipway_bench_doctor_{uuid.uuid4().hex[:8]}"
    info = psycopg.conninfo.conninfo_to_dict(args.admin_url)
    info["dbname"] = name
    url = psycopg.conninfo.make_conninfo(**{k: str(v) for k, v in info.items() if v})
    if not args.reuse:
        with psycopg.connect(args.admin_url, autocommit=True) as admin:
            admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        build_s = 0.0 if args.reuse else build(url)
        print(f"built {TABLES} tables / {TABLES * 5} indexes in {build_s:.1f} s", file=sys.stderr)
        record(summary(measure(url, args.runs), build_s, args.runs))
    finally:
        if not args.keep and not args.reuse:
            with psycopg.connect(args.admin_url, autocommit=True) as admin:
                admin.execute(
                    sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
                )


if __name__ == "__main__":
    main()
