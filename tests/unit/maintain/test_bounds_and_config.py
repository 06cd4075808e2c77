"""Pure parts of maintenance: range arithmetic, names, bound literals, config, stats decisions."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from slipway.catalog.stats import TableStats
from slipway.config import Settings
from slipway.errors import ConfigError
from slipway.maintain import bounds as b
from slipway.maintain.config import Retention, StatsRule, parse_maintain
from slipway.maintain.schedule import host_only_crontab, render_host_schedule
from slipway.maintain.stats import decide


def test_month_ranges_cross_the_year() -> None:
    got = b.wanted_time_ranges(datetime(2025, 11, 30, 23, 59, tzinfo=UTC), "month", 2, "UTC")
    assert got == [
        (datetime(2025, 11, 1), datetime(2025, 12, 1)),
        (datetime(2025, 12, 1), datetime(2026, 1, 1)),
        (datetime(2026, 1, 1), datetime(2026, 2, 1)),
    ]


def test_time_zone_decides_which_month_now_is() -> None:
    now = datetime(2025, 12, 31, 23, 30, tzinfo=UTC)  # already January in Tokyo
    assert b.wanted_time_ranges(now, "month", 0, "Asia/Tokyo")[0][0] == datetime(2026, 1, 1)
    assert b.bound_literal(datetime(2026, 1, 1), "timestamp with time zone", "Asia/Tokyo") == (
        "'2025-12-31 15:00:00+00:00'"
    )


def test_week_day_year_periods() -> None:
    wed = datetime(2025, 12, 31, 12, 0)
    assert b.floor_period(wed, "week") == datetime(2025, 12, 29)
    assert b.floor_period(wed, "year") == datetime(2025, 1, 1)
    assert b.step(datetime(2024, 2, 28), "day", 2) == datetime(2024, 3, 1)  # leap year
    assert b.step(datetime(2025, 1, 1), "year", 1) == datetime(2026, 1, 1)
    with pytest.raises(ValueError):
        b.floor_period(wed, "fortnight")


def test_integer_ranges_and_names() -> None:
    assert b.wanted_int_ranges(2500, 1000, 1) == [(2000, 3000), (3000, 4000)]
    assert b.wanted_int_ranges(-5, 10, 0) == [(-10, 0)]
    assert b.partition_name("ev", -10, 10) == "ev_pm10"
    assert b.partition_name("messages", datetime(2026, 1, 1), "month") == "messages_p2026_01"
    long = b.partition_name("x" * 70, datetime(2026, 1, 5), "week")
    assert len(long) == 63 and long.endswith("_p2026_01_05")


def test_retention_cutoff() -> None:
    now = datetime(2026, 1, 15, tzinfo=UTC)
    assert b.retention_cutoff_time(now, "month", Retention(12, "month"), "UTC") == datetime(
        2025, 1, 1
    )
    assert b.retention_cutoff_time(now, "day", Retention(2, "week"), "UTC") == datetime(2026, 1, 1)


def test_bound_parsing() -> None:
    assert b.parse_bound_spec("DEFAULT") is None
    lo, hi = b.parse_bound_spec("FOR VALUES FROM ('2025-01-01 00:00:00+00') TO (MAXVALUE)") or (
        "",
        "",
    )
    assert b.bound_value(lo, "timestamp with time zone", "UTC") == datetime(2025, 1, 1)
    assert b.bound_value(hi, "timestamp with time zone", "UTC") is None
    assert b.bound_value("'42'", "bigint", "UTC") == 42
    with pytest.raises(ValueError):
        b.parse_bound_spec("FOR VALUES IN (1, 2)")
    assert b.overlaps((None, 10), (5, 20)) and not b.overlaps((0, 10), (10, 20))


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (
            {"partitions": [{"interval": "month"}]},
            r"\[\[maintain.partitions\]\] #1 table: required",
        ),
        (
            {"partitions": [{"table": "m", "interval": "fortnight"}]},
            r"\(m\) interval: expected day, week, month, year .*, got 'fortnight'",
        ),
        (
            {"partitions": [{"table": "m", "retention": "a year"}]},
            "retention: expected a period like '12 months'.*got 'a year'",
        ),
        (
            {"partitions": [{"table": "m", "interval": 10, "retention": "1 month"}]},
            "for an integer key",
        ),
        (
            {"partitions": [{"table": "m", "retention_mode": "archive"}]},
            "expected one of 'drop' or 'detach'",
        ),
        (
            {"views": [{"name": "v", "schedule": "yearly"}]},
            "schedule: expected one of .*, got 'yearly'",
        ),
        ({"views": {"name": "v"}}, r"expected an array of tables \(\[\[maintain.views\]\]\)"),
        (
            {"stats": {"vacuum_threshold": 2}},
            r"\[maintain.stats\] vacuum_threshold: must be at most 1",
        ),
        ({"lock_timeout": "soon"}, "lock_timeout: expected a duration like 2s"),
    ],
)
def test_config_errors_say_what_to_fix(raw: dict[str, object], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        parse_maintain(raw)


def test_config_defaults() -> None:
    cfg = parse_maintain(
        {
            "partitions": [{"table": "messages", "retention": "12 months"}],
            "stats": {},
            "lock_timeout": "250ms",
        }
    )
    (rule,) = cfg.partitions
    assert (rule.interval, rule.ahead, rule.schedule, rule.retention_mode) == (
        "month",
        3,
        "daily",
        "drop",
    )
    assert rule.retention == Retention(12, "month") and str(rule.retention) == "12 months"
    assert cfg.stats == StatsRule() and cfg.lock_timeout == 0.25


def table(
    name: str, live: int, dead: int, modified: int, rows: float, kind: str = "ordinary"
) -> TableStats:
    return TableStats("public", name, kind, rows, live_tuples=live, dead_tuples=dead,
                      modified_since_analyze=modified)  # fmt: skip


def test_stats_decisions_and_reasons() -> None:
    rule = StatsRule(analyze_threshold=0.1, vacuum_threshold=0.2, min_rows=50)
    stats = [
        table("dead", 800, 200, 0, 1000),  # 20% dead -> vacuum
        table("changed", 1000, 10, 150, 1000),  # 15% changed -> analyze
        table("tiny", 10, 9, 9, 10),  # under min_rows -> nothing
        table("fresh", 500, 0, 500, -1),  # never analyzed -> analyze
        table("parent", 900, 0, 0, -1, kind="partitioned"),
    ]
    got = {a.target: (a.action, a.reason) for a in decide(stats, rule)}
    assert got["public.dead"] == ("vacuum", "200 dead tuples = 20% of rows >= vacuum_threshold 20%")
    assert got["public.changed"][0] == "analyze" and "150 rows changed" in got["public.changed"][1]
    assert got["public.fresh"][0] == "analyze"
    assert got["public.parent"][1].startswith("partitioned parent never analyzed")
    assert "public.tiny" not in got


def test_host_schedule_has_crontab_and_systemd(tmp_path: Path) -> None:
    cfg = parse_maintain({"views": [{"name": "v", "schedule": "daily"}], "stats": {}})
    settings = Settings(
        project_dir=tmp_path,
        migrations_dir=tmp_path,
        database_url="postgresql://u:secret@h/db",
        database_source="flag",
    )
    text = render_host_schedule(cfg, settings, "/usr/local/bin/slipway")
    assert (
        f"17 3 * * *  cd {tmp_path} && /usr/local/bin/slipway -q maintain --schedule daily" in text
    )
    assert "--schedule weekly" in text and "--schedule monthly" not in text
    assert "OnCalendar=*-*-* 03:17:00" in text and "Unit=slipway-maintain@weekly.service" in text
    assert "secret" not in text and "u:" not in text and "@h/db" not in text


def test_name_patterns() -> None:
    jan = datetime(2026, 1, 1)
    assert b.partition_name("messages", jan, "month", "{table}_%Y_%m") == "messages_2026_01"
    assert b.partition_name("ev", 3000, 1000, "{table}_from_{lo}") == "ev_from_3000"
    long = b.partition_name("m" * 70, jan, "month", "{table}_%Y_%m")
    assert len(long) == 63 and long.endswith("_2026_01")
    with pytest.raises(ConfigError, match="name: must contain"):
        parse_maintain({"partitions": [{"table": "m", "name": "fixed_name"}]})


def test_crontab_for_what_pg_cron_cannot_run(tmp_path: Path) -> None:
    cfg = parse_maintain(
        {"partitions": [{"table": "m"}], "views": [{"name": "v"}], "stats": {"schedule": "weekly"}}
    )
    settings = Settings(
        project_dir=tmp_path, migrations_dir=tmp_path, database_url=None, database_source="embedded"
    )
    assert host_only_crontab(cfg, settings).splitlines() == [
        (
            f"17 3 * * *  cd {tmp_path} && slipway -q maintain partitions --schedule daily"
            " >> /var/log/slipway-maintain.log 2>&1"
        ),
        (
            f"17 4 * * 0  cd {tmp_path} && slipway -q maintain stats --schedule weekly"
            " >> /var/log/slipway-maintain.log 2>&1"
        ),
    ]
    assert host_only_crontab(parse_maintain({"views": [{"name": "v"}]}), settings) == ""
