"""An Engine opened the way every caller opens one: the project's folder, a connection to its
database, the lock timeout. Shared by the CLI and slipway.api, so both read options alike."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from slipway.config import Settings, parse_duration
from slipway.errors import ConfigError
from slipway.migrations.runner import Engine, Events

__all__ = ["open_engine", "option_name", "rollback_count"]


@contextmanager
def open_engine(
    settings: Settings,
    lock_timeout: str | float | None = None,
    events: Events | None = None,
    option_prefix: str = "--",
) -> Iterator[Engine]:
    """An Engine on a new connection to the settings' database, closed on the way out.

    `lock_timeout` overrides [migrations] lock_timeout ("2s", or seconds); `option_prefix`
    spells option names in messages (`--lock-timeout` on the command line)."""
    from slipway.db import connect
    from slipway.migrations.layouts import load_folder

    mset = load_folder(settings.migrations_dir)
    timeout = None
    if lock_timeout is not None and lock_timeout != "":
        timeout = parse_duration(lock_timeout, option_name("lock_timeout", option_prefix))
    conn = connect(settings)
    try:
        yield Engine(conn, settings, mset, events, lock_timeout=timeout)
    finally:
        conn.close()


def rollback_count(
    steps: int | None, to: str | None, all_: bool, option_prefix: str = "--"
) -> int | None:
    """How many migrations `down` rolls back (None: all, or down to `to`); refuses options
    that contradict each other."""
    names = [option_name(n, option_prefix) for n in ("steps", "to", "all")]
    if sum(x is not None for x in (steps, to)) + all_ > 1:
        raise ConfigError(f"use one of {names[0]}, {names[1]} and {names[2]}")
    if steps is not None and steps < 1:
        raise ConfigError(f"{names[0]} must be 1 or more")
    return None if all_ else steps or 1


def option_name(name: str, prefix: str) -> str:
    """`--lock-timeout` on the command line (prefix "--"), `lock_timeout` in Python ("")."""
    return f"{prefix}{name.replace('_', '-')}" if prefix else name
