"""Helpers for the doctor's tests (imported by conftest.py and the test files).

Each database is built once per module (building and scanning them takes a few seconds) and
dropped afterwards, together with the cluster-wide role the planted one creates.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import psycopg

from slipway.config import load_settings
from slipway.health.engine import DoctorOptions, run_doctor
from slipway.report.model import Report

HERE = Path(__file__).parent


from pg_fixtures import create_database, drop_database, url_for  # noqa: F401


@dataclass
class Built:
    url: str
    project: Path
    report: Report
    role: str = ""
    idle_pid: int = 0  # a session left idle in transaction while the doctor ran


def month(offset: int) -> date:
    """The first day of the month `offset` months from now."""
    today = date.today()
    index = today.year * 12 + today.month - 1 + offset
    return date(index // 12, index % 12 + 1, 1)


def write(folder: Path, files: dict[str, str]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")


def apply_migrations(url: str, project: Path) -> None:
    """Apply the project's migrations with slipway's own engine."""
    from slipway.migrations.layouts import load_folder
    from slipway.migrations.runner import Engine

    settings = load_settings(database_url=url, project_dir=project)
    with psycopg.connect(url, autocommit=True) as conn:
        Engine(conn, settings, load_folder(settings.migrations_dir)).up()


def doctor(url: str, project: Path, **options: object) -> Report:
    settings = load_settings(database_url=url, project_dir=project)
    with psycopg.connect(url, autocommit=True) as conn:
        return run_doctor(conn, settings, DoctorOptions(url=url, **options))  # type: ignore[arg-type]


def flush_stats(conn: psycopg.Connection[tuple[object, ...]]) -> None:
    """Make this backend's table/index counters visible to other sessions now."""
    conn.execute("SELECT pg_stat_force_next_flush()")
