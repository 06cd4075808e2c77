"""Fixtures for the doctor: a database with planted problems of every kind, and a healthy one.

Each database is built once per module (building and scanning them takes a few seconds) and
dropped afterwards, together with the cluster-wide role the planted one creates.
"""

from __future__ import annotations

import importlib.util
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from types import ModuleType

import psycopg
import pytest

from slipway.config import load_settings
from slipway.health.engine import DoctorOptions, run_doctor
from slipway.report.model import Report

HERE = Path(__file__).parent


def _root_conftest() -> ModuleType:
    # `from conftest import ...` would find this very file: load tests/conftest.py by path.
    spec = importlib.util.spec_from_file_location("_slipway_root_conftest",
                                                  HERE.parents[1] / "conftest.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_ROOT = _root_conftest()
create_database, drop_database, url_for = _ROOT.create_database, _ROOT.drop_database, _ROOT.url_for


@dataclass
class Built:
    url: str
    project: Path
    report: Report
    role: str = ""


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


@pytest.fixture(scope="module")
def planted(pg_server: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Built]:
    from hc_planted import PLANTED_MIGRATIONS, plant

    name = create_database("hc")
    url = url_for(name)
    role = f"hc_bypass_{uuid.uuid4().hex[:8]}"
    project = tmp_path_factory.mktemp("planted")
    write(project / "migrations", PLANTED_MIGRATIONS)
    (project / "slipway.toml").write_text(
        "[doctor]\nconnections_warn = 0.0\nxid_age_warn = 1\n\n[pool]\nmax_size = 100000\n",
        encoding="utf-8")
    try:
        apply_migrations(url, project)
        # afterwards: 0001 edited (modified), 0004 deleted (missing), 0003 added (pending)
        (project / "migrations" / "0001_first.sql").write_text(
            "CREATE TABLE first_table (id int PRIMARY KEY, extra int);\n", encoding="utf-8")
        (project / "migrations" / "0004_fourth.sql").unlink()
        write(project / "migrations", {"0003_third.sql": "SELECT 1;\n"})
        with psycopg.connect(url, autocommit=True) as conn:
            plant(conn, role)
        yield Built(url=url, project=project, report=doctor(url, project), role=role)
    finally:
        drop_database(name)
        with psycopg.connect(pg_server, autocommit=True) as admin:
            admin.execute(f'DROP ROLE IF EXISTS "{role}"')


@pytest.fixture(scope="module")
def healthy(pg_server: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Built]:
    from hc_healthy import HEALTHY_DOWN, HEALTHY_UP, populate

    name = create_database("hc")
    url = url_for(name)
    project = tmp_path_factory.mktemp("healthy")
    write(project / "migrations", {
        "0001_healthy.sql": HEALTHY_UP.format(m0=month(0), m1=month(1), m2=month(2), m3=month(3)),
        "0001_healthy.down.sql": HEALTHY_DOWN,
    })
    try:
        apply_migrations(url, project)
        with psycopg.connect(url, autocommit=True) as conn:
            populate(conn)
        yield Built(url=url, project=project, report=doctor(url, project))
    finally:
        drop_database(name)
