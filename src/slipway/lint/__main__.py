"""`python -m slipway.lint [PATHS] [options]`: `slipway lint` without the typer CLI shell.

Options: -f/--format text|json|sarif|github|md|html, --fail-on error|warning, -m/--migrations DIR,
-q/--quiet, --no-cache, --explain RULE, --list, --docs. For CI steps, editors and a launcher fast path,
where start-up time matters: typer (with pydantic) costs more to import than the lint itself,
and so would argparse, hence the small hand-written parser.
"""

from __future__ import annotations

import sys
from pathlib import Path

from slipway.errors import ConfigError, SlipwayError
from slipway.report import FINDING_FORMATS

_CHOICES = {"--format": FINDING_FORMATS, "--fail-on": ("error", "warning")}
_ALIASES = {"-f": "--format", "-m": "--migrations", "-q": "--quiet"}
_VALUED = {"--format", "--fail-on", "--migrations", "--explain"}
_FLAGS = {"--quiet", "--list", "--docs", "--no-cache"}


def parse_args(argv: list[str]) -> tuple[list[Path], dict[str, str]]:
    """Split argv into paths and options; raise ConfigError on anything unknown."""
    paths: list[Path] = []
    opts = {"--format": "text", "--fail-on": "error"}
    args = iter(argv)
    for arg in args:
        name, eq, value = arg.partition("=") if arg.startswith("--") else (arg, "", "")
        name = _ALIASES.get(name, name)
        if name in _FLAGS and not eq:
            opts[name] = "1"
        elif name in _VALUED:
            value = value if eq else next(args, "")
            if not value or value not in _CHOICES.get(name, (value,)):
                choices = "|".join(_CHOICES.get(name, ("VALUE",)))
                raise ConfigError(f"{name} needs a value: {choices}")
            opts[name] = value
        elif arg.startswith("-") and arg != "-":
            raise ConfigError(f"unknown option {arg}; see `python -m slipway.lint --help`")
        else:
            paths.append(Path(arg))
    return paths, opts


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if "-h" in argv or "--help" in argv:
        sys.stdout.write(__doc__ or "")
        return 0
    try:
        paths, opts = parse_args(argv)
        if "--explain" in opts or "--list" in opts or "--docs" in opts:
            from slipway.lint.docs import print_docs

            print_docs(opts.get("--explain"), "--list" in opts)
            return 0
        from slipway.config import load_settings
        from slipway.lint.run import run

        settings = load_settings(migrations=opts.get("--migrations"))
        return run(
            paths,
            opts["--format"],
            opts["--fail-on"],
            settings,
            quiet="--quiet" in opts,
            use_cache="--no-cache" not in opts,
        )
    except SlipwayError as exc:
        from slipway.report.terminal import print_error

        print_error(exc)
        return exc.exit_code


if __name__ == "__main__":
    sys.exit(main())
