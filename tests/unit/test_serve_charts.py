"""The cache hit ratio per interval, from two samples' running totals."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from slipway.serve.charts import _hit_ratios
from slipway.serve.queries import Sample


def sample(minute: int, hit: int, read: int) -> Sample:
    at = datetime(2026, 1, 1, tzinfo=UTC) + timedelta(minutes=minute)
    return Sample(at, {}, 0, hit, read, 0, ())


def test_ratio_per_interval_not_since_the_reset() -> None:
    runs = [sample(0, 1_000_000, 0), sample(1, 1_000_090, 10), sample(2, 1_000_090, 10)]
    # The running total says 99.999%; the last minute's reads were 90% hits; then nothing read.
    assert _hit_ratios(runs) == [None, 90.0, None]


def test_a_statistics_reset_is_no_point() -> None:
    assert _hit_ratios([sample(0, 500, 50), sample(1, 20, 5), sample(2, 40, 5)]) == [
        None,
        None,
        100.0,
    ]
    assert _hit_ratios([]) == []
