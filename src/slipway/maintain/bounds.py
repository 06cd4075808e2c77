"""Pure range arithmetic for partitions: periods, names, bound literals, and what to keep.

Times are handled as naive wall-clock datetimes in the rule's time zone, so a monthly
partition starts at local midnight on the 1st whatever the DST offset; they become aware
only when written as a timestamptz bound.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from slipway.maintain.config import Retention

Bound = datetime | int | None  # None: MINVALUE / MAXVALUE
_BOUND = re.compile(r"^FOR VALUES FROM \((.*)\) TO \((.*)\)$", re.DOTALL)
TIME_TYPES = ("timestamp with time zone", "timestamp without time zone", "date")
INT_TYPES = ("smallint", "integer", "bigint")


def add_months(moment: datetime, months: int) -> datetime:
    index = moment.year * 12 + moment.month - 1 + months
    return moment.replace(year=index // 12, month=index % 12 + 1, day=1)


def floor_period(moment: datetime, interval: str) -> datetime:
    """Start of the day / ISO week / month / year holding `moment` (naive wall time)."""
    day = moment.replace(hour=0, minute=0, second=0, microsecond=0, tzinfo=None)
    if interval == "day":
        return day
    if interval == "week":
        return day - timedelta(days=day.weekday())
    if interval == "month":
        return day.replace(day=1)
    if interval == "year":
        return day.replace(month=1, day=1)
    raise ValueError(f"unknown interval {interval!r}")


def step(start: datetime, interval: str, n: int = 1) -> datetime:
    if interval == "day":
        return start + timedelta(days=n)
    if interval == "week":
        return start + timedelta(weeks=n)
    if interval == "month":
        return add_months(start, n)
    if interval == "year":
        return add_months(start, 12 * n)
    raise ValueError(f"unknown interval {interval!r}")


def wanted_time_ranges(
    now: datetime, interval: str, ahead: int, tz: str
) -> list[tuple[datetime, datetime]]:
    """The current period and `ahead` more, as [lo, hi) wall-time ranges."""
    local = now.astimezone(ZoneInfo(tz)) if now.tzinfo else now
    first = floor_period(local, interval)
    return [(step(first, interval, i), step(first, interval, i + 1)) for i in range(ahead + 1)]


def wanted_int_ranges(current: int, width: int, ahead: int) -> list[tuple[int, int]]:
    first = (current // width) * width
    return [(first + i * width, first + (i + 1) * width) for i in range(ahead + 1)]


def retention_cutoff_time(now: datetime, interval: str, keep: Retention, tz: str) -> datetime:
    """Partitions ending at or before this wall time are past retention."""
    local = now.astimezone(ZoneInfo(tz)) if now.tzinfo else now
    current = floor_period(local, interval)
    if keep.unit in ("month", "year"):
        return add_months(current, -keep.count * (12 if keep.unit == "year" else 1))
    days = keep.count * (7 if keep.unit == "week" else 1)
    return current - timedelta(days=days)


def partition_name(
    table: str, lo: datetime | int, interval: str | int, pattern: str | None = None
) -> str:
    """messages_p2025_11 (month), _p2025_11_09 (day, week: its Monday), _p2025, _p100000.

    `pattern` overrides: strftime codes plus {table} (and {lo} for integer ranges), e.g.
    "{table}_%Y_%m" for a project that already names its partitions messages_2025_11.
    """
    if pattern:
        text = pattern.replace("{lo}", str(lo)) if isinstance(lo, int) else lo.strftime(pattern)
        head, found, tail = text.partition("{table}")
        if not found:
            return text[:63]
        # Keep the variable part whole; shorten the table name instead.
        return head + table[: 63 - len(head) - len(tail)] + tail
    if isinstance(lo, int):
        suffix = f"_p{lo}" if lo >= 0 else f"_pm{-lo}"
    elif interval == "year":
        suffix = lo.strftime("_p%Y")
    elif interval == "month":
        suffix = lo.strftime("_p%Y_%m")
    else:
        suffix = lo.strftime("_p%Y_%m_%d")
    return table[: 63 - len(suffix)] + suffix


def parse_bound_spec(text: str) -> tuple[str, str] | None:
    """'FOR VALUES FROM (x) TO (y)' -> (x, y) as written; None for DEFAULT."""
    if text.strip().upper() == "DEFAULT":
        return None
    match = _BOUND.match(text.strip())
    if not match:
        raise ValueError(f"not a range bound: {text}")
    return match.group(1), match.group(2)


def bound_value(literal: str, key_type: str, tz: str) -> Bound:
    """A bound literal from pg_get_expr as a Python value in the rule's wall time."""
    text = literal.strip()
    if text.upper() in ("MINVALUE", "MAXVALUE"):
        return None
    if key_type in INT_TYPES:
        return int(text.strip("'"))
    value = datetime.fromisoformat(text.strip("'"))
    if value.tzinfo is not None:
        value = value.astimezone(ZoneInfo(tz)).replace(tzinfo=None)
    return value


def bound_literal(value: datetime | int, key_type: str, tz: str) -> str:
    """The SQL text of a bound (a quoted literal with an explicit offset for timestamptz)."""
    if isinstance(value, int):
        return str(value)
    if key_type == "date":
        return f"'{value.date().isoformat()}'"
    if key_type == "timestamp with time zone":
        aware = value.replace(tzinfo=ZoneInfo(tz)).astimezone(UTC)
        return f"'{aware.isoformat(sep=' ')}'"
    return f"'{value.isoformat(sep=' ')}'"


def overlaps(a: tuple[Any, Any], b: tuple[Any, Any]) -> bool:
    """[a0, a1) and [b0, b1) share a value (None meaning unbounded)."""
    a_lo, a_hi = a
    b_lo, b_hi = b
    below = a_hi is not None and b_lo is not None and a_hi <= b_lo
    above = b_hi is not None and a_lo is not None and b_hi <= a_lo
    return not (below or above)
