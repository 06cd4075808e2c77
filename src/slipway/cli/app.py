"""The `slipway` command: a thin shell that registers each command group and maps errors.

Command modules import their heavy dependencies (psycopg, pglast) inside the command
functions, so `slipway --help` stays fast.
"""

from __future__ import annotations

import importlib
import sys
from typing import Annotated

import typer

from slipway.cli.options import DatabaseUrlOpt, MigrationsOpt
from slipway.errors import SlipwayError

app = typer.Typer(
    name="slipway",
    help="Take a PostgreSQL schema from migration files to production safely.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)

# Each module exposes register(app); a module not written yet is simply absent.
COMMAND_MODULES = (
    "migrate",
    "db",
    "demo",
    "feed",
    "lint",
    "docs",
    "verify",
    "doctor",
    "maintain",
    "serve",
)


@app.callback()
def root(
    ctx: typer.Context,
    database_url: DatabaseUrlOpt = None,
    migrations: MigrationsOpt = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print only errors.")] = False,
) -> None:
    ctx.obj = {"database_url": database_url, "migrations": migrations, "quiet": quiet}


_registered = False


def _register_all() -> None:
    global _registered
    if _registered:
        return
    _registered = True
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(f"slipway.cli.{name}")
        except ModuleNotFoundError as exc:
            if exc.name == f"slipway.cli.{name}":
                continue
            raise
        module.register(app)


def main(argv: list[str] | None = None) -> None:
    _register_all()
    try:
        code = app(args=argv, prog_name="slipway", standalone_mode=False)
        if isinstance(code, int) and code:
            sys.exit(code)
    except SlipwayError as exc:
        from slipway.cli.output import print_error

        print_error(exc)
        sys.exit(exc.exit_code)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except typer.Abort:
        print("Aborted.", file=sys.stderr)
        sys.exit(130)
    except KeyboardInterrupt:
        print("Interrupted.", file=sys.stderr)
        sys.exit(130)
    except Exception as exc:  # click usage errors arrive here in non-standalone mode
        # typer vendors its own click, so recognise a ClickException by its interface.
        code = getattr(exc, "exit_code", None)
        if hasattr(exc, "show") and isinstance(code, int):
            exc.show()
            sys.exit(code)
        raise


if __name__ == "__main__":
    main()
