"""The lint benchmark's floor: start Python, read every .sql file of the folders (and files)
given and parse it with libpg_query (slipway's fast path to pglast's parser), nothing else: no
rules, no catalog replay, no output, one core. Whatever a Python linter built on PostgreSQL's
own parser does, it does at least this.

    python bench/lint_parse_floor.py PATH...
"""

import os
import sys

from slipway.sql import parse_statements


def files(path: str) -> list[str]:
    if not os.path.isdir(path):
        return [path]
    return [os.path.join(path, n) for n in sorted(os.listdir(path)) if n.endswith(".sql")]


def main(paths: list[str]) -> int:
    statements = 0
    for name in (f for path in paths for f in files(path)):
        with open(name, encoding="utf-8") as handle:
            statements += len(parse_statements(handle.read()))
    return 0 if statements else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
