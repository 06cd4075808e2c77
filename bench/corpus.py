"""Generate a realistic, deterministic migration history, each migration with an exact rollback.

The history looks like a multi-tenant dealership platform's: tables with identity keys and
foreign keys to earlier tables, indexes (some CREATE INDEX CONCURRENTLY, alone in their file and
outside a transaction), constraints added later, plpgsql functions and triggers, RLS policies,
views, enums with ALTER TYPE ... ADD VALUE, seed data and backfills, comments.

    python bench/corpus.py OUTDIR --count 300 --format slipway|dbmate|yoyo [--seed 7] [--small]

The same seed always gives the same files. `--small` writes tiny migrations (one table or
column each) for timing `status` over a long history.
"""

from __future__ import annotations

import argparse
import random
import sys
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import corpus_code as code
import corpus_schema as schema
from corpus_model import State, Step

Kind = Callable[[State], "Step | None"]

# How often each kind of change shows up in the history (relative weights).
KINDS: list[tuple[Kind, int]] = [
    (schema.create_table, 16),
    (schema.add_columns, 12),
    (schema.create_index, 7),
    (schema.create_index_concurrently, 6),
    (schema.drop_index, 2),
    (schema.add_check, 4),
    (schema.add_unique, 2),
    (schema.add_foreign_key, 3),
    (schema.validate_foreign_key, 3),
    (schema.rename_column, 2),
    (schema.widen_column, 2),
    (schema.create_enum, 2),
    (schema.add_enum_value, 2),
    (code.create_function, 4),
    (code.replace_function, 3),
    (code.create_trigger, 5),
    (code.enable_rls, 3),
    (code.create_view, 3),
    (code.create_matview, 1),
    (code.comment, 5),
    (code.insert_rows, 6),
    (code.backfill, 4),
    (code.set_default, 3),
    (code.set_not_null, 2),
]
FORMATS = ("slipway", "dbmate", "yoyo")


def generate(count: int = 300, seed: int = 7) -> list[Step]:
    """`count` migrations, in order; the same seed gives the same migrations."""
    state = State(random.Random(seed))
    steps: list[Step] = []
    for number in range(1, count + 1):
        state.number = number
        if number <= len(code.BOOTSTRAP):
            steps.append(code.BOOTSTRAP[number - 1](state))
        else:
            steps.append(_random_step(state))
    return steps


def _random_step(state: State) -> Step:
    kinds = [k for k, _ in KINDS]
    # A young schema mostly grows tables; later histories are mostly alterations.
    boost = max(0, 8 - len(state.tables)) * 8
    weights = [w + (boost if k is schema.create_table else 0) for k, w in KINDS]
    for _ in range(1000):
        step = state.rng.choices(kinds, weights)[0](state)
        if step is not None:
            return step
    raise RuntimeError(f"no applicable migration kind at migration {state.number}")


def small(count: int) -> list[Step]:
    """Tiny migrations: odd ones create a table, even ones add an indexed column to it."""
    steps = []
    for n in range(1, count + 1):
        if n % 2:
            t = f"small_{n:05d}"
            up = f"-- Create {t}\nCREATE TABLE {t} (id bigint PRIMARY KEY, label text);\n"
            steps.append(Step(f"create_{t}", up, f"DROP TABLE {t};\n"))
        else:
            t = f"small_{n - 1:05d}"
            up = (
                f"-- Add note to {t}\nALTER TABLE {t} ADD COLUMN note text;\n"
                f"CREATE INDEX {t}_note_idx ON {t} (note);\n"
            )
            steps.append(Step(f"add_note_to_{t}", up, f"ALTER TABLE {t} DROP COLUMN note;\n"))
    return steps


def _width(steps: list[Step]) -> int:
    return max(4, len(str(len(steps))))


def write_slipway(steps: list[Step], out: Path) -> None:
    """Paired layout: 0001_name.sql with its rollback in 0001_name.down.sql."""
    for n, step in enumerate(steps, 1):
        stem = f"{n:0{_width(steps)}d}_{step.name}"
        (out / f"{stem}.sql").write_text(step.up)
        (out / f"{stem}.down.sql").write_text(step.down)


def dbmate_version(n: int) -> str:
    """A 14-digit timestamp per migration, a few hours apart like a real team's."""
    at = datetime(2023, 1, 9, 9, 0, 0) + timedelta(hours=19 * n, minutes=(37 * n) % 60)
    return at.strftime("%Y%m%d%H%M%S")


def write_dbmate(steps: list[Step], out: Path) -> None:
    """One file per migration with -- migrate:up / -- migrate:down sections."""
    for n, step in enumerate(steps, 1):
        opt = "" if step.transactional else " transaction:false"
        text = f"-- migrate:up{opt}\n{step.up}\n-- migrate:down{opt}\n{step.down}"
        (out / f"{dbmate_version(n)}_{step.name}.sql").write_text(text)


def write_yoyo(steps: list[Step], out: Path) -> None:
    """yoyo's SQL layout: 0001_name.sql and 0001_name.rollback.sql; a header turns off the
    transaction for the whole migration (yoyo reads directives from the main file only)."""
    for n, step in enumerate(steps, 1):
        stem = f"{n:0{_width(steps)}d}_{step.name}"
        header = "" if step.transactional else "-- transactional: false\n"
        (out / f"{stem}.sql").write_text(header + step.up)
        (out / f"{stem}.rollback.sql").write_text(step.down)


WRITERS: dict[str, Callable[[list[Step], Path], None]] = {
    "slipway": write_slipway,
    "dbmate": write_dbmate,
    "yoyo": write_yoyo,
}


def write(steps: list[Step], out: Path, fmt: str) -> Path:
    """Write `steps` into the empty (or new) folder `out` in the given layout."""
    if fmt not in WRITERS:
        raise ValueError(f"unknown format {fmt!r}: use one of {', '.join(FORMATS)}")
    out.mkdir(parents=True, exist_ok=True)
    if any(out.iterdir()):
        raise ValueError(f"{out} is not empty: write the corpus into a new or empty folder")
    WRITERS[fmt](steps, out)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("outdir", type=Path)
    parser.add_argument("--count", type=int, default=300)
    parser.add_argument("--format", choices=FORMATS, default="slipway")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--small", action="store_true", help="tiny migrations (status timing)")
    args = parser.parse_args(argv)
    if args.count < 1:
        parser.error("--count must be at least 1")
    steps = small(args.count) if args.small else generate(args.count, args.seed)
    try:
        write(steps, args.outdir, args.format)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"wrote {len(steps)} {args.format} migrations to {args.outdir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
