"""Throwaway databases on the test server, importable from any test as `pg_fixtures`.

(A plain `from conftest import ...` is unreliable: every test folder may have a conftest.py,
and only one module can be called `conftest`.)
"""

from __future__ import annotations

import os
import uuid

import psycopg
from psycopg import sql

LOCAL_URL = "postgresql://postgres@127.0.0.1:5432/postgres"


def _answers(url: str) -> bool:
    try:
        psycopg.connect(url, connect_timeout=3).close()
    except psycopg.OperationalError:
        return False
    return True


def _embedded_url() -> str:
    """The embedded PostgreSQL 16 (pgserver), shared by every xdist worker of this machine."""
    import tempfile
    import warnings
    from pathlib import Path

    with warnings.catch_warnings():  # platformdirs warns when XDG_RUNTIME_DIR is unset
        warnings.simplefilter("ignore")
        import pgserver

        pgdata = Path(tempfile.gettempdir()) / "slipway-test-pg16"
        server = pgserver.get_server(pgdata, cleanup_mode=None)  # type: ignore[attr-defined]
    # Client tools (pg_dump, psql) must match the server's major version: use the wheel's own.
    tools = Path(pgserver.__file__).parent / "pginstall" / "bin"
    os.environ["PATH"] = f"{tools}{os.pathsep}{os.environ.get('PATH', '')}"
    return str(server.get_uri(database="postgres"))


def _admin_url() -> str:
    """SLIPWAY_TEST_URL, else the local server on 127.0.0.1:5432, else the embedded server
    (SLIPWAY_TEST_EMBEDDED=1 asks for the embedded one even when the local server answers)."""
    explicit = os.environ.get("SLIPWAY_TEST_URL")
    if explicit:
        return explicit
    if os.environ.get("SLIPWAY_TEST_EMBEDDED") != "1" and _answers(LOCAL_URL):
        return LOCAL_URL
    return _embedded_url()


ADMIN_URL = _admin_url()
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
        exists = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", (TEMPLATE,)
        ).fetchone()
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
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


def skip_without_extension(name: str) -> None:
    """Skip the calling test when the server cannot install extension `name` (the embedded
    PostgreSQL ships no contrib extensions)."""
    import pytest

    with admin() as conn:
        found = conn.execute(
            "SELECT 1 FROM pg_available_extensions WHERE name = %s", (name,)
        ).fetchone()
    if not found:
        pytest.skip(f"the server at {ADMIN_URL} has no {name} extension (contrib)")
