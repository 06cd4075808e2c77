"""HC064 partitions-ahead."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from slipway.catalog.model import Table
from slipway.health.checks import Outcome, check, fail, info, warn
from slipway.health.facts import Facts

TIME_TYPES = ("date", "timestamp without time zone", "timestamp with time zone")
_RANGE = re.compile(r"FROM \('([^']*)'\) TO \('([^']*)'\)")


def parse_bound(bound: str | None) -> tuple[datetime, datetime] | None:
    """(from, to) of a single-column time range bound; None for MINVALUE/MAXVALUE or others."""
    match = _RANGE.search(bound or "")
    if not match:
        return None
    try:
        low, high = (datetime.fromisoformat(v) for v in match.groups())
    except ValueError:
        return None
    return _aware(low), _aware(high)


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _judge(name: str, parts: list[Table], now: datetime, wanted: int) -> tuple[str, str]:
    ranges = [r for r in (parse_bound(p.partition_bound) for p in parts) if r]
    ahead = sum(1 for low, _ in ranges if low > now)
    current = any(low <= now < high for low, high in ranges)
    if not current:
        return "fail", f"no partition covers now ({now:%Y-%m-%d}); {ahead} ahead"
    last = max(high for _, high in ranges)
    text = f"{ahead} partitions ahead of now, the last ends {last:%Y-%m-%d}"
    return ("warn" if ahead < wanted else "info"), text


@check("HC064", "partitions-ahead", "maintenance", facts=("catalog", "database"))
def partitions_ahead(facts: Facts) -> Outcome:
    """Time-partitioned tables without enough partitions created ahead of now.

    Why: when the partition for the current period does not exist, inserts go to the default
    partition or fail outright (e.g. every message after midnight on the 1st).

    Fix: create the next partitions now, and schedule `slipway maintain partitions`.
    """
    now = _aware(facts.one("database").get("now") or datetime.now(UTC))
    wanted = facts.thresholds.partitions_ahead
    catalog = facts.catalog
    out = Outcome()
    for table in catalog.tables:
        if not table.is_partitioned or table.is_partition:
            continue
        name = table.qualified
        parts = [p for p in catalog.partitions(table) if not p.is_default_partition]
        fix = f"create the next {wanted} partitions of {name} (slipway maintain partitions)"
        if not parts:
            out.findings.append(fail(name, "partitioned table has no partitions", fix))
        elif table.partition_strategy == "range" and table.partition_key_type in TIME_TYPES:
            level, text = _judge(name, parts, now, wanted)
            maker = {"fail": fail, "warn": warn}.get(level)
            out.findings.append(maker(name, text, fix) if maker else info(name, text))
    return out
