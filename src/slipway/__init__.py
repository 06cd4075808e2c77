"""slipway: take a PostgreSQL schema from migration files to production safely.

The Python API (`slipway.api`) is re-exported here: `slipway.up(...)`, `slipway.status(...)`.
It is imported on first use, so `import slipway` (and `slipway --help`) stays fast. Not
`lint` and `verify`: `slipway.lint` and `slipway.verify` are subpackages, and importing one
sets the package attribute of that name, so use `slipway.api.lint` and `slipway.api.verify`.
"""

from __future__ import annotations

from slipway.version import __version__

TYPE_CHECKING = False  # not typing's: `import slipway` loads nothing else
if TYPE_CHECKING:
    from typing import Any

    from slipway.api import (
        ConfigError,
        ConnectionFailed,
        ConnectionLost,
        LockBusy,
        MigrationFailed,
        MigrationLayoutError,
        Refused,
        SlipwayError,
        doctor,
        down,
        failed_verdicts,
        load_project,
        status,
        up,
    )

__all__ = [
    "ConfigError", "ConnectionFailed", "ConnectionLost", "LockBusy", "MigrationFailed",
    "MigrationLayoutError", "Refused", "SlipwayError", "__version__", "doctor", "down",
    "failed_verdicts", "load_project", "status", "up",
]  # fmt: skip
_API = frozenset(__all__) - {"__version__"}


def __getattr__(name: str) -> Any:
    """`slipway.up` and the rest of slipway.api, imported when first asked for."""
    if name in _API:
        from slipway import api

        return getattr(api, name)
    raise AttributeError(f"module 'slipway' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | _API)
