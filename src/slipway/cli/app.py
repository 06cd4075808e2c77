"""The `slipway` command's entry point: `slipway lint` in its plain spellings runs without the
typer shell (slipway.cli.fastlint: typer costs more to import than a warm lint); everything else,
help and errors included, goes to the typer shell (slipway.cli.root).

`app`, `build_module`, `LazyGroup` and `root` are the shell's, loaded when first asked for.
"""

from __future__ import annotations

import sys

from slipway.cli.commands import COMMANDS

TYPE_CHECKING = False  # not typing's: `slipway lint` imports only what it uses
if TYPE_CHECKING:
    from typing import Any

__all__ = ["COMMANDS", "main"]


def main(argv: list[str] | None = None) -> None:
    """Run the command line `argv` (None: this process's own, which then ends with it)."""
    from slipway.cli import fastlint

    args = fastlint.parse(sys.argv[1:] if argv is None else argv)
    if args is not None and argv is None:
        fastlint.exit_process(fastlint.main(args, whole_process=True))
    if args is not None:
        code = fastlint.main(args)
        if code:  # as the shell: success returns
            sys.exit(code)
        return
    from slipway.cli.root import main as shell

    shell(argv)


def __getattr__(name: str) -> Any:
    if name in ("app", "build_module", "LazyGroup", "root"):
        from slipway.cli import root

        return getattr(root, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
