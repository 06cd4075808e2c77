"""Throwaway databases on the test server, importable from any test as `pg_fixtures`.

(A plain `from conftest import ...` is unreliable: every test folder may have a conftest.py,
and only one module can be called `conftest`.)
"""

from __future__ import annotations

import os
import uuid

import psycopg
from psycopg import sql

ADMIN_URL = os.environ.get("SLIPWAY_TEST_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
TEMPLATE = "slipway_test_template"


def url_for(dbname: str) -> str:
    """The admin URL pointed at another database on the same server."""
    info = psycopg.conninfo.conninfo_to_dict(ADMIN_URL)
    info["dbname"] = dbname
    return psycopg.conninfo.make_conninfo(**{k: str(v) for k, v in info.items() if v is not None})


def admin() -> psycopg.Connection[tuple[object, ...]]:
    return psycopg.connect(ADMIN_URL, autocommit=True)


def ensure_template() -> None:
    with admin() as conn:
        # Serialise template creation across xdist workers.
        conn.execute("SELECT pg_advisory_lock(727272)")
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (TEMPLATE,)).fetchone()
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(TEMPLATE)))
        conn.execute("SELECT pg_advisory_unlock(727272)")


def create_database(prefix: str = "t") -> str:
    name = f"slipway_{prefix}_{uuid.uuid4().hex[:12]}"
    with admin() as conn:
        conn.execute(
            sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                sql.Identifier(name), sql.Identifier(TEMPLATE)
            )
        )
    return name


def drop_database(name: str) -> None:
    with admin() as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
