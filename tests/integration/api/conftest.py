"""Fixtures for the API and pytest plugin tests (helpers live in plugin_support.py)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from psycopg import sql

from pg_fixtures import admin


@pytest.fixture
def templates() -> Iterator[list[str]]:
    """Template names the runs report; dropped afterwards (they outlive a session by design)."""
    names: list[str] = []
    yield names
    with admin() as conn:
        for name in set(names):
            ident = sql.Identifier(name)
            if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
                conn.execute(sql.SQL("ALTER DATABASE {} IS_TEMPLATE false").format(ident))
                conn.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(ident))
