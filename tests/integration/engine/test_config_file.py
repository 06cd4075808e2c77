"""slipway.toml is validated as a whole when it is read: one line per problem, naming the file
and the key, exit 2, never a traceback; unknown keys name the closest known one."""

from __future__ import annotations

import subprocess
import sys

import pytest
from engine_helpers import Cli

FULL = """\
[database]
url = "postgresql://nobody@127.0.0.1:1/unused"   # --database-url wins

[migrations]
directory = "migrations"
table = "public.Deploy History"
lock_timeout = "500ms"
lock_retries = 0
lock_wait = 2
flush_each_migration = true

[tenancy]
column = "account_id"
setting = "app.account"
role = "app_user"

[lint]
disable = "prefer-text-field"
enable = []
[lint.severity]
ban-drop-column = "warning"

[pool]
min_size = 0
max_size = 4
timeout = "2s"
max_idle = 60
max_lifetime = "1h"

[doctor]
xid_age_warn = 1000
cache_hit_warn = 0.9

[feeds]
directory = "inbound"

[project]
name = "Accounts"

[maintain]
lock_timeout = "3s"
lock_retries = 2
runs_table = "ops.maintenance_runs"
archive_schema = "archive"

[[maintain.partitions]]
table = "events"
interval = "Week"
ahead = 2
retention = "8 weeks"
retention_mode = "detach"
schedule = "Hourly"
timezone = "Europe/Berlin"
name = "{table}_%Y_%m_%d"

[[maintain.partitions]]
table = "readings"
interval = 1000
retention = 5
start = 0

[serve]
samples = "Memory"
samples_table = "ops.samples"
sample_interval = "30s"
sample_retention = "2d"

[[maintain.views]]
name = "daily_totals"
concurrently = false

[maintain.stats]
analyze_threshold = 0.5
vacuum_threshold = 1
min_rows = 10
schemas = ["public", "ops"]
tables = ["events"]

[[maintain.cleanup]]
table = "sessions"
where = "expires_at < now()"
batch = 100
max_batches = 3
"""


def test_a_full_valid_config_loads_and_is_used(cli: Cli) -> None:
    (cli.project / "slipway.toml").write_text(FULL, encoding="utf-8")
    cli.write("0001_a.sql", "CREATE TABLE a (id int);")
    result = cli("up")
    assert result.code == 0, result.err
    status = cli("status")
    assert status.code == 0 and "applied" in status.out, status.err
    from slipway.config import load_settings

    settings = load_settings(project_dir=cli.project)
    config = settings.config
    assert (settings.table, settings.lock_timeout, settings.lock_wait) == (
        "public.Deploy History",
        0.5,
        2.0,
    )
    assert settings.tenant_column == "account_id" and config.lint.disable == ("prefer-text-field",)
    assert config.pool.max_lifetime == 3600.0 and config.feeds.directory == "inbound"
    weekly, ranged = config.maintain.partitions
    assert (weekly.interval, weekly.schedule, str(weekly.retention)) == (
        "week",
        "hourly",
        "8 weeks",
    )
    assert (ranged.interval, str(ranged.retention)) == (1000, "5")
    assert (config.serve.samples, config.serve.samples_table) == ("memory", "ops.samples")
    assert (config.serve.sample_interval, config.serve.sample_retention) == (30.0, 2 * 86400.0)


@pytest.mark.parametrize(
    ("toml", "line"),
    [
        (
            '[migrations]\nlock_retries = "abc"\n',
            "slipway.toml: [migrations] lock_retries: expected an integer, got 'abc'",
        ),
        ('migrations = "abc"\n', "slipway.toml: [migrations]: expected a table, got 'abc'"),
        ('tenancy = "x"\n', "slipway.toml: [tenancy]: expected a table, got 'x'"),
        (
            '[[maintain.partitions]]\ntable = "m"\nahead = "x"\n',
            "slipway.toml: [[maintain.partitions]] #1 (m) ahead: expected an integer, got 'x'",
        ),
        (
            '[[maintain.partitions]]\ntable = "m"\ntimezone = "Mars/Olympus"\n',
            (
                "slipway.toml: [[maintain.partitions]] #1 (m) timezone: unknown time zone; use an IANA"
                " name like UTC or Europe/Berlin, got 'Mars/Olympus'"
            ),
        ),
        ('[migrations]\ntable = ""\n', "slipway.toml: [migrations] table: table name is empty"),
        (
            '[migrations]\ntable = "a\\u0000b"\n',
            "slipway.toml: [migrations] table: table name contains a NUL character",
        ),
        (
            "[migrations]\nlock_timeout = true\n",
            (
                "slipway.toml: [migrations] lock_timeout: expected a duration like 2s, 500ms or 1m,"
                " got true"
            ),
        ),
        (
            "[migrations]\nlock_timeout = -5\n",
            "slipway.toml: [migrations] lock_timeout: must not be negative, got -5",
        ),
        (
            '[migrations]\nlock_timeout = "0s"\n',
            "slipway.toml: [migrations] lock_timeout: must be at least 1ms",
        ),
        (
            '[serve]\nsample_interval = "500ms"\n',
            "slipway.toml: [serve]: sample_interval must be at least 1s",
        ),
        (
            '[serve]\nsample_interval = "2h"\nsample_retention = "1h"\n',
            "slipway.toml: [serve]: sample_retention must be at least sample_interval",
        ),
        (
            '[serve]\nsamples = "disk"\n',
            "slipway.toml: [serve] samples: expected one of 'table', 'memory' or 'off', got 'disk'",
        ),
        (
            '[migrations]\ndirectroy = "db"\n',
            "slipway.toml: [migrations] directroy: unknown key; did you mean directory?",
        ),
        (
            '[migratons]\ndirectory = "db"\n',
            "slipway.toml: [migratons]: unknown section; did you mean [migrations]?",
        ),
        (
            '[maintain]\npartitions = { table = "m" }\n',
            (
                "slipway.toml: [maintain] partitions: expected an array of tables"
                " ([[maintain.partitions]]), got a table"
            ),
        ),
    ],
)
def test_each_bad_value_is_one_line_and_exit_2(cli: Cli, toml: str, line: str) -> None:
    (cli.project / "slipway.toml").write_text(toml, encoding="utf-8")
    result = cli("status")
    assert result.code == 2, result.text
    (only,) = result.err.splitlines()
    assert only.startswith(f"error: {line}") and "Traceback" not in result.text


def test_every_problem_is_listed_once(cli: Cli) -> None:
    (cli.project / "slipway.toml").write_text(
        '[migrations]\nlock_retries = "abc"\nlock_wait = "soon"\ndirectroy = "db"\n'
        '[pool]\nmax_size = 0\n[[maintain.cleanup]]\ntable = "t"\n',
        encoding="utf-8",
    )
    result = cli("status")
    assert result.code == 2
    assert result.err.splitlines() == [
        "error: slipway.toml: [migrations] lock_retries: expected an integer, got 'abc'",
        (
            "error: slipway.toml: [migrations] lock_wait: expected a duration like 2s, 500ms or 1m,"
            " got 'soon'"
        ),
        "error: slipway.toml: [migrations] directroy: unknown key; did you mean directory?",
        "error: slipway.toml: [[maintain.cleanup]] #1 (t) where: required, but missing",
        "error: slipway.toml: [pool] max_size: must be more than 0, got 0",
    ]


def test_pyproject_keys_are_named_as_written(cli: Cli) -> None:
    (cli.project / "pyproject.toml").write_text(
        '[project]\nname = "x"\n[tool.slipway.migrations]\nlock_wiat = "1s"\n', encoding="utf-8"
    )
    result = cli("status")
    assert result.code == 2
    assert result.err.strip() == (
        "error: pyproject.toml: [tool.slipway.migrations] lock_wiat: unknown key;"
        " did you mean lock_wait?"
    )


def test_a_latin1_file_is_one_line_in_a_real_process(cli: Cli) -> None:
    (cli.project / "slipway.toml").write_bytes('[project]\nname = "Café"\n'.encode("latin-1"))
    done = subprocess.run(
        [sys.executable, "-m", "slipway", "status", "--database-url", cli.db_url],
        cwd=cli.project,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2, done.stderr
    assert done.stderr.splitlines() == [
        "error: slipway.toml: not valid UTF-8 (byte 21); TOML must be UTF-8: save the file as UTF-8"
    ]
