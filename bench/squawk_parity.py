"""slipway lint and squawk on the same migration folders: per-rule counts and, for the rules
both have, every statement only one of them flags.

    .venv/bin/python bench/squawk_parity.py FOLDER...            # prints the comparison
    .venv/bin/python bench/squawk_parity.py --write FOLDER...    # and writes RESULTS.md

Both tools see the up scripts only (slipway's statement rules check up scripts; squawk has no
notion of a down script): slipway lints the whole folder as `slipway lint --no-cache -f json`
does, and its findings outside the up scripts are left out; squawk (`squawk --reporter json`)
gets each up script as its own file, lines kept where they are in the real file (a dbmate
file's down section is blanked), with `--assume-in-transaction` for the scripts slipway runs
in a transaction of its own and without it for the others (a file with its own BEGIN/COMMIT,
CREATE INDEX CONCURRENTLY), so both judge a script as it would run. A finding belongs to the statement whose lines hold it, so two findings
on the same statement agree even when one tool points at the statement and the other at a
column in it; several findings of one rule on one statement count once.

Shared rules are slipway's rules named after squawk's (see `slipway lint --list`), plus the
two that squawk splits or spells differently (prefer-bigint-over-smallint is part of slipway's
prefer-bigint-over-int; prefer-timestamp-tz is prefer-timestamptz). Test-free on purpose: it
is a measuring tool, run by hand on fetched corpora (bench/README.md, "real corpora").
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(BENCH.parent / "src"))

from bench_db import write_section

from slipway.lint.rule import all_rules
from slipway.lint.source import parse_script
from slipway.migrations.layouts import load_folder
from slipway.migrations.model import Script
from slipway.sql import run_mode

HEADING = "## squawk parity"
RESULTS = BENCH / "RESULTS.md"
# squawk's name -> slipway's, where they differ.
SQUAWK_ALIASES = {
    "prefer-bigint-over-smallint": "prefer-bigint-over-int",
    "prefer-timestamp-tz": "prefer-timestamptz",
}
# slipway rules with a squawk counterpart of the same name (SW000-SW027: squawk's rule set).
SHARED = {r.name for r in all_rules() if int(r.code[2:]) < 100}
SAMPLES = 3  # disagreements per rule and direction in RESULTS.md (stdout has them all)

Key = tuple[str, int, str]  # (file, statement's first line or the finding's line, rule)


@dataclass
class UpScript:
    path: str
    first: int  # first file line of the up section
    last: int  # last file line of the up section
    starts: list[tuple[int, int]]  # (first line, last line) of every statement
    wrapped: bool  # slipway runs it in a transaction of its own
    text: list[str]  # the file's lines


@dataclass
class Side:
    counts: Counter[str] = field(default_factory=Counter)  # rule -> findings
    keys: dict[Key, str] = field(default_factory=dict)  # shared-rule statement -> message


@dataclass
class Parity:
    folder: Path
    ups: int
    slipway: Side
    squawk: Side
    error: str = ""
    texts: dict[str, list[str]] = field(default_factory=dict)  # file -> lines


def up_scripts(folder: Path) -> list[tuple[Script, UpScript]]:
    out = []
    for migration in load_folder(folder, strict=False).migrations:
        script = migration.up
        parsed = parse_script(script)
        spans = [
            (stmt.line, parsed.locate(max(stmt.start, stmt.end - 1))[0])
            for stmt in parsed.statements
        ]
        mode = run_mode(script.transactional, [(s.kind, s.node) for s in parsed.statements])
        lines = script.sql.count("\n") + 1
        first = script.line_offset + 1
        text = ("\n" * script.line_offset + script.sql).splitlines()
        up = UpScript(
            str(script.path), first, first + lines - 1, spans, mode == "transaction", text
        )
        out.append((script, up))
    return out


def statement_line(up: UpScript, line: int) -> int:
    """The first line of the statement that holds `line` (or the next one), else `line`."""
    for first, last in up.starts:
        if line <= last:
            return first
    return line


def run_slipway(folder: Path, ups: dict[str, UpScript]) -> Side:
    proc = subprocess.run(
        [sys.executable, "-m", "slipway", "lint", "--no-cache", "-f", "json", str(folder)],
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode not in (0, 1):
        raise RuntimeError(f"slipway lint exit {proc.returncode}: {proc.stderr.strip()[:300]}")
    side = Side()
    for row in json.loads(proc.stdout or '{"findings": []}')["findings"]:
        where = row.get("location") or {}
        up = ups.get(str(Path(where.get("file") or "")))
        line = int(where.get("line") or 1)
        if up is None or not up.first <= line <= up.last:
            continue  # a down script's finding, or a migration-level rule's
        rule = str(row["name"])
        side.counts[rule] += 1
        if rule in SHARED:
            at = line if rule == "syntax-error" else statement_line(up, line)
            side.keys.setdefault((up.path, at, rule), str(row["message"]))
    return side


def run_squawk(squawk: str, scripts: list[tuple[Script, UpScript]]) -> Side:
    side = Side()
    with tempfile.TemporaryDirectory(prefix="squawk-parity-") as tmp:
        names: dict[str, tuple[Script, UpScript]] = {}
        for i, (script, up) in enumerate(scripts):
            name = str(Path(tmp) / f"{i:05d}.sql")
            Path(name).write_text("\n" * script.line_offset + script.sql, encoding="utf-8")
            names[name] = (script, up)
        rows = []
        for wrapped in (True, False):
            files = [name for name, (_, up) in names.items() if up.wrapped is wrapped]
            flag = "--assume-in-transaction" if wrapped else "--no-assume-in-transaction"
            if files:
                rows += _squawk_rows([squawk, "--reporter", "json", flag, *files])
    for row in rows:
        _, up = names[str(row["file"])]
        rule = SQUAWK_ALIASES.get(str(row["rule_name"]), str(row["rule_name"]))
        line = int(str(row.get("line") or 0)) + 1  # squawk counts lines from 0
        side.counts[str(row["rule_name"])] += 1
        if rule in SHARED:
            at = line if rule == "syntax-error" else statement_line(up, line)
            side.keys.setdefault((up.path, at, rule), str(row["message"]))
    return side


def _squawk_rows(argv: list[str]) -> list[dict[str, object]]:
    proc = subprocess.run(argv, capture_output=True, text=True, check=False)
    try:
        rows: list[dict[str, object]] = json.loads(proc.stdout or "[]")
    except ValueError as exc:
        raise RuntimeError(f"squawk exit {proc.returncode}: {proc.stderr.strip()[:300]}") from exc
    return rows


def compare(folder: Path, squawk: str) -> Parity:
    scripts = up_scripts(folder)
    ups = {up.path: up for _, up in scripts}
    slip = run_slipway(folder, ups)
    sq = run_squawk(squawk, scripts)
    if any(k[2] == "syntax-error" for k in slip.keys):  # compare syntax errors per file
        slip.keys = _per_file_syntax(slip.keys)
        sq.keys = _per_file_syntax(sq.keys)
    return Parity(folder, len(scripts), slip, sq, texts={up.path: up.text for up in ups.values()})


def _per_file_syntax(keys: dict[Key, str]) -> dict[Key, str]:
    out: dict[Key, str] = {}
    for (path, line, rule), message in keys.items():
        key = (path, 0, rule) if rule == "syntax-error" else (path, line, rule)
        out.setdefault(key, f"line {line}: {message}" if rule == "syntax-error" else message)
    return out


def shared_table(p: Parity) -> tuple[list[str], dict[str, list[tuple[str, Key, str]]]]:
    """Rows `rule | both | only slipway | only squawk` and every disagreement by rule."""
    rows = []
    only: dict[str, list[tuple[str, Key, str]]] = defaultdict(list)
    for rule in sorted(SHARED):
        mine = {k for k in p.slipway.keys if k[2] == rule}
        theirs = {k for k in p.squawk.keys if k[2] == rule}
        if not mine and not theirs:
            continue
        for key in sorted(mine - theirs):
            only[rule].append(("slipway", key, p.slipway.keys[key]))
        for key in sorted(theirs - mine):
            only[rule].append(("squawk", key, p.squawk.keys[key]))
        rows.append(
            f"| {rule} | {len(mine & theirs)} | {len(mine - theirs)} | {len(theirs - mine)} |"
        )
    return rows, only


def where(p: Parity, key: Key) -> str:
    path = Path(key[0])
    shown = path.relative_to(p.folder) if path.is_relative_to(p.folder) else path
    return f"{shown}:{key[1]}" if key[1] else str(shown)


def snippet(p: Parity, key: Key) -> str:
    """The statement's first line, to see what was flagged without opening the file."""
    lines = p.texts.get(key[0], [])
    return lines[key[1] - 1].strip()[:70] if 0 < key[1] <= len(lines) else ""


def label(folder: Path) -> str:
    """owner+name/... (how bench/README names fetched corpora), else the folder's name."""
    for i, part in enumerate(folder.parts):
        if "+" in part:
            return "/".join(folder.parts[i:])
    return folder.name


def render(results: list[Parity], version: str, samples: int | None) -> str:
    lines = [
        HEADING,
        "",
        (
            f"`bench/squawk_parity.py`: slipway lint and {version} on the up scripts of each"
            " folder (squawk with `--assume-in-transaction` where slipway wraps the script in a"
            " transaction). Shared rules are counted per statement (a statement one rule flags"
            " several times counts once); `only X` is a statement only X flags."
        ),
        "",
    ]
    for p in results:
        lines.append(f"### {label(p.folder)}")
        lines.append("")
        if p.error:
            lines += [f"- failed: {p.error}", ""]
            continue
        rows, only = shared_table(p)
        lines += [
            (
                f"{p.ups} up scripts; findings: slipway {sum(p.slipway.counts.values())}, "
                f"squawk {sum(p.squawk.counts.values())}."
            ),
            "",
            "| shared rule | both | only slipway | only squawk |",
            "|---|---|---|---|",
            *rows,
            "",
        ]
        squawk_only = {
            r: n for r, n in p.squawk.counts.items() if SQUAWK_ALIASES.get(r, r) not in SHARED
        }
        slipway_only = {r: n for r, n in p.slipway.counts.items() if r not in SHARED}
        lines.append(
            "- squawk rules slipway lacks: "
            + (", ".join(f"{r} {n}" for r, n in sorted(squawk_only.items())) or "none")
        )
        lines.append(
            "- slipway rules squawk lacks: "
            + (", ".join(f"{r} {n}" for r, n in sorted(slipway_only.items())) or "none")
        )
        for rule, items in sorted(only.items()):
            by_tool: dict[str, list[tuple[str, Key, str]]] = defaultdict(list)
            for item in items:
                by_tool[item[0]].append(item)
            for tool, group in sorted(by_tool.items()):
                shown = group if samples is None else group[:samples]
                more = f" (+{len(group) - len(shown)} more)" if len(group) > len(shown) else ""
                lines.append(f"- {rule}, only {tool}: {len(group)}{more}")
                for _, key, message in shown:
                    code = snippet(p, key)
                    code = f" `{code.replace('`', '')}`" if code else ""
                    lines.append(f"  - `{where(p, key)}`{code}: {message[:120]}")
        lines.append("")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", nargs="+", type=Path, help="migrations folders (any layout)")
    parser.add_argument("--write", action="store_true", help=f"write `{HEADING}` to RESULTS.md")
    parser.add_argument("--squawk", help="the squawk binary (default: beside this Python, PATH)")
    args = parser.parse_args(argv)
    squawk = args.squawk or shutil.which("squawk", path=str(Path(sys.executable).parent))
    squawk = squawk or shutil.which("squawk")
    if not squawk:
        print("error: squawk not found; pip install squawk-cli (or pass --squawk)", file=sys.stderr)
        return 2
    version = subprocess.run(
        [squawk, "--version"], capture_output=True, text=True, check=False
    ).stdout.strip()
    results = []
    for folder in args.folders:
        try:
            results.append(compare(folder.resolve(), squawk))
        except (RuntimeError, OSError) as exc:
            results.append(Parity(folder.resolve(), 0, Side(), Side(), str(exc)))
    print(render(results, version, None))
    if args.write:
        write_section(RESULTS, render(results, version, SAMPLES), HEADING)
    return 1 if any(p.error for p in results) else 0


if __name__ == "__main__":
    raise SystemExit(main())
