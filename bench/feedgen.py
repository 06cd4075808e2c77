"""Generate a large inventory feed for the benchmarks: N valid vehicles (seed 001 TSV format).

    python bench/feedgen.py 1000000 /tmp/feed_1m.tsv [--seed 7] [--changed 0.0]

Deterministic for a given seed. `--changed F` rewrites the price of a fraction F of the rows
(the same VINs), to produce "tomorrow's feed" for an update benchmark.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from slipway.feeds.sample import HEADER, vehicles, write_tsv


def generate(count: int, path: Path, seed: int = 7, changed: float = 0.0) -> Path:
    rng = random.Random(seed + 99)
    price = HEADER.index("Price")

    def rows() -> Iterator[list[str]]:
        for row in vehicles(count, seed):
            if changed and rng.random() < changed:
                row[price] = f"{float(row[price]) - 500:.2f}"
            yield row

    write_tsv(path, rows())
    return path


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("count", type=int)
    parser.add_argument("path", type=Path)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--changed", type=float, default=0.0)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    generate(args.count, args.path, args.seed, args.changed)
    size = args.path.stat().st_size / 1e6
    print(
        f"wrote {args.count} rows ({size:.0f} MB) to {args.path} in {time.perf_counter() - started:.1f} s",
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
