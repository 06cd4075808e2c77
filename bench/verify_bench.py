"""Benchmark: `slipway verify` against the hand-rolled pg_dump round trip, in one run.

Generates the 300-migration corpus (`bench/corpus.py`, seed 7, every migration with an exact
rollback), then, side by side on the same server:

- slipway: `verify_migrations()` on a scratch database (up, snapshot, verify, down, compare,
  up again — see src/slipway/verify/roundtrip.py);
- hand-rolled (what teams write today): one psycopg connection; for each migration apply the
  up, `pg_dump --schema-only`, apply the down, `pg_dump` again and compare it with the dump
  taken before the up, then apply the up again. Scripts run the engine's way
  (`run_script`, each in its own transaction, CREATE INDEX CONCURRENTLY outside one).

Both must find every rollback exact. Bar (issue 5): slipway at least 3x faster. Writes the
`## verify` section of bench/RESULTS.md.

    .venv/bin/python bench/verify_bench.py [--count 300] [--rounds 1] [--no-write]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import psycopg
from bench_db import write_section
from psycopg import sql

from slipway.migrations.execute import run_script
from slipway.migrations.layouts import load_folder
from slipway.migrations.model import Migration
from slipway.verify.roundtrip import OK, Options, verify_migrations
from slipway.verify.scratch import scratch_database, with_dbname

ADMIN_URL = os.environ.get("SLIPWAY_TEST_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
HERE = Path(__file__).resolve().parent
BAR = 3.0


def slipway_run(migrations: list[Migration]) -> tuple[float, int]:
    """Seconds and the number of migrations not verified ok."""
    started = time.perf_counter()
    with scratch_database(ADMIN_URL, prefix="bench_verify") as scratch:
        results = verify_migrations(scratch, migrations, Options())
    bad = sum(r.verdict != OK for r in results) + len(migrations) - len(results)
    return time.perf_counter() - started, bad


def _dump(url: str) -> str:
    out = subprocess.run(
        ["pg_dump", "--schema-only", "--dbname", url], check=True, capture_output=True, text=True
    )
    # pg_dump >= 15.14 brackets its output with \restrict <random key>: not schema.
    return "\n".join(
        line
        for line in out.stdout.splitlines()
        if not line.startswith(("\\restrict", "\\unrestrict"))
    )


def handrolled_run(migrations: list[Migration]) -> tuple[float, int]:
    """The pg_dump method, timed the same way (database creation included)."""
    started = time.perf_counter()
    name = f"bench_pgdump_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(ADMIN_URL, autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {} TEMPLATE template0").format(sql.Identifier(name)))
    url = with_dbname(ADMIN_URL, name)
    bad = 0
    try:
        with psycopg.connect(url, autocommit=True) as conn:
            before = _dump(url)
            for m in migrations:
                run_script(conn, m.up)
                after_up = _dump(url)
                if m.down is not None:
                    run_script(conn, m.down)
                    bad += _dump(url) != before
                    run_script(conn, m.up)
                before = after_up
    finally:
        with psycopg.connect(ADMIN_URL, autocommit=True) as admin:
            admin.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )
    return time.perf_counter() - started, bad


def shell_run(migrations: list[Migration]) -> tuple[float, int]:
    """The same method as a shell script writes it: psql -f per script, diff(1) per dump."""
    started = time.perf_counter()
    name = f"bench_shell_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(ADMIN_URL, autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {} TEMPLATE template0").format(sql.Identifier(name)))
    url = with_dbname(ADMIN_URL, name)
    bad = 0

    def psql(path: Path) -> None:
        subprocess.run(
            ["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", url, "-f", str(path)],
            check=True,
            capture_output=True,
        )

    try:
        with tempfile.TemporaryDirectory() as tmp:
            before, after_up, after_down = (Path(tmp) / n for n in ("0.sql", "1.sql", "2.sql"))
            before.write_text(_dump(url))
            for m in migrations:
                psql(m.up.path)
                after_up.write_text(_dump(url))
                if m.down is not None:
                    psql(m.down.path)
                    after_down.write_text(_dump(url))
                    bad += (
                        subprocess.run(
                            ["diff", "-q", str(before), str(after_down)],
                            capture_output=True,
                            check=False,
                        ).returncode
                        != 0
                    )
                    psql(m.up.path)
                before.write_text(after_up.read_text())
    finally:
        with psycopg.connect(ADMIN_URL, autocommit=True) as admin:
            admin.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )
    return time.perf_counter() - started, bad


def section(
    count: int,
    rows: list[tuple[float, int, float, int]],
    load: str,
    shell: tuple[float, int] | None = None,
) -> str:
    best_s = min(r[0] for r in rows)
    best_h = min(r[2] for r in rows)
    ratio = best_h / best_s
    verdict = "PASS" if ratio >= BAR else "FAIL"
    lines = [
        "## verify",
        "",
        (
            f"Round-trip verification of a {count}-migration corpus (`bench/corpus.py`, seed 7; "
            "every migration has an exact rollback): `slipway verify` against the hand-rolled "
            "method (per migration: up, `pg_dump --schema-only`, down, `pg_dump`, diff, up again). "
            f"`python bench/verify_bench.py`; {len(rows)} round(s), best of each; "
            f"load average at start: {load}."
        ),
        "",
        "| method | seconds | rollbacks reported broken |",
        "|---|---:|---:|",
        f"| slipway verify | {best_s:.1f} | {rows[0][1]} |",
        f"| hand-rolled pg_dump diff | {best_h:.1f} | {rows[0][3]} |",
        "",
        f"Ratio: slipway is {ratio:.1f}x faster (bar: ≥ {BAR:.0f}x) — **{verdict}**. Per round "
        "(slipway / pg_dump, seconds): "
        + "; ".join(f"{r[0]:.1f} / {r[2]:.1f} = {r[2] / r[0]:.1f}x" for r in rows)
        + ".",
        "",
    ]
    if shell is not None:
        lines[-3:-3] = [
            (
                f"| the same as a shell script (`psql -f`, `diff`), 1 run | "
                f"{shell[0]:.1f} | {shell[1]} |"
            )
        ]
        lines += [
            (
                f"Against the shell-script form of the method: {shell[0] / best_s:.1f}x "
                "(context only; the verdict uses the faster in-process baseline above)."
            ),
            "",
        ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--no-write", action="store_true")
    parser.add_argument(
        "--shell",
        action="store_true",
        help="also time the method as a shell script (psql -f, diff), once",
    )
    args = parser.parse_args(argv)
    load = " ".join(f"{x:.1f}" for x in os.getloadavg())
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            [
                sys.executable,
                str(HERE / "corpus.py"),
                tmp,
                "--count",
                str(args.count),
                "--format",
                "slipway",
            ],
            check=True,
            capture_output=True,
        )
        migrations = load_folder(tmp).migrations
        rows = []
        for round_no in range(args.rounds):
            order = [slipway_run, handrolled_run]
            if round_no % 2:
                order.reverse()
            timed = {fn.__name__: fn(migrations) for fn in order}
            s, h = timed["slipway_run"], timed["handrolled_run"]
            print(
                f"round {round_no + 1}: slipway {s[0]:.1f}s ({s[1]} bad), "
                f"pg_dump {h[0]:.1f}s ({h[1]} bad)",
                flush=True,
            )
            rows.append((s[0], s[1], h[0], h[1]))
        shell = shell_run(migrations) if args.shell else None
        if shell:
            print(f"shell script: {shell[0]:.1f}s ({shell[1]} bad)", flush=True)
    text = section(len(migrations), rows, load, shell)
    print(text)
    if not args.no_write:
        write_section(HERE / "RESULTS.md", text, "## verify")
    failed = (
        any(r[1] or r[3] for r in rows)
        or bool(shell and shell[1])
        or min(r[2] for r in rows) / min(r[0] for r in rows) < BAR
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
