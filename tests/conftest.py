"""Shared fixtures: every test that touches PostgreSQL gets its own throwaway database.

The server comes from SLIPWAY_TEST_URL (default: the local trust-auth server). Databases are
cloned from a small template so creating one costs milliseconds, and are dropped afterwards.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from psycopg import sql

ADMIN_URL = os.environ.get("SLIPWAY_TEST_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
TEMPLATE = "slipway_test_template"


def url_for(dbname: str) -> str:
    """The admin URL pointed at another database on the same server."""
    info = psycopg.conninfo.conninfo_to_dict(ADMIN_URL)
    info["dbname"] = dbname
    return psycopg.conninfo.make_conninfo(**{k: str(v) for k, v in info.items() if v is not None})


def _admin() -> psycopg.Connection[tuple[object, ...]]:
    return psycopg.connect(ADMIN_URL, autocommit=True)


@pytest.fixture(scope="session")
def pg_server() -> Iterator[str]:
    """The admin URL, after making sure the template database exists."""
    try:
        conn = _admin()
    except psycopg.OperationalError as exc:  # pragma: no cover - depends on the machine
        pytest.skip(f"no PostgreSQL server at {ADMIN_URL}: {exc}")
    with conn:
        # Serialise template creation across xdist workers.
        conn.execute("SELECT pg_advisory_lock(727272)")
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (TEMPLATE,)).fetchone()
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(TEMPLATE)))
        conn.execute("SELECT pg_advisory_unlock(727272)")
    yield ADMIN_URL


def create_database(prefix: str = "t") -> str:
    name = f"slipway_{prefix}_{uuid.uuid4().hex[:12]}"
    with _admin() as conn:
        conn.execute(
            sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                sql.Identifier(name), sql.Identifier(TEMPLATE)
            )
        )
    return name


def drop_database(name: str) -> None:
    with _admin() as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


@pytest.fixture
def db_url(pg_server: str) -> Iterator[str]:
    """URL of a brand-new empty database, dropped after the test."""
    name = create_database()
    try:
        yield url_for(name)
    finally:
        drop_database(name)


@pytest.fixture
def db_conn(db_url: str) -> Iterator[psycopg.Connection[tuple[object, ...]]]:
    with psycopg.connect(db_url, autocommit=True) as conn:
        yield conn


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty project folder, made the working directory, with no DATABASE_URL leaking in."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    (tmp_path / "migrations").mkdir()
    return tmp_path
