"""The lint benchmark's floor: start Python, read every .sql file of a folder and parse it with
libpg_query (slipway's fast path to pglast's parser), nothing else: no rules, no catalog replay,
no output. Whatever a Python linter built on PostgreSQL's own parser does, it does at least this.

    python bench/lint_parse_floor.py DIR
"""

import os
import sys

from slipway.sql import parse_statements


def main(folder: str) -> int:
    statements = 0
    for name in sorted(os.listdir(folder)):
        if name.endswith(".sql"):
            with open(os.path.join(folder, name), encoding="utf-8") as handle:
                statements += len(parse_statements(handle.read()))
    return 0 if statements else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
