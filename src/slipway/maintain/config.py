"""The [maintain] section of slipway.toml: its rules are declared (and validated) in
slipway.config_schema; this module names them for the maintenance code.

[maintain]
lock_timeout = "3s"          # per DDL attempt (default: [migrations] lock_timeout)
lock_retries = 5
runs_table = "slipway_maintenance_runs"
archive_schema = "archive"   # optional: detached partitions move here, every grant revoked

[[maintain.partitions]]
table = "messages"  interval = "month"  ahead = 3
retention = "12 months"  retention_mode = "drop"  schedule = "daily"

[[maintain.views]]
name = "message_feedback_summary"  schedule = "daily"

[maintain.stats]
analyze_threshold = 0.1  vacuum_threshold = 0.2  min_rows = 50  schedule = "weekly"

[[maintain.cleanup]]
table = "appointments_cache"  where = "expires_at < now()"  batch = 5000  schedule = "daily"
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any, get_args

from slipway.config import Settings
from slipway.config_schema import (
    TIME_INTERVALS,
    CleanupRule,
    PartitionRule,
    Retention,
    Schedule,
    StatsRule,
    ViewRule,
)
from slipway.config_schema import MaintainSection as MaintainConfig

__all__ = [
    "SCHEDULES", "SCHEDULE_PERIOD", "TIME_INTERVALS", "CleanupRule", "MaintainConfig",
    "PartitionRule", "Retention", "StatsRule", "ViewRule", "load_maintain_config",
    "parse_maintain",
]  # fmt: skip

SCHEDULES: tuple[str, ...] = get_args(get_args(Schedule)[0])
SCHEDULE_PERIOD = {
    "hourly": timedelta(hours=1),
    "daily": timedelta(days=1),
    "weekly": timedelta(days=7),
    "monthly": timedelta(days=30),
}


def load_maintain_config(settings: Settings) -> MaintainConfig:
    """[maintain] of the settings' config file; an absent section is an empty config."""
    return _inherit(settings.config.maintain, settings.lock_timeout, settings.lock_retries)


def parse_maintain(
    raw: dict[str, Any], default_lock_timeout: float = 5.0, default_retries: int = 5
) -> MaintainConfig:
    """A [maintain] table given as data (tests, tools), validated like the config file's."""
    from slipway.config_errors import validate_config

    section = validate_config({"maintain": raw}, "").maintain
    return _inherit(section, default_lock_timeout, default_retries)


def _inherit(section: MaintainConfig, lock_timeout: float, retries: int) -> MaintainConfig:
    """lock_timeout and lock_retries left out of [maintain] are those of [migrations]."""
    unset = {"lock_timeout": lock_timeout, "lock_retries": retries}
    update = {k: v for k, v in unset.items() if k not in section.model_fields_set}
    return section.model_copy(update=update) if update else section
