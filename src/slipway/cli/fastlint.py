"""`slipway lint` without the typer shell: importing typer (with click) and building the command
cost more than linting a warm folder.

`parse` reads the plain spellings of the lint command line (root options, `lint`, its own): the
options one to an argument (`--format json`, `--format=json`, `-f json`), choices in any case,
`--` before paths. Anything else (help, --version, completion, a cluster like `-qf`, an unknown
option, a missing or invalid value, a value that starts with `-`) returns None and the entry
point hands the arguments to typer, so every message, error and help text is typer's own.
`tests/unit/lint/test_lint_fast_cli.py` runs both paths on the same arguments.
"""

from __future__ import annotations

import os
import sys

from slipway.cli.commands import COMPLETE_VAR
from slipway.errors import SlipwayError

TYPE_CHECKING = False  # typing, dataclasses, pathlib: milliseconds a warm lint does not spend
if TYPE_CHECKING:
    from collections.abc import Iterator
    from typing import NoReturn

# The options as slipway.cli.root and slipway.cli.lint declare them.
_ROOT_VALUED = {"--database-url": "database_url", "-d": "database_url", "-m": "migrations"}
_ROOT_VALUED["--migrations"] = "migrations"
_LINT_VALUED = {"--format": "fmt", "-f": "fmt", "--fail-on": "fail_on", "--explain": "explain"}
_LINT_VALUED |= {"--migrations": "migrations", "-m": "migrations", "--stats": "stats"}
_LINT_FLAGS = {"--list": "list_rules", "--docs": "docs", "--no-cache": "no_cache"}
_LINT_FLAGS |= {"--quiet": "quiet", "-q": "quiet"}
_CHOICES = {
    "fmt": ("text", "json", "sarif", "github", "md", "html"),
    "fail_on": ("error", "warning"),
}


class LintArgs:
    """What `slipway lint` was asked, as the typer command receives it (paths as given)."""

    def __init__(self, **given: object) -> None:
        self.paths: list[str] = []
        self.fmt = "text"
        self.fail_on = "error"
        self.explain: str | None = None
        self.list_rules = False
        self.docs = False
        self.no_cache = False
        self.migrations: str | None = None
        self.stats: str | None = None
        self.quiet = False
        self.root_database_url: str | None = None
        self.root_migrations: str | None = None
        self.root_quiet = False
        for name, value in given.items():
            if not hasattr(self, name):
                raise TypeError(f"LintArgs has no {name}")
            setattr(self, name, value)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, LintArgs) and vars(self) == vars(other)

    def __repr__(self) -> str:
        return f"LintArgs({vars(self)!r})"

    def request(self) -> str:
        """What the printed output depends on, for the output cache (slipway.lint.cache)."""
        quiet = self.quiet or self.root_quiet
        migrations = self.migrations or self.root_migrations
        return repr((self.paths, self.fmt, self.fail_on, quiet, migrations))


def parse(argv: list[str]) -> LintArgs | None:
    """The lint arguments of `argv`, or None when typer should parse them."""
    if COMPLETE_VAR in os.environ or "" in argv:  # completion asking; "" is click's Path(".")
        return None
    args = LintArgs()
    rest = iter(argv)
    for arg in rest:  # root options, up to the command name
        if arg == "lint":
            break
        if arg in ("-q", "--quiet"):
            args.root_quiet = True
            continue
        name, value = _option(arg, rest, _ROOT_VALUED)
        if name is None:
            return None
        setattr(args, f"root_{name}", value)
    else:
        return None
    for arg in rest:
        if arg == "--":
            args.paths.extend(rest)
            return args
        if arg == "-" or (arg and not arg.startswith("-")):
            args.paths.append(arg)
        elif arg in _LINT_FLAGS:
            setattr(args, _LINT_FLAGS[arg], True)
        else:
            name, value = _option(arg, rest, _LINT_VALUED)
            if name is None:
                return None
            choice = _choice(value, _CHOICES[name]) if name in _CHOICES else value
            if choice is None:
                return None
            setattr(args, name, choice)
    return args


def _option(arg: str, rest: Iterator[str], valued: dict[str, str]) -> tuple[str | None, str]:
    """(attribute, value) of a valued option spelled `--name value`, `--name=value` or
    `-n value`; (None, "") for anything else."""
    name, eq, value = arg.partition("=") if arg.startswith("--") else (arg, "", "")
    if name not in valued:
        return None, ""
    if not eq:
        value = next(rest, "")
    if not value or value.startswith("-"):
        return None, ""
    return valued[name], value


def _choice(value: str, choices: tuple[str, ...]) -> str | None:
    """click's case-insensitive Choice: the declared spelling of `value`, or None."""
    folded = {c.casefold(): c for c in choices}
    return folded.get(value.casefold())


def run(args: LintArgs, whole_process: bool = False) -> int:
    """What slipway.cli.lint's command does with the same arguments; the exit code."""
    if args.explain or args.list_rules or args.docs:
        from slipway.lint.docs import print_docs

        print_docs(args.explain, args.list_rules)
        return 0
    from slipway.lint import run as lint

    # The snapshot is not part of the stored output's key: with one, nothing is replayed.
    request = args.request() if args.stats is None else None
    if request is not None and not args.no_cache and "-" not in args.paths:
        code = lint.replay_output(request, args.fmt)
        if code is not None:
            return code
    from pathlib import Path

    from slipway.cli.context import project_settings

    quiet = args.quiet or args.root_quiet
    settings = project_settings(
        args.root_database_url, args.migrations or args.root_migrations, announce=not quiet
    )
    return lint.run(
        [Path(p) for p in args.paths],
        args.fmt,
        args.fail_on,
        settings,
        quiet=quiet,
        use_cache=not args.no_cache,
        request=request,
        whole_process=whole_process,
        stats=Path(args.stats) if args.stats else None,
    )


def main(args: LintArgs, whole_process: bool = False) -> int:
    """Run `args` with the typer shell's error handling (slipway.cli.root.main). When the
    process ends with the lint (`whole_process`), the cyclic garbage collector stays off: its
    passes would only walk the parse trees, which reference counting frees."""
    if whole_process:
        import gc

        gc.disable()
    try:
        return run(args, whole_process)
    except SlipwayError as exc:
        from slipway.report.terminal import print_error

        print_error(exc)
        return exc.exit_code
    except KeyboardInterrupt:
        print("Interrupted.", file=sys.stderr)
        return 130


def exit_process(code: int) -> NoReturn:
    """End the process once its output is flushed, without freeing its objects one by one
    (mypy ends the same way): the parse trees of thousands of files are millions of objects."""
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):  # a closed pipe or stream: Python's shutdown reports it
        sys.exit(code)
    os._exit(code)
