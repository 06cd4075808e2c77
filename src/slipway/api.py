"""slipway's Python API: the commands as functions that return result objects.

    from slipway import api

    report = api.up(database_url="postgresql://localhost/app", migrations="migrations")
    for state in api.status(database_url="postgresql://localhost/app"):
        print(state.version, state.shown_state)

Each function takes what its command takes and finds the database and the migrations folder
the way the command does (docs: README, "Where the database and migrations come from"), with
`project_dir` in place of the working directory. Nothing is printed, and nothing is named on
stderr: progress goes to an `Events` object when one is passed (`up`, `down`).

Failures are exceptions, all subclasses of `SlipwayError` (`str(err)` is the one line the CLI
would print; `err.exit_code` the CLI's exit code):

- `ConfigError`: bad settings or arguments (two of steps/to/all, an unknown version, a bad
  duration, a missing folder); `MigrationLayoutError`: the folder is inconsistent
  (duplicate versions, unreadable files);
- `ConnectionFailed`: the server cannot be reached or refuses the credentials;
  `ConnectionLost`: the connection broke midway;
- `MigrationFailed`: a migration's SQL failed (nothing of that migration remains; the ones
  before it stay applied);
- `Refused`: acting would be unsafe (an applied migration was edited, a rollback is missing
  or empty, the database holds tables but no slipway history, a run stopped midway);
- `LockBusy`: another run held the migration lock for longer than [migrations] lock_wait.

Checks that find problems are not exceptions: `verify` returns every verdict (see
`failed_verdicts`), `lint` its findings (`LintResult.fails("error")`), `doctor` its report
(`Report.status`: "pass", "warn" or "fail").
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from slipway.errors import (
    ConfigError,
    ConnectionFailed,
    ConnectionLost,
    LockBusy,
    MigrationFailed,
    MigrationLayoutError,
    Refused,
    SlipwayError,
)

if TYPE_CHECKING:
    from slipway.config import Settings
    from slipway.lint.findings import LintResult
    from slipway.migrations.runner import Events, RunReport
    from slipway.migrations.status import MigrationState
    from slipway.report.model import Report
    from slipway.verify.roundtrip import Result

__all__ = [
    "ConfigError",
    "ConnectionFailed",
    "ConnectionLost",
    "LockBusy",
    "MigrationFailed",
    "MigrationLayoutError",
    "Refused",
    "SlipwayError",
    "doctor",
    "down",
    "failed_verdicts",
    "lint",
    "load_project",
    "status",
    "up",
    "verify",
]

PathArg = str | os.PathLike[str]


def load_project(
    database_url: str | None = None,
    migrations: PathArg | None = None,
    project_dir: PathArg | None = None,
) -> Settings:
    """The settings every function here reads: `project_dir`'s slipway.toml (or
    pyproject.toml's [tool.slipway]) and .env, the environment, and these arguments first.

    A relative `migrations` is relative to `project_dir` (default: the working directory)."""
    from slipway.config import load_settings
    from slipway.db import announce_databases

    announce_databases(False)  # a library does not write to stderr
    project = Path(project_dir) if project_dir is not None else None
    folder: Path | None = None
    if migrations is not None:
        folder = Path(migrations)
        if project is not None and not folder.is_absolute():
            folder = project / folder
    return load_settings(database_url=database_url, migrations=folder, project_dir=project)


def up(
    *,
    database_url: str | None = None,
    migrations: PathArg | None = None,
    project_dir: PathArg | None = None,
    to: str | None = None,
    allow_out_of_order: bool = False,
    restart_partial: bool = False,
    allow_existing: bool = False,
    lock_timeout: str | float | None = None,
    events: Events | None = None,
) -> RunReport:
    """Apply pending migrations (up to `to`), as `slipway up`; the report lists each step
    that ran (`report.results`, empty when the database was up to date)."""
    from slipway.migrations.session import open_engine

    settings = load_project(database_url, migrations, project_dir)
    with open_engine(settings, lock_timeout, events, option_prefix="") as engine:
        return engine.up(to, allow_out_of_order, restart_partial, allow_existing)


def down(
    *,
    database_url: str | None = None,
    migrations: PathArg | None = None,
    project_dir: PathArg | None = None,
    steps: int | None = None,
    to: str | None = None,
    all: bool = False,  # the name of `slipway down --all`
    allow_empty: bool = False,
    lock_timeout: str | float | None = None,
    events: Events | None = None,
) -> RunReport:
    """Roll back the newest migration, or `steps` of them, every one newer than `to`, or
    `all`, as `slipway down`. Raises Refused, changing nothing, when one of them has no
    down script (or an empty one while its up changes the schema, unless `allow_empty`)."""
    from slipway.migrations.session import open_engine, rollback_count

    how_many = rollback_count(steps, to, all, option_prefix="")
    settings = load_project(database_url, migrations, project_dir)
    with open_engine(settings, lock_timeout, events, option_prefix="") as engine:
        return engine.down(how_many, to, allow_empty)


def status(
    *,
    database_url: str | None = None,
    migrations: PathArg | None = None,
    project_dir: PathArg | None = None,
) -> list[MigrationState]:
    """Every migration's state in version order, as `slipway status`: `shown_state` is
    applied, pending, modified, missing or partial (`state` without partial); `rollback` is "file", "empty" or "none"."""
    from slipway.migrations.status import project_status

    return project_status(load_project(database_url, migrations, project_dir))


def verify(
    *,
    database_url: str | None = None,
    migrations: PathArg | None = None,
    project_dir: PathArg | None = None,
    scratch_url: str | None = None,
    privileges: bool = True,
    strict_column_order: bool = False,
    thorough: bool = False,
    on_result: Callable[[Result], None] | None = None,
) -> list[Result]:
    """Prove every rollback on a scratch database, as `slipway verify`: one Result per
    migration (`verdict`, `differences`, `error`). The scratch database is created on
    `database_url`'s server (CREATEDB needed) and dropped afterwards, or `scratch_url` names
    an empty one to use. `on_result` is called with each result as it is decided."""
    from slipway.verify.project import verify_project
    from slipway.verify.roundtrip import Options

    settings = load_project(database_url, migrations, project_dir)
    options = Options(
        privileges=privileges, thorough=thorough, strict_column_order=strict_column_order
    )
    return verify_project(settings, options, scratch_url, on_result)


def failed_verdicts(results: Sequence[Result], allow_no_rollback: bool = False) -> list[Result]:
    """The results `slipway verify` fails on: every verdict but "ok" (and "no-rollback"
    when `allow_no_rollback`)."""
    from slipway.verify.project import failures

    return failures(results, allow_no_rollback)


def lint(
    paths: Sequence[PathArg] = (),
    *,
    migrations: PathArg | None = None,
    project_dir: PathArg | None = None,
    use_cache: bool = True,
    stats: PathArg | None = None,
) -> LintResult:
    """Lint migrations, as `slipway lint`: a migrations folder, one migration's folder, or
    .sql files (linted with the migrations before them); by default the project's folder.
    Relative paths are relative to `project_dir` when it is given. `result.findings` lists
    the findings; `result.fails("error")` is the CLI's exit 1. `stats`: a statistics snapshot
    saved by `slipway doctor --save-stats FILE`, as slipway lint's --stats option takes."""
    from slipway.lint.run import lint_paths

    settings = load_project(None, migrations, project_dir)
    base = Path(project_dir) if project_dir is not None else Path()
    targets = [Path(p) if str(p) == "-" else base / p for p in paths]  # "-": stdin
    return lint_paths(targets, settings, use_cache, None if stats is None else base / stats)


def doctor(
    *,
    database_url: str | None = None,
    migrations: PathArg | None = None,
    project_dir: PathArg | None = None,
    crud: bool = True,
    crud_tables: int = 100,
    load: int = 0,
    load_seconds: float = 5.0,
) -> Report:
    """The health report of the live database, as `slipway doctor`: `report.status` is
    "pass", "warn" or "fail", `report.checks` every check with its findings; render it with
    `slipway.report.render(report, "md")` (or "text", "html", "json")."""
    from slipway.health.engine import DoctorOptions, diagnose

    settings = load_project(database_url, migrations, project_dir)
    options = DoctorOptions(
        crud=crud, crud_tables=crud_tables, load_clients=load, load_seconds=load_seconds
    )
    return diagnose(settings, options)
