"""Fixtures for catalog tests: a database holding every feature the Catalog model describes."""

from __future__ import annotations

from collections.abc import Iterator

import psycopg
import pytest
from catalog_live import create_database, drop_database, load_rich_schema, url_for


@pytest.fixture
def rich_conn(db_url: str) -> Iterator[psycopg.Connection[tuple[object, ...]]]:
    """Autocommit connection to a fresh database holding rich_schema.sql."""
    load_rich_schema(db_url)
    with psycopg.connect(db_url, autocommit=True) as conn:
        yield conn


@pytest.fixture(scope="module")
def rich_module_url(pg_server: str) -> Iterator[str]:
    """One rich database for a whole module; its tests change it only in transactions they
    roll back."""
    name = create_database("catalog")
    try:
        load_rich_schema(url_for(name))
        yield url_for(name)
    finally:
        drop_database(name)


@pytest.fixture(scope="module")
def rich_module_conn(rich_module_url: str) -> Iterator[psycopg.Connection[tuple[object, ...]]]:
    with psycopg.connect(rich_module_url, autocommit=True) as conn:
        yield conn
