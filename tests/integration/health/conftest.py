"""Fixtures for the doctor: a database with planted problems of every kind, and a healthy one.

Each database is built once per module (building and scanning them takes a few seconds) and
dropped afterwards, together with the cluster-wide role the planted one creates.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import psycopg
import pytest
from health_support import (
    Built,
    apply_migrations,
    create_database,
    doctor,
    drop_database,
    month,
    url_for,
    write,
)


@pytest.fixture(scope="module")
def planted(pg_server: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Built]:
    from hc_planted import PLANTED_MIGRATIONS, plant

    name = create_database("hc")
    url = url_for(name)
    role = f"hc_bypass_{uuid.uuid4().hex[:8]}"
    project = tmp_path_factory.mktemp("planted")
    write(project / "migrations", PLANTED_MIGRATIONS)
    (project / "slipway.toml").write_text(
        "[doctor]\nconnections_warn = 0.0\nxid_age_warn = 1\nidle_in_transaction_seconds = 0\n"
        "\n[pool]\nmax_size = 100000\n",
        encoding="utf-8",
    )
    try:
        apply_migrations(url, project)
        # afterwards: 0001 edited (modified), 0004 deleted (missing), 0003 added (pending)
        (project / "migrations" / "0001_first.sql").write_text(
            "CREATE TABLE first_table (id int PRIMARY KEY, extra int);\n", encoding="utf-8"
        )
        (project / "migrations" / "0004_fourth.sql").unlink()
        write(project / "migrations", {"0003_third.sql": "SELECT 1;\n"})
        with psycopg.connect(url, autocommit=True) as conn:
            plant(conn, role)
        with psycopg.connect(url) as idle:  # not autocommit: left idle in its transaction
            idle.execute("SELECT 1")
            report = doctor(url, project)
            idle_pid = idle.info.backend_pid
        yield Built(url=url, project=project, report=report, role=role, idle_pid=idle_pid)
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
    write(
        project / "migrations",
        {
            "0001_healthy.sql": HEALTHY_UP.format(
                m0=month(0), m1=month(1), m2=month(2), m3=month(3)
            ),
            "0001_healthy.down.sql": HEALTHY_DOWN,
        },
    )
    try:
        apply_migrations(url, project)
        with psycopg.connect(url, autocommit=True) as conn:
            populate(conn)
        yield Built(url=url, project=project, report=doctor(url, project))
    finally:
        drop_database(name)
