"""The values configuration is made of, below both the settings and the schema that checks
them: durations ("2s", "500ms") and the default history table name."""

from __future__ import annotations

import re

from slipway.errors import ConfigError

__all__ = ["DEFAULT_TABLE", "parse_duration"]

DEFAULT_TABLE = "slipway_migrations"


_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|min|h|d)?\s*$")
_UNIT_SECONDS = {
    "ms": 0.001, "s": 1.0, None: 1.0, "m": 60.0, "min": 60.0, "h": 3600.0, "d": 86400.0,
}  # fmt: skip


def parse_duration(text: str | float, what: str = "duration") -> float:
    """'2s', '500ms', '1m', '7d', '1.5' (seconds) -> seconds as a float."""
    if isinstance(text, (int, float)):
        return float(text)
    match = _DURATION.match(text)
    if not match:
        raise ConfigError(f"{what} {text!r} is not a duration: write it like 2s, 500ms or 1m")
    return float(match.group(1)) * _UNIT_SECONDS[match.group(2)]
