"""Benchmark slipway's migration engine against dbmate, yoyo and a minimal psycopg loop.

    .venv/bin/python bench/engine_bench.py [--count 300] [--rounds 3] [--tools dbmate,yoyo,...]

Every timing is a whole process (interpreter or binary start included), on a fresh database
per run; tools alternate each round so drifting machine load hits all of them alike. After each
run the database's catalog is compared with the floor's, so a tool that skipped work fails
instead of looking fast. Writes the "## engine" section of bench/RESULTS.md and prints it.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import resource
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

import bench_db

ROOT = BENCH.parent
VENV_BIN = ROOT / ".venv" / "bin"
TOOLS = ("dbmate", "yoyo", "floor", "slipway", "slipway-flush-each")
LABELS = {
    "dbmate": "dbmate",
    "yoyo": "yoyo",
    "floor": "psycopg loop (floor)",
    "slipway": "slipway",
    "slipway-flush-each": "slipway, `flush_each_migration = true`",
}
# slipway's default sends every commit of a run but the last with synchronous_commit off (the
# last commit flushes them all); this project folder turns that off, to show what it is worth.
FLUSH_EACH_TOML = "[migrations]\nflush_each_migration = true\n"
NON_TRANSACTIONAL = re.compile(r"\bCONCURRENTLY\b", re.IGNORECASE)
BARS = {"up_ratio": 1.1, "status": 0.5, "help": 0.3}


@dataclass
class Timing:
    seconds: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)  # user + system seconds of the process
    error: str | None = None

    @property
    def median(self) -> float | None:
        return statistics.median(self.seconds) if self.seconds else None


def exe(name: str) -> str:
    local = VENV_BIN / name
    return str(local) if local.exists() else name


def tool_command(tool: str, url: str, dirs: dict[str, Path]) -> list[str]:
    """The command line that runs `tool up` on the whole corpus."""
    netloc_db = url.split("://", 1)[1]
    if tool == "dbmate":
        return [
            exe("dbmate"),
            "--url",
            f"postgres://{netloc_db}?sslmode=disable",
            "--migrations-dir",
            str(dirs["dbmate"]),
            "--no-dump-schema",
            "up",
        ]
    if tool == "yoyo":
        return [
            exe("yoyo"),
            "apply",
            "--batch",
            "--no-config-file",
            "--database",
            f"postgresql+psycopg://{netloc_db}",
            str(dirs["yoyo"]),
        ]
    if tool == "floor":
        return [sys.executable, str(Path(__file__).resolve()), "floor", url, str(dirs["slipway"])]
    if tool in ("slipway", "slipway-flush-each"):
        return [exe("slipway"), "up", "--database-url", url, "--migrations", str(dirs["slipway"])]
    raise ValueError(f"unknown tool {tool}")


@dataclass
class Ran:
    seconds: float  # wall clock, process start to exit
    cpu: float  # user + system CPU of the process: less sensitive to a busy machine
    proc: subprocess.CompletedProcess[str]


def _child_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(argv: list[str], cwd: Path) -> Ran:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    cpu, start = _child_cpu(), time.perf_counter()
    proc = subprocess.run(
        argv, cwd=cwd, env=env, capture_output=True, text=True, timeout=900, check=False
    )
    return Ran(time.perf_counter() - start, _child_cpu() - cpu, proc)


def failure(proc: subprocess.CompletedProcess[str]) -> str:
    text = (proc.stderr.strip() or proc.stdout.strip() or "no output").splitlines()
    return f"exit {proc.returncode}: " + " | ".join(text[-6:])


def floor(url: str, directory: Path) -> None:
    """The floor: one connection; per file BEGIN, script, history row, COMMIT.

    Non-transactional files in this corpus hold one statement each, so they run as they are.
    """
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(
            "CREATE TABLE IF NOT EXISTS floor_migrations (version text PRIMARY KEY,"
            " applied_at timestamptz NOT NULL DEFAULT now())"
        )
        done = {r[0] for r in conn.execute("SELECT version FROM floor_migrations")}
        for path in sorted(directory.glob("*.sql")):
            version = path.name.split("_", 1)[0]
            if path.name.endswith(".down.sql") or version in done:
                continue
            script = path.read_text()
            record = "INSERT INTO floor_migrations (version) VALUES (%s)"
            if NON_TRANSACTIONAL.search(script):
                conn.execute(script)
                conn.execute(record, (version,))
                continue
            with conn.transaction():
                conn.execute(script)
                conn.execute(record, (version,))


def bench_up(
    tools: list[str], dirs: dict[str, Path], rounds: int, work: Path, expected: str
) -> dict[str, Timing]:
    """`up` of the corpus, `rounds` times per tool, rotating the order each round."""
    results = {t: Timing() for t in tools}
    for r in range(rounds):
        order = tools[r % len(tools) :] + tools[: r % len(tools)]
        for tool in order:
            if results[tool].error:
                continue
            name = f"slipway_engine_bench_{tool}_{r}"
            url = bench_db.recreate_database(name)
            ran = timed(tool_command(tool, url, dirs), dirs.get(f"{tool}-cwd", work))
            if ran.proc.returncode != 0:
                results[tool].error = failure(ran.proc)
            elif (got := bench_db.fingerprint(url)) != expected:
                results[tool].error = f"catalog differs from the floor's ({got} != {expected})"
            else:
                results[tool].seconds.append(ran.seconds)
                results[tool].cpu.append(ran.cpu)
            bench_db.drop_database(name)
            print(
                f"  round {r + 1} {tool:8} {ran.seconds:7.2f}s cpu {ran.cpu:5.2f}s "
                f"{'ok' if not results[tool].error else results[tool].error}",
                flush=True,
            )
    return results


def reference_fingerprint(dirs: dict[str, Path], work: Path) -> str:
    url = bench_db.recreate_database("slipway_engine_bench_reference")
    try:
        floor(url, dirs["slipway"])
        return bench_db.fingerprint(url)
    finally:
        bench_db.drop_database("slipway_engine_bench_reference")


def repeat(argv: list[str], work: Path, times: int) -> Timing:
    timing = Timing()
    for _ in range(times):
        ran = timed(argv, work)
        if ran.proc.returncode != 0:
            timing.error = failure(ran.proc)
            break
        timing.seconds.append(ran.seconds)
        timing.cpu.append(ran.cpu)
    return timing


def bench_status(count: int, work: Path, with_dbmate: bool) -> dict[str, Timing]:
    """`status` with `count` applied tiny migrations (slipway; dbmate for context)."""
    import corpus

    steps = corpus.small(count)
    out: dict[str, Timing] = {}
    tools = ["slipway", "dbmate"] if with_dbmate else ["slipway"]
    for tool in tools:
        folder = corpus.write(steps, work / f"status_{tool}", tool)
        name = f"slipway_engine_bench_status_{tool}"
        url = bench_db.recreate_database(name)
        try:
            ran = timed(tool_command(tool, url, {tool: folder}), work)
            if ran.proc.returncode != 0:
                out[f"{tool}_up"] = Timing(error=failure(ran.proc))
                continue
            out[f"{tool}_up"] = Timing([ran.seconds], [ran.cpu])
            argv = tool_command(tool, url, {tool: folder})
            argv[argv.index("up")] = "status"
            out[tool] = repeat(argv, work, 5)
        finally:
            bench_db.drop_database(name)
    return out


def slipway_has_up() -> bool:
    try:
        proc = subprocess.run(
            [exe("slipway"), "--help"], capture_output=True, text=True, timeout=60, check=False
        )
    except OSError:
        return False
    return proc.returncode == 0 and re.search(r"^\W*up\b", proc.stdout, re.MULTILINE) is not None


def versions() -> dict[str, str]:
    from importlib import metadata

    def pkg(name: str) -> str:
        try:
            return metadata.version(name)
        except metadata.PackageNotFoundError:
            return "?"

    dbmate = subprocess.run(
        [exe("dbmate"), "--version"], capture_output=True, text=True, check=False
    )
    commit = subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    slipway = f"{pkg('slipway')} (git {commit or '?'})"
    return {
        "dbmate": dbmate.stdout.split()[-1] if dbmate.returncode == 0 else "?",
        "yoyo": pkg("yoyo-migrations"),
        "floor": f"psycopg {pkg('psycopg')}",
        "slipway": slipway,
        "slipway-flush-each": slipway,
    }


def fmt(value: float | None, unit: str = "s") -> str:
    return "—" if value is None else f"{value:.2f} {unit}".strip()


def verdict(value: float | None, limit: float) -> str:
    if value is None:
        return "not measured"
    return "PASS" if value <= limit else "FAIL"


def _tool_rows(meta: dict[str, str], up: dict[str, Timing]) -> list[str]:
    base = up.get("dbmate")
    header = (
        "| tool | version | `up` median | min | max | vs dbmate (median) | vs dbmate (min)"
        " | CPU median | runs |"
    )
    rows = [header, "|---|---|---|---|---|---|---|---|---|"]
    for tool, t in up.items():
        if t.error or not t.seconds:
            rows.append(f"| {LABELS[tool]} | {meta[tool]} | FAILED: {t.error} |||||||")
            continue
        med, base_med = t.median, base.median if base else None
        vs_med = f"{med / base_med:.2f}x" if med and base_med else "—"
        vs_min = f"{min(t.seconds) / min(base.seconds):.2f}x" if base and base.seconds else "—"
        rows.append(
            f"| {LABELS[tool]} | {meta[tool]} | {fmt(t.median)} | "
            f"{fmt(min(t.seconds))} | {fmt(max(t.seconds))} | {vs_med} | {vs_min} | "
            f"{fmt(statistics.median(t.cpu))} | {len(t.seconds)} |"
        )
    return rows


def render(
    meta: dict[str, str], up: dict[str, Timing], status: dict[str, Timing], help_: Timing | None
) -> str:
    base = up["dbmate"].median if "dbmate" in up else None
    lines = ["## engine", "", meta["intro"], "", *_tool_rows(meta, up)]
    slip = up.get("slipway")
    ratio = slip.median / base if slip and slip.median and base else None
    st = status.get("slipway")
    bars = [
        ("slipway `up` / dbmate `up`", ratio, "x", f"≤ {BARS['up_ratio']}x", BARS["up_ratio"]),
        (
            f"slipway `status`, {meta['status_count']} applied",
            st.median if st else None,
            "s",
            f"< {BARS['status']} s",
            BARS["status"],
        ),
        (
            "`slipway --help`",
            help_.median if help_ else None,
            "s",
            f"< {BARS['help']} s",
            BARS["help"],
        ),
    ]
    lines += ["", "| bar | measured | limit | verdict |", "|---|---|---|---|"]
    lines += [
        f"| {name} | {fmt(value, unit)} | {limit} | {verdict(value, bound)} |"
        for name, value, unit, limit, bound in bars
    ]
    lines.append("")
    lines += [f"- {k}: {v}" for k, v in _context(status, help_).items()]
    lines += _per_round(up)
    lines += ["", "Reproduce: `.venv/bin/python bench/engine_bench.py` (see bench/README.md).", ""]
    return "\n".join(lines)


def _context(status: dict[str, Timing], help_: Timing | None) -> dict[str, str]:
    notes: dict[str, str] = {}
    for key, label in (
        ("slipway_up", "slipway `up` of the small status corpus"),
        ("dbmate_up", "dbmate `up` of the small status corpus"),
        ("dbmate", "dbmate `status` with the same history (median of 5)"),
        ("slipway", "slipway `status` runs"),
    ):
        t = status.get(key)
        if t is not None:
            notes[label] = t.error or ", ".join(f"{s:.2f}" for s in t.seconds) + " s"
    if help_ is not None:
        notes["`slipway --help` runs"] = (
            help_.error or ", ".join(f"{s:.3f}" for s in help_.seconds) + " s"
        )
    return notes


def _per_round(up: dict[str, Timing]) -> list[str]:
    """Raw `up` times per round, and slipway/dbmate within each round (runs seconds apart,
    so a drifting machine load cancels out)."""
    lines = [
        f"- `up` per round, {LABELS[t]}: " + ", ".join(f"{s:.2f}" for s in v.seconds) + " s"
        for t, v in up.items()
        if v.seconds
    ]
    base = up.get("dbmate")
    for tool in ("slipway", "slipway-flush-each"):
        mine = up.get(tool)
        if base and mine and len(base.seconds) == len(mine.seconds) and mine.seconds:
            ratios = [m / b for m, b in zip(mine.seconds, base.seconds, strict=True)]
            lines.append(
                f"- {LABELS[tool]} / dbmate per round: "
                + ", ".join(f"{r:.2f}" for r in ratios)
                + f" (median {statistics.median(ratios):.2f}x)"
            )
    return lines


def intro(args: argparse.Namespace, steps: int, non_tx: int) -> str:
    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    return (
        f"Measured {now} on {platform.machine()} Linux, nproc {os.cpu_count()}, "
        f"load average {load} at start (the machine is shared, so expect noise), "
        f"PostgreSQL {bench_db.server_version()} on 127.0.0.1, Python "
        f"{platform.python_version()}. Corpus: `bench/corpus.py` seed {args.seed}, "
        f"{steps} migrations ({non_tx} non-transactional CREATE INDEX CONCURRENTLY). "
        f"Wall time of the whole process, fresh database per run, {args.rounds} rounds "
        "with the tool order rotated each round; every run's catalog is checked "
        "against the floor's."
    )


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=300, help="migrations in the corpus")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--tools", default=",".join(TOOLS))
    parser.add_argument("--status-count", type=int, default=1000)
    parser.add_argument("--results", type=Path, default=BENCH / "RESULTS.md")
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args(argv)
    args.tools = [t for t in args.tools.split(",") if t]
    if unknown := set(args.tools) - set(TOOLS):
        parser.error(f"unknown tools: {', '.join(sorted(unknown))}")
    return args


def main(argv: list[str] | None = None) -> int:
    if argv is None and sys.argv[1:2] == ["floor"]:
        floor(sys.argv[2], Path(sys.argv[3]))
        return 0
    import corpus

    args = parse_args(argv)
    if "slipway" in args.tools and not slipway_has_up():
        print("slipway has no `up` command yet: benchmarking the others only", file=sys.stderr)
        args.tools.remove("slipway")
    steps = corpus.generate(args.count, args.seed)
    with tempfile.TemporaryDirectory(prefix="slipway-bench-") as tmp:
        work = Path(tmp)
        dirs = {f: corpus.write(steps, work / f, f) for f in corpus.FORMATS}
        dirs["slipway-flush-each-cwd"] = work / "flush-each"
        dirs["slipway-flush-each-cwd"].mkdir()
        (dirs["slipway-flush-each-cwd"] / "slipway.toml").write_text(FLUSH_EACH_TOML)
        expected = reference_fingerprint(dirs, work)
        up = bench_up(args.tools, dirs, args.rounds, work, expected)
        status: dict[str, Timing] = {}
        help_ = None
        if "slipway" in args.tools:
            status = bench_status(args.status_count, work, "dbmate" in args.tools)
            help_ = repeat([exe("slipway"), "--help"], work, 5)
    meta = {
        **versions(),
        "intro": intro(args, len(steps), sum(not s.transactional for s in steps)),
        "status_count": f"{args.status_count:,}",
    }
    section = render(meta, up, status, help_)
    print(section)
    if not args.no_write:
        bench_db.write_section(args.results, section, "## engine")
    return 0 if all(t.error is None for t in up.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
