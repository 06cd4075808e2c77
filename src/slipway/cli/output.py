"""How the CLI talks to people: rich on a terminal, plain lines in CI, nothing with -q."""

from __future__ import annotations

import json
import os
import sys
from typing import Any

from slipway.errors import SlipwayError


def _plain() -> bool:
    return not sys.stdout.isatty() or bool(os.environ.get("CI")) or bool(os.environ.get("NO_COLOR"))


def print_error(exc: SlipwayError) -> None:
    """One line on stderr: what went wrong and what to do. No traceback."""
    line = f"error: {exc.message}"
    if exc.hint:
        line += f" ({exc.hint})"
    print(line, file=sys.stderr)


def print_json(data: Any) -> None:
    print(json.dumps(data, indent=2, default=str))


def console(stderr: bool = False) -> Any:
    """A rich Console (imported lazily); plain when not on a terminal."""
    from rich.console import Console

    return Console(stderr=stderr, no_color=_plain(), highlight=False, soft_wrap=True)
