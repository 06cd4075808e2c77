"""How slipway talks to people: rich on a terminal, plain lines in CI, nothing with -q.

Shared by the CLI and by `python -m slipway.lint` (which runs without the CLI), so it lives
below both.
"""

from __future__ import annotations

import os
import sys

TYPE_CHECKING = False  # typing (like json) stays unloaded for a warm `slipway lint`
if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import Any

    from slipway.errors import SlipwayError

# Where stdout is not a terminal, lines are not wrapped (rich would wrap tables at 80 columns).
UNWRAPPED = 10_000


def color_enabled(stderr: bool = False) -> bool:
    """Whether to write any ANSI code: never with NO_COLOR (any value, https://no-color.org),
    always with FORCE_COLOR, else only on a terminal outside CI."""
    if "NO_COLOR" in os.environ:
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    stream = sys.stderr if stderr else sys.stdout
    return stream.isatty() and not os.environ.get("CI")


def live_display() -> bool:
    """Progress bars (cursor movement): only on a real terminal, and only with colour on."""
    return sys.stdout.isatty() and color_enabled()


def print_error(exc: SlipwayError) -> None:
    """One line on stderr per problem (a config file can have several): what went wrong and
    what to do. No traceback."""
    text = f"{exc.message} ({exc.hint})" if exc.hint else exc.message
    for line in text.splitlines() or [""]:
        print(f"error: {line}", file=sys.stderr)


def print_json(output: str, body: Mapping[str, Any]) -> None:
    """An output's JSON object, its format version first (report.json_formats)."""
    import json

    from slipway.report.json_formats import versioned

    print(json.dumps(versioned(output, body), indent=2, default=str))


def console(stderr: bool = False) -> Any:
    """A rich Console (imported lazily): no ANSI code at all unless colour is on (rich's
    no_color alone keeps bold and dim), and no wrapping when not on a terminal."""
    from rich.console import Console

    color = color_enabled(stderr)
    terminal = (sys.stderr if stderr else sys.stdout).isatty()
    return Console(
        stderr=stderr,
        no_color=not color,
        color_system="auto" if color else None,
        force_terminal=True if color else None,
        width=None if terminal else UNWRAPPED,
        highlight=False,
        soft_wrap=True,
    )
