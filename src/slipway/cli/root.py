"""The `slipway` command's typer shell: loads each command group on demand and maps errors.

Building typer commands is the slow part of starting (typer inspects every signature), so the
root lists commands from the table (slipway.cli.commands) and builds only the module a command
lives in. `tests/unit/test_cli_table.py` keeps the table in step with the modules. The entry
point is slipway.cli.app, which runs `slipway lint` without this shell (slipway.cli.fastlint).
"""

from __future__ import annotations

import importlib
import os
import sys
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from slipway.cli import completion
from slipway.cli.commands import COMMANDS, COMPLETE_VAR
from slipway.cli.options import DatabaseUrlOpt, MigrationsOpt
from slipway.errors import SlipwayError


def build_module(module_name: str) -> dict[str, Any]:
    """Every click command a module registers, by name."""
    module = importlib.import_module(f"slipway.cli.{module_name}")
    sub = typer.Typer(rich_markup_mode=None)
    sub.callback()(lambda: None)  # forces a group, even for a module with one command
    module.register(sub)
    group = typer.main.get_command(sub)
    return dict(getattr(group, "commands", {}))


class LazyGroup(TyperGroup):
    """The root group: commands are built the first time they are asked for."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        return list(super().parse_args(ctx, completion.optional_shell(args, COMMANDS)))

    def _main_shell_completion(
        self, ctx_args: Any, prog_name: str, complete_var: str | None = None
    ) -> None:
        if COMPLETE_VAR in os.environ:  # a completion script is asking
            completion.enable_completion_classes()
        super()._main_shell_completion(ctx_args, prog_name, complete_var)

    def list_commands(self, ctx: Any) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        if cmd_name not in self.commands and cmd_name in COMMANDS:
            try:
                self.commands.update(build_module(COMMANDS[cmd_name][0]))
            except ModuleNotFoundError as exc:
                if exc.name != f"slipway.cli.{COMMANDS[cmd_name][0]}":
                    raise
        return self.commands.get(cmd_name)

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        with formatter.section("Commands"):
            formatter.write_dl([(name, short) for name, (_, short) in COMMANDS.items()])


app = typer.Typer(
    name="slipway",
    help="Take a PostgreSQL schema from migration files to production safely.",
    cls=LazyGroup,
    no_args_is_help=True,
    add_completion=False,  # our own completion options take the shell by name (see completion.py)
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


@app.callback()
def root(
    ctx: typer.Context,
    database_url: DatabaseUrlOpt = None,
    migrations: MigrationsOpt = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print only errors.")] = False,
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            is_eager=True,
            expose_value=False,
            callback=completion.print_version,
            help="Print slipway's version and exit.",
        ),
    ] = False,
    install_completion: Annotated[
        str | None,
        typer.Option(
            "--install-completion",
            is_eager=True,
            expose_value=False,
            metavar="[SHELL]",
            callback=completion.install_completion,
            help="Install shell completion (bash, zsh, fish, powershell, pwsh; default: this shell).",
        ),
    ] = None,
    show_completion: Annotated[
        str | None,
        typer.Option(
            "--show-completion",
            is_eager=True,
            expose_value=False,
            metavar="[SHELL]",
            callback=completion.show_completion,
            help="Print the shell completion script (to source or save it yourself).",
        ),
    ] = None,
) -> None:
    ctx.obj = {"database_url": database_url, "migrations": migrations, "quiet": quiet}


def main(argv: list[str] | None = None) -> None:
    try:
        code = app(args=argv, prog_name="slipway", standalone_mode=False)
        if isinstance(code, int) and code:
            sys.exit(code)
    except SlipwayError as exc:
        from slipway.report.terminal import print_error

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
