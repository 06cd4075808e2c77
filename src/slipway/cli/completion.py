"""`--version`, `--install-completion [SHELL]` and `--show-completion [SHELL]` on the root.

typer's own completion options only detect the shell from the parent processes, which fails
where there is no interactive shell (a Dockerfile, CI, a provisioning script); these take the
shell by name and detect it only when it is left out. They reuse typer's scripts and installer
(private modules: typer is pinned below 0.29 in pyproject.toml).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from slipway.cli.commands import COMPLETE_VAR
from slipway.errors import ConfigError

SHELLS = ("bash", "zsh", "fish", "powershell", "pwsh")
COMPLETION_OPTIONS = ("--install-completion", "--show-completion")
PROG_NAME = "slipway"


def print_version(ctx: Any, value: bool) -> None:
    if value and not ctx.resilient_parsing:
        import typer

        from slipway.version import __version__  # the one place; pyproject reads it too

        print(f"{PROG_NAME} {__version__}")
        raise typer.Exit(0)


def optional_shell(args: list[str], commands: Iterable[str]) -> list[str]:
    """Give a completion option written without a shell an empty value ("detect it"):
    click options take a value or none, never an optional one. Only the root's own options
    (before the command name) are looked at."""
    out: list[str] = []
    for i, arg in enumerate(args):
        out.append(arg)
        if arg == "--" or arg in commands:
            return out + args[i + 1 :]
        following = args[i + 1] if i + 1 < len(args) else None
        if arg in COMPLETION_OPTIONS and (
            following is None or following.startswith("-") or following in commands
        ):
            out.append("")
    return out


def _shell(value: str) -> str:
    if value in SHELLS:
        return value
    if value:
        raise ConfigError(f"unknown shell {value!r}: name one of {', '.join(SHELLS)}")
    from typer._completion_shared import _get_shell_name

    detected = _get_shell_name()
    if detected not in SHELLS:
        raise ConfigError(
            "could not tell which shell this is" + (f" ({detected})" if detected else ""),
            hint=f"name it, e.g. `{PROG_NAME} --show-completion bash`; one of {', '.join(SHELLS)}",
        )
    return str(detected)


def show_completion(ctx: Any, value: str | None) -> None:
    """Print the completion script for the shell (to source it or save it where you like)."""
    if value is None or ctx.resilient_parsing:
        return
    import typer
    from typer._completion_shared import get_completion_script

    print(
        get_completion_script(prog_name=PROG_NAME, complete_var=COMPLETE_VAR, shell=_shell(value))
    )
    raise typer.Exit(0)


def install_completion(ctx: Any, value: str | None) -> None:
    """Install the completion script in the shell's startup files (as typer does)."""
    if value is None or ctx.resilient_parsing:
        return
    import typer
    from typer._completion_shared import install

    shell, path = install(shell=_shell(value), prog_name=PROG_NAME, complete_var=COMPLETE_VAR)
    print(
        f"{shell} completion for {PROG_NAME} installed in {path}; it works in shells started from now on"
    )
    raise typer.Exit(0)


def enable_completion_classes() -> None:
    """typer's completion classes (their zsh, fish and PowerShell protocols differ from
    click's); needed only when a completion script calls slipway, so loaded only then."""
    from typer._completion_classes import completion_init

    completion_init()
