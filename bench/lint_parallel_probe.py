"""Does a second core help slipway lint? The best case, measured: parse half the scripts in a
forked child while the parent parses the other half, and ship the child's statements back with
marshal (faster than pickle or JSON); the rules and the replay stay serial (each statement sees
the schema its predecessors built, so they cannot be split without changing findings).

    python bench/lint_parallel_probe.py [--count 285] [--copies 10] [--rounds 5]

Prints the serial and the parallel time of the parse phase (median of the rounds) and checks
that both give the same statements in the same order. Issue 12 asked whether both cores help
on many files; this is the evidence (bench/RESULTS.md, ## lint).
"""

from __future__ import annotations

import argparse
import gc
import marshal
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from slipway.lint.sources import select
from slipway.migrations.model import Script
from slipway.sql.script import Statement, parse_sql

Row = tuple[str, object, int, int, int, int, int, int]


def _rows(statements: list[Statement]) -> list[Row]:
    return [
        (s.kind, s.node, s.index, s.line, s.column, s.start, s.end, s.span_start)
        for s in statements
    ]


def serial(scripts: list[Script]) -> list[list[Statement]]:
    """The statements of every script, as the engine gets them today."""
    return [parse_sql(s.sql, s.line_offset).statements for s in scripts]


def forked(scripts: list[Script]) -> list[list[Statement]]:
    """The same, the second half parsed by a forked child and sent back marshalled."""
    half = len(scripts) // 2
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read)
        with os.fdopen(write, "wb") as out:
            out.write(marshal.dumps([_rows(stmts) for stmts in serial(scripts[half:])]))
        os._exit(0)
    os.close(write)
    first = serial(scripts[:half])
    with os.fdopen(read, "rb") as handle:
        second = marshal.loads(handle.read())
    os.waitpid(pid, 0)
    return first + [[Statement(*row) for row in rows] for rows in second]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--count", type=int, default=285)
    parser.add_argument("--copies", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args(argv)
    import corpus

    gc.disable()  # as slipway lint runs
    steps = corpus.generate(args.count, 7)
    with tempfile.TemporaryDirectory(prefix="slipway-lint-probe-") as tmp:
        folders = [corpus.write(steps, Path(tmp) / f"c{i}", "slipway") for i in range(args.copies)]
        migrations, _ = select(folders)
    scripts = [s for m in migrations for s in (m.up, m.down, m.verify) if s is not None]
    times: dict[str, list[float]] = {"serial": [], "forked": []}
    results = {}
    for _ in range(args.rounds):
        for name, fn in (("serial", serial), ("forked", forked)):
            results.pop(name, None)  # fork with the heap a real run has, not earlier rounds'
            start = time.perf_counter()
            results[name] = fn(scripts)
            times[name].append(time.perf_counter() - start)
    same = [_rows(x) for x in results["serial"]] == [_rows(x) for x in results["forked"]]
    assert same, "the parallel parse changed the statements"
    med = {name: statistics.median(t) for name, t in times.items()}
    print(
        f"{len(scripts)} scripts on {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}: "
        f"parse serial {med['serial']:.3f} s, forked {med['forked']:.3f} s "
        f"({med['forked'] / med['serial']:.2f}x); same statements in the same order"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
