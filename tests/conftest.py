"""Shared fixtures: every test that touches PostgreSQL gets its own throwaway database.

The server comes from SLIPWAY_TEST_URL (default: the local trust-auth server). Databases are
cloned from a small template so creating one costs milliseconds, and are dropped afterwards.
Helpers for tests that make their own databases live in pg_fixtures.py.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from pg_fixtures import (  # noqa: F401  (re-exported for older imports)
    ADMIN_URL,
    TEMPLATE,
    create_database,
    drop_database,
    ensure_template,
    url_for,
)


@pytest.fixture(scope="session")
def pg_server() -> Iterator[str]:
    """The admin URL, after making sure the template database exists."""
    try:
        ensure_template()
    except psycopg.OperationalError as exc:  # pragma: no cover - depends on the machine
        pytest.skip(f"no PostgreSQL server at {ADMIN_URL}: {exc}")
    yield ADMIN_URL


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
