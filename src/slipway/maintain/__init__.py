"""Scheduled maintenance declared in [maintain]: partitions, views, statistics, cleanup.

`run_once(settings)` is the one call for other features (`slipway demo` ends with it).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from slipway.maintain.model import TASKS, Action, MaintenanceResult

if TYPE_CHECKING:
    from slipway.config import Settings
    from slipway.maintain.runner import Progress

__all__ = ["TASKS", "Action", "MaintenanceResult", "run_once"]


def run_once(
    settings: Settings,
    *,
    tasks: Sequence[str] = TASKS,
    schedule: str | None = None,
    only_due: bool = False,
    dry_run: bool = False,
    now: datetime | None = None,
    progress: Progress | None = None,
) -> MaintenanceResult:
    """Run the [maintain] rules once over a fresh connection and return what was done."""
    from slipway.errors import Refused
    from slipway.maintain.config import load_maintain_config
    from slipway.maintain.ddl import connect
    from slipway.maintain.runner import run_maintenance
    from slipway.migrations.lock import holder

    cfg = load_maintain_config(settings)
    with connect(settings) as conn:
        who = None if dry_run else holder(conn, settings.table)
        if who is not None:
            raise Refused(f"a migration is running ({who}); run maintenance after it finishes")
        return run_maintenance(
            conn,
            cfg,
            tasks=tasks,
            schedule=schedule,
            only_due=only_due,
            dry_run=dry_run,
            now=now,
            progress=progress,
        )
