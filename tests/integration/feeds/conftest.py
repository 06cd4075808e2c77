"""A Rylie database for feed tests: built once per session into a template, cloned per test.

The schema comes from the real examples/rylie migrations (every up script, in order), topped
up with contract_supplement.sql for what later migrations will add; with no migrations at all
it falls back to contract_schema.sql. Tables are then owned by a non-superuser role and the
importer runs as that role, so FORCED row-level security really applies to it.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from psycopg import sql

from pg_fixtures import ADMIN_URL, TEMPLATE, drop_database, url_for

HERE = Path(__file__).parent
MIGRATIONS = Path(__file__).parents[3] / "src" / "slipway" / "examples" / "rylie" / "migrations"
MAPPING = MIGRATIONS.parent / "feeds" / "vehicles.toml"
OWNER = "slipway_feed_owner"
_UP = re.compile(r"^\d+_[\w-]+\.sql$")
_CONCURRENTLY = re.compile(
    r"^\s*(CREATE|DROP)\s+(UNIQUE\s+)?INDEX\s+CONCURRENTLY", re.IGNORECASE | re.MULTILINE
)


def up_scripts() -> list[Path]:
    if not MIGRATIONS.is_dir():
        return []
    return sorted(p for p in MIGRATIONS.iterdir() if _UP.match(p.name))


def apply_script(conn: psycopg.Connection[Any], path: Path) -> None:
    """One up script: in one go, or statement by statement when it builds indexes
    CONCURRENTLY (which cannot run in a transaction block)."""
    text = path.read_text(encoding="utf-8")
    if not _CONCURRENTLY.search(text):
        conn.execute(text.encode())
        return
    import pglast

    for statement in pglast.split(text):
        conn.execute(statement.encode())


def build_schema(conn: psycopg.Connection[Any]) -> None:
    """Apply the Rylie schema (or the contract fixture) and hand the tables to OWNER."""
    scripts = up_scripts()
    if scripts:
        for script in scripts:
            apply_script(conn, script)
        conn.execute((HERE / "contract_supplement.sql").read_text())  # type: ignore[arg-type]
    else:
        conn.execute((HERE / "contract_schema.sql").read_text())  # type: ignore[arg-type]
    if not conn.execute("SELECT 1 FROM dealerships").fetchone():
        conn.execute("INSERT INTO dealerships (name) VALUES ('Sunset Motors'), ('Bayside Auto')")
    conn.execute(
        """DO $$ DECLARE t text; BEGIN
             FOR t IN SELECT tablename FROM pg_tables WHERE schemaname = 'public' LOOP
               EXECUTE format('ALTER TABLE %I OWNER TO slipway_feed_owner', t);
             END LOOP; END $$"""
    )


def _ensure_owner_role(admin: psycopg.Connection[Any]) -> None:
    admin.execute("SELECT pg_advisory_lock(727273)")
    try:
        if not admin.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (OWNER,)).fetchone():
            admin.execute(sql.SQL("CREATE ROLE {} NOLOGIN").format(sql.Identifier(OWNER)))
    finally:
        admin.execute("SELECT pg_advisory_unlock(727273)")


@pytest.fixture(scope="session")
def rylie_template(pg_server: str) -> Iterator[str]:
    name = f"slipway_feedtpl_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(ADMIN_URL, autocommit=True) as admin:
        _ensure_owner_role(admin)
        admin.execute(
            sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                sql.Identifier(name), sql.Identifier(TEMPLATE)
            )
        )
    try:
        with psycopg.connect(url_for(name), autocommit=True) as conn:
            build_schema(conn)
        yield name
    finally:
        drop_database(name)


@pytest.fixture
def rylie_url(rylie_template: str) -> Iterator[str]:
    name = f"slipway_feed_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(ADMIN_URL, autocommit=True) as admin:
        admin.execute(
            sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                sql.Identifier(name), sql.Identifier(rylie_template)
            )
        )
    try:
        yield url_for(name)
    finally:
        drop_database(name)


@pytest.fixture
def owner_conn(rylie_url: str) -> Iterator[psycopg.Connection[Any]]:
    """A connection acting as the (non-superuser) table owner: RLS applies to it."""
    with psycopg.connect(rylie_url, autocommit=True) as conn:
        conn.execute(sql.SQL("SET ROLE {}").format(sql.Identifier(OWNER)))
        yield conn


@pytest.fixture
def admin_conn(rylie_url: str) -> Iterator[psycopg.Connection[Any]]:
    """A superuser connection for looking at every tenant's rows (bypasses RLS)."""
    with psycopg.connect(rylie_url, autocommit=True) as conn:
        yield conn
