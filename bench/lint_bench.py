"""Lint the same ~570 migration files with squawk and slipway, side by side, whole process.

    .venv/bin/pip install squawk-cli          # bench-only tool
    .venv/bin/python bench/lint_bench.py [--count 285] [--rounds 9] [--no-write]

Generates the deterministic corpus of bench/corpus.py (`--count` migrations, each an up and a
down file: 570 files by default) and times, in every round and in a rotated order:

- squawk:  `squawk --reporter gcc FILE...` (every .sql file, named explicitly)
- slipway-cold: `slipway lint --no-cache DIR` (the real entry point, typer shell included)
- slipway-cached: `slipway lint DIR` (the same, its result cache warm: files unchanged)
- core-cold / core-cached: `python -m slipway.lint [--no-cache] DIR` (no typer shell)
- python-start: `python -c pass` (the same interpreter starting and stopping, nothing else)
- parse-floor: `python bench/lint_parse_floor.py DIR` (start Python, read and parse every file
  with libpg_query; no rules): what any Python linter on PostgreSQL's own parser pays at least

Output goes to /dev/null for all three; bytecode caching is allowed (as on a user's machine)
and slipway is byte-compiled first. One warm-up run each is not counted. Wall time is the
measure; CPU time (user + sys) is shown too, since it is less disturbed by a busy machine.
The bar (issue 4): slipway's median wall time at most 1.5x squawk's; squawk has no cache,
so the cold runs are the like-for-like comparison. Writes the
`## lint` section of bench/RESULTS.md (other sections are left alone) and prints it.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
from bench_db import write_section

from slipway.lint.rule import all_rules

VENV_BIN = Path(sys.executable).parent
BAR = 1.5
# Some shells export PYTHONDONTWRITEBYTECODE=1, which would recompile slipway on every run.
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
Runs = dict[str, list[tuple[float, float]]]  # tool -> [(wall, cpu)]


def commands(folder: Path) -> dict[str, list[str]]:
    files = sorted(str(p) for p in folder.glob("*.sql"))
    squawk = shutil.which("squawk", path=str(VENV_BIN)) or shutil.which("squawk")
    slipway = shutil.which("slipway", path=str(VENV_BIN)) or "slipway"
    core = [sys.executable, "-m", "slipway.lint", str(folder)]
    out = {
        "slipway-cold": [slipway, "lint", "--no-cache", str(folder)],
        "slipway-cached": [slipway, "lint", str(folder)],
        "core-cold": [*core, "--no-cache"],
        "core-cached": core,
        "python-start": [sys.executable, "-c", "pass"],
        "parse-floor": [sys.executable, str(BENCH / "lint_parse_floor.py"), str(folder)],
    }
    if squawk:
        out["squawk"] = [squawk, "--reporter", "gcc", *files]
    return out


def timed(argv: list[str]) -> tuple[float, float]:
    """(wall seconds, CPU seconds user + sys) of one whole run of `argv`."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False, env=ENV)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def measure(cmds: dict[str, list[str]], rounds: int) -> Runs:
    import slipway

    src = Path(slipway.__file__ or ".").parent
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", str(src)],
        env=ENV,
        stdout=subprocess.DEVNULL,
        check=False,
    )
    names = list(cmds)
    for name in names:  # warm-up: page cache, bytecode
        timed(cmds[name])
    runs: Runs = {n: [] for n in names}
    for r in range(rounds):
        for name in names[r % len(names) :] + names[: r % len(names)]:
            runs[name].append(timed(cmds[name]))
    return runs


def finding_counts(cmds: dict[str, list[str]]) -> dict[str, int]:
    proc = subprocess.run(
        [*cmds["core-cold"], "--format", "json"],
        capture_output=True,
        text=True,
        check=False,
        env=ENV,
    )
    counts = {"slipway-cold": len(json.loads(proc.stdout or '{"findings": []}')["findings"])}
    if "squawk" in cmds:
        argv = [cmds["squawk"][0], "--reporter", "json", *cmds["squawk"][3:]]
        proc = subprocess.run(argv, capture_output=True, text=True, check=False)
        try:
            counts["squawk"] = len(json.loads(proc.stdout or "[]"))
        except json.JSONDecodeError:
            counts["squawk"] = -1
    return counts


def squawk_version(cmds: dict[str, list[str]]) -> str:
    if "squawk" not in cmds:
        return "squawk not installed"
    proc = subprocess.run(
        [cmds["squawk"][0], "--version"], capture_output=True, text=True, check=False
    )
    return proc.stdout.strip()


def _median(runs: list[tuple[float, float]], index: int) -> float:
    return statistics.median(r[index] for r in runs)


def render(runs: Runs, files: int, counts: dict[str, int], meta: str) -> str:
    lines = [
        "## lint",
        "",
        meta,
        "",
        "| tool | median wall s | min wall s | median CPU s | runs | findings |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, r in runs.items():
        found = counts.get(name, "")
        lines.append(
            f"| {name} | {_median(r, 0):.3f} | {min(x[0] for x in r):.3f} | "
            f"{_median(r, 1):.3f} | {len(r)} | {found} |"
        )
    lines.append("")
    if "squawk" in runs:
        for name in ("slipway-cold", "slipway-cached", "core-cold", "core-cached"):
            wall = _median(runs[name], 0) / _median(runs["squawk"], 0)
            cpu = _median(runs[name], 1) / _median(runs["squawk"], 1)
            verdict = "PASS" if wall <= BAR else "FAIL"
            lines.append(
                f"- {name} / squawk: wall **{wall:.2f}x** (bar {BAR}x: {verdict}), CPU {cpu:.2f}x"
            )
        shell = _median(runs["slipway-cold"], 1) - _median(runs["core-cold"], 1)
        lines.append(
            f"- The CLI shell (typer, building only the lint command) costs {shell:.3f} s CPU "
            "per run: slipway-cold minus core-cold. The rest is Python start-up, imports, "
            "reading and parsing 570 files and running the rules."
        )
        squawk = _median(runs["squawk"], 0)
        start, floor = _median(runs["python-start"], 0), _median(runs["parse-floor"], 0)
        lines.append(
            f"- Floors: Python start-up alone is {start / squawk:.2f}x squawk's whole run; "
            f"start-up plus parsing the files with libpg_query (no rules) is "
            f"{floor / squawk:.2f}x ({'above' if floor / squawk > BAR else 'within'} the "
            f"{BAR}x bar). slipway-cold spends {_median(runs['slipway-cold'], 0) - floor:.3f} s "
            f"beyond that floor on imports, the CLI, the catalog replay and {len(all_rules())}"
            " rules."
        )
    else:
        lines.append("- squawk is not installed (`pip install squawk-cli`): no ratio")
    lines.append(
        f"- {files} files. Raw wall times (s): "
        + "; ".join(f"{n} " + ", ".join(f"{x[0]:.3f}" for x in r) for n, r in runs.items())
    )
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--count", type=int, default=285, help="migrations (2 files each)")
    parser.add_argument("--rounds", type=int, default=9)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--results", type=Path, default=BENCH / "RESULTS.md")
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args(argv)
    import corpus

    with tempfile.TemporaryDirectory(prefix="slipway-lint-bench-") as tmp:
        folder = corpus.write(corpus.generate(args.count, args.seed), Path(tmp), "slipway")
        files = len(list(folder.glob("*.sql")))
        cmds = commands(folder)
        runs = measure(cmds, args.rounds)
        counts = finding_counts(cmds)
    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    meta = (
        f"Measured {now} on {platform.machine()} Linux, nproc {os.cpu_count()}, load "
        f"average {load}; {squawk_version(cmds)}; corpus: bench/corpus.py --count "
        f"{args.count} --seed {args.seed} (slipway layout, up + down files). Whole-process "
        "runs, output to /dev/null, order rotated every round."
    )
    section = render(runs, files, counts, meta)
    print(section)
    if not args.no_write:
        write_section(args.results, section, "## lint")
    return 0


if __name__ == "__main__":
    sys.exit(main())
