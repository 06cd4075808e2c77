"""Lint with squawk and slipway side by side, whole process, on three cases in one run.

    .venv/bin/pip install squawk-cli          # bench-only tool
    .venv/bin/python bench/lint_bench.py [--count 285] [--rounds 9] [--no-write]

The cases (all generated into a temporary folder, nothing committed) and their bars (issue 12):

- 570 files: bench/corpus.py's deterministic corpus (`--count` migrations, each an up and a
  down file). Bars: slipway-cold at most 3x squawk, slipway-cached (result cache warm) at
  most 1x.
- 5,700 files: the same corpus ten times over, in ten folders (ten distinct migration sets,
  all named on one command line). Bar: slipway-cold at most 1.5x squawk.
- 40,000 statements in one file: `CREATE TABLE IF NOT EXISTS t_N (id bigint PRIMARY KEY);`,
  every 100th a `CREATE INDEX CONCURRENTLY IF NOT EXISTS` (almost no findings). Bar:
  slipway-cold at most 2x squawk.

Per case, in every round and in a rotated order:

- squawk: `squawk --reporter gcc FILE...` (every .sql file, named explicitly)
- slipway-cold: `slipway lint --no-cache PATH...` (the real entry point)
- slipway-cached: `slipway lint PATH...` (the same, its result cache warm: files unchanged)
- core-cold / core-cached: `python -m slipway.lint [--no-cache] PATH...` (570 files only)
- python-start: `python -c pass` (the same interpreter starting and stopping, nothing else)
- parse-floor: `python bench/lint_parse_floor.py PATH...` (start Python, read and parse every
  file with libpg_query; no rules): what any Python linter on PostgreSQL's own parser pays

Output goes to /dev/null; bytecode caching is allowed (as on a user's machine) and slipway is
byte-compiled first. One warm-up run each is not counted. Wall time is the measure (the bars
are on the median); CPU time (user + sys, children included) is shown too, since it is less
disturbed by a busy machine. Writes the `## lint` section of bench/RESULTS.md (other sections
are left alone; its hand-written `### Notes` are kept) and prints it.
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
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
from bench_db import write_section

from slipway.lint.rule import all_rules

VENV_BIN = Path(sys.executable).parent
# Some shells export PYTHONDONTWRITEBYTECODE=1, which would recompile slipway on every run.
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
Runs = dict[str, list[tuple[float, float]]]  # tool -> [(wall, cpu)]
BIG_STATEMENTS = 40_000
NOTES = "### Notes"  # a hand-written subsection the rerun keeps


@dataclass
class Case:
    """One corpus, the commands timed on it and the bars (tool -> at most this x squawk)."""

    title: str
    paths: list[Path]
    rounds: int
    bars: dict[str, float]
    tools: tuple[str, ...]
    runs: Runs = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)
    file_count: int = 0  # measured while the files exist

    @property
    def files(self) -> list[str]:
        found = [
            sorted(str(f) for f in p.rglob("*.sql")) if p.is_dir() else [str(p)] for p in self.paths
        ]
        return [f for group in found for f in group]


def big_file(folder: Path, statements: int = BIG_STATEMENTS) -> Path:
    """One file of `statements` robust statements (issue 12's 40,000-statement case)."""
    lines = [
        f"CREATE INDEX CONCURRENTLY IF NOT EXISTS i_{n} ON t_{n - 99} (id);"
        if n % 100 == 99
        else f"CREATE TABLE IF NOT EXISTS t_{n} (id bigint PRIMARY KEY);"
        for n in range(statements)
    ]
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "big_robust.sql"
    path.write_text("\n".join(lines) + "\n")
    return path


def commands(case: Case) -> dict[str, list[str]]:
    paths = [str(p) for p in case.paths]
    squawk = shutil.which("squawk", path=str(VENV_BIN)) or shutil.which("squawk")
    slipway = shutil.which("slipway", path=str(VENV_BIN)) or "slipway"
    core = [sys.executable, "-m", "slipway.lint", *paths]
    every = {
        "slipway-cold": [slipway, "lint", "--no-cache", *paths],
        "slipway-cached": [slipway, "lint", *paths],
        "core-cold": [*core, "--no-cache"],
        "core-cached": core,
        "python-start": [sys.executable, "-c", "pass"],
        "parse-floor": [sys.executable, str(BENCH / "lint_parse_floor.py"), *paths],
    }
    out = {name: argv for name, argv in every.items() if name in case.tools}
    if squawk:
        out["squawk"] = [squawk, "--reporter", "gcc", *case.files]
    return out


def timed(argv: list[str]) -> tuple[float, float]:
    """(wall seconds, CPU seconds user + sys) of one whole run of `argv`."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False, env=ENV)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def compile_slipway() -> None:
    import slipway

    src = Path(slipway.__file__ or ".").parent
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", str(src)],
        env=ENV,
        stdout=subprocess.DEVNULL,
        check=False,
    )


def measure(cmds: dict[str, list[str]], rounds: int) -> Runs:
    names = list(cmds)
    for name in names:  # warm-up: page cache, bytecode, the result cache
        timed(cmds[name])
    runs: Runs = {n: [] for n in names}
    for r in range(rounds):
        for name in names[r % len(names) :] + names[: r % len(names)]:
            runs[name].append(timed(cmds[name]))
    return runs


def finding_counts(cmds: dict[str, list[str]]) -> dict[str, int]:
    argv = [*cmds["slipway-cold"], "--format", "json"]
    proc = subprocess.run(argv, capture_output=True, text=True, check=False, env=ENV)
    counts = {"slipway-cold": len(json.loads(proc.stdout or '{"findings": []}')["findings"])}
    if "squawk" in cmds:
        argv = [cmds["squawk"][0], "--reporter", "json", *cmds["squawk"][3:]]
        proc = subprocess.run(argv, capture_output=True, text=True, check=False)
        try:
            counts["squawk"] = len(json.loads(proc.stdout or "[]"))
        except json.JSONDecodeError:
            counts["squawk"] = -1
    return counts


def squawk_version() -> str:
    squawk = shutil.which("squawk", path=str(VENV_BIN)) or shutil.which("squawk")
    if not squawk:
        return "squawk not installed"
    proc = subprocess.run([squawk, "--version"], capture_output=True, text=True, check=False)
    return proc.stdout.strip()


def _median(runs: list[tuple[float, float]], index: int) -> float:
    return statistics.median(r[index] for r in runs)


def render_case(case: Case) -> list[str]:
    runs = case.runs
    lines = [
        f"### {case.title}",
        "",
        "| tool | median wall s | min wall s | median CPU s | runs | findings |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, r in runs.items():
        found = case.counts.get(name, "")
        lines.append(
            f"| {name} | {_median(r, 0):.3f} | {min(x[0] for x in r):.3f} | "
            f"{_median(r, 1):.3f} | {len(r)} | {found} |"
        )
    lines.append("")
    if "squawk" not in runs:
        return [*lines, "- squawk is not installed (`pip install squawk-cli`): no ratio", ""]
    squawk = _median(runs["squawk"], 0)
    for name in (n for n in runs if n.startswith(("slipway", "core"))):
        wall = _median(runs[name], 0) / squawk
        cpu = _median(runs[name], 1) / _median(runs["squawk"], 1)
        bar = case.bars.get(name)
        verdict = f" (bar {bar:g}x: **{'PASS' if wall <= bar else 'FAIL'}**)" if bar else ""
        lines.append(f"- {name} / squawk: wall **{wall:.2f}x**{verdict}, CPU {cpu:.2f}x")
    if "python-start" in runs and "parse-floor" in runs:
        start, floor = _median(runs["python-start"], 0), _median(runs["parse-floor"], 0)
        lines.append(
            f"- Floors: Python start-up alone is {start / squawk:.2f}x squawk's whole run; "
            f"start-up plus reading and parsing the files with libpg_query (no rules, one "
            f"core) is {floor / squawk:.2f}x. slipway-cold spends "
            f"{_median(runs['slipway-cold'], 0) - floor:+.3f} s beyond that floor on imports, "
            f"the catalog replay, {len(all_rules())} rules and printing."
        )
    lines.append(
        f"- {case.file_count} files. Raw wall times (s): "
        + "; ".join(f"{n} " + ", ".join(f"{x[0]:.3f}" for x in r) for n, r in runs.items())
    )
    return [*lines, ""]


def cases(tmp: Path, count: int, seed: int, rounds: int) -> list[Case]:
    import corpus

    steps = corpus.generate(count, seed)
    small = corpus.write(steps, tmp / "c1", "slipway")
    copies = [corpus.write(steps, tmp / "c10" / f"copy{i:02d}", "slipway") for i in range(10)]
    every = ("slipway-cold", "slipway-cached", "core-cold", "core-cached", "python-start")
    cold = ("slipway-cold", "slipway-cached", "parse-floor")
    return [
        Case(
            f"{2 * count} files",
            [small],
            rounds,
            {"slipway-cold": 3, "slipway-cached": 1},
            (*every, "parse-floor"),
        ),
        Case(
            f"{20 * count} files (the corpus ten times, ten folders)",
            copies,
            max(3, rounds // 2),
            {"slipway-cold": 1.5},
            cold,
        ),
        Case(
            f"one file of {BIG_STATEMENTS:,} statements",
            [big_file(tmp / "big")],
            max(3, rounds // 3),
            {"slipway-cold": 2},
            ("slipway-cold", "parse-floor"),
        ),
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--count", type=int, default=285, help="migrations (2 files each)")
    parser.add_argument("--rounds", type=int, default=9)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--results", type=Path, default=BENCH / "RESULTS.md")
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args(argv)
    compile_slipway()
    with tempfile.TemporaryDirectory(prefix="slipway-lint-bench-") as tmp:
        todo = cases(Path(tmp), args.count, args.seed, args.rounds)
        for case in todo:
            cmds = commands(case)
            case.runs = measure(cmds, case.rounds)
            case.counts = finding_counts(cmds)
            case.file_count = len(case.files)
    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    meta = (
        f"Measured {now} on {platform.machine()} Linux, nproc {os.cpu_count()}, load "
        f"average {load}; {squawk_version()}; corpus: bench/corpus.py --count "
        f"{args.count} --seed {args.seed} (slipway layout, up + down files). Whole-process "
        "runs, output to /dev/null, order rotated every round; the bars are issue 12's, on "
        "the median wall time."
    )
    lines = ["## lint", "", meta, ""]
    for case in todo:
        lines.extend(render_case(case))
    section = "\n".join(lines) + _notes(args.results)
    print(section)
    if not args.no_write:
        write_section(args.results, section, "## lint")


def _notes(results: Path) -> str:
    """The `### Notes` written by hand at the end of the old section, kept across reruns."""
    text = results.read_text() if results.exists() else ""
    start = text.find("\n## lint\n")
    if start < 0:
        return ""
    end = text.find("\n## ", start + 1)
    old = text[start : end if end >= 0 else len(text)]
    at = old.find(NOTES)
    return "\n" + old[at:].strip() + "\n" if at >= 0 else ""
    return 0


if __name__ == "__main__":
    sys.exit(main())
