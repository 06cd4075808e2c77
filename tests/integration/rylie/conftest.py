"""Fixtures for the Rylie reference schema: migrations applied with plain psycopg.

The slipway engine is deliberately not used here, so these tests judge the SQL files alone.
A session-wide database holds every migration plus the seed data; each test runs in a
transaction that is rolled back, so tests never see each other's changes.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pglast
import psycopg
import pytest

from pg_fixtures import create_database, drop_database, url_for

RYLIE = Path(__file__).resolve().parents[3] / "src" / "slipway" / "examples" / "rylie"
MIGRATIONS = RYLIE / "migrations"
SEED = RYLIE / "data" / "seed.sql"
TENANT_SETTING = "app.current_dealership_id"
_CONCURRENTLY = re.compile(
    r"^\s*(CREATE|DROP)\b.*\bINDEX\s+CONCURRENTLY\b", re.IGNORECASE | re.DOTALL
)


@dataclass(frozen=True)
class Files:
    version: str
    stem: str
    up: Path
    down: Path
    verify: Path


def migration_files() -> list[Files]:
    ups = sorted(p for p in MIGRATIONS.glob("*.sql") if p.name.count(".") == 1)
    out = []
    for up in ups:
        stem = up.name[:-4]
        out.append(
            Files(
                stem.split("_", 1)[0],
                stem,
                up,
                MIGRATIONS / f"{stem}.down.sql",
                MIGRATIONS / f"{stem}.verify.sql",
            )
        )
    return out


def is_transactional(text: str) -> bool:
    """False for scripts with CREATE/DROP INDEX CONCURRENTLY (0021), which cannot run in a
    transaction block."""
    return not any(_CONCURRENTLY.search(stmt) for stmt in pglast.split(text))


def run_file(conn: psycopg.Connection[tuple[object, ...]], path: Path) -> None:
    """Run one script in its own transaction, or statement by statement (autocommit) when it
    cannot run in a transaction. `conn` must be in autocommit mode."""
    text = path.read_text(encoding="utf-8")
    if is_transactional(text):
        with conn.transaction():
            conn.execute(text.encode())
        return
    for stmt in pglast.split(text):
        conn.execute(stmt.encode())


def apply_all(url: str, seed: bool = False) -> None:
    with psycopg.connect(url, autocommit=True) as conn:
        for files in migration_files():
            run_file(conn, files.up)
        if seed:
            run_file(conn, SEED)


def schema_dump(url: str) -> str:
    """`pg_dump --schema-only`, minus lines that differ between runs (version header, the
    random \\restrict key of newer pg_dump releases)."""
    out = subprocess.run(
        ["pg_dump", "--schema-only", "-d", url], check=True, capture_output=True, text=True
    ).stdout
    return "\n".join(line for line in out.splitlines() if not line.startswith(_VOLATILE))


_VOLATILE = ("-- Dumped", "\\restrict", "\\unrestrict")


@pytest.fixture(scope="session")
def rylie_url(pg_server: str) -> Iterator[str]:
    """URL of a database with all migrations and the seed applied, shared by this session's
    tests: every test works inside a transaction that is rolled back (DDL included)."""
    name = create_database("rylie")
    try:
        apply_all(url_for(name), seed=True)
        yield url_for(name)
    finally:
        drop_database(name)


@pytest.fixture
def conn(rylie_url: str) -> Iterator[psycopg.Connection[tuple[object, ...]]]:
    """A connection in one transaction, rolled back after the test. It starts as the owner
    (a superuser here, which bypasses RLS); `as_app` switches it to rylie_app."""
    with psycopg.connect(rylie_url) as connection:
        yield connection
        connection.rollback()


def as_app(conn: psycopg.Connection[tuple[object, ...]], dealership_id: int | None) -> None:
    """Act as rylie_app for tenant `dealership_id` (None: no tenant) until `as_owner`."""
    conn.execute("SET LOCAL ROLE rylie_app")
    as_tenant(conn, dealership_id)


def as_owner(conn: psycopg.Connection[tuple[object, ...]]) -> None:
    conn.execute("RESET ROLE")
    as_tenant(conn, None)


def as_tenant(conn: psycopg.Connection[tuple[object, ...]], dealership_id: int | None) -> None:
    """Set the tenant for the rest of the current transaction ('' means no tenant)."""
    value = "" if dealership_id is None else str(dealership_id)
    conn.execute("SELECT set_config(%s, %s, true)", (TENANT_SETTING, value))
