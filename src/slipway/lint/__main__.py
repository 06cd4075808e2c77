"""`python -m slipway.lint [PATHS] [--format F] [--fail-on L] [-m DIR]`: lint without typer.

The same run as `slipway lint`, for CI steps and editors where start-up time matters:
typer (with pydantic) costs more to import than the lint itself.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from slipway.errors import SlipwayError


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m slipway.lint", description=__doc__)
    parser.add_argument("paths", nargs="*", type=Path)
    parser.add_argument("-f", "--format", default="text",
                        choices=("text", "json", "sarif", "github"))
    parser.add_argument("--fail-on", default="error", choices=("error", "warning"))
    parser.add_argument("-m", "--migrations", default=None)
    parser.add_argument("-q", "--quiet", action="store_true")
    args = parser.parse_args(argv)
    try:
        from slipway.config import load_settings
        from slipway.lint.run import run

        return run(args.paths, args.format, args.fail_on, load_settings(migrations=args.migrations),
                   args.quiet)
    except SlipwayError as exc:
        from slipway.cli.output import print_error

        print_error(exc)
        return exc.exit_code


if __name__ == "__main__":
    sys.exit(main())
