"""The Rylie schema installed by an ordinary (non-superuser) owner, as in production: FORCE
ROW LEVEL SECURITY then binds the owner too, and the seed and maintenance still work."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import psycopg
import pytest
from psycopg import sql

from pg_fixtures import ADMIN_URL, drop_database, url_for

from .conftest import apply_all


@pytest.fixture(scope="module")
def owner_url(pg_server: str) -> Iterator[str]:
    suffix = uuid.uuid4().hex[:10]
    role, dbname = f"rylie_owner_{suffix}", f"slipway_rylie_owner_{suffix}"
    with psycopg.connect(ADMIN_URL, autocommit=True) as admin:
        # as in production, a DBA creates the cluster-wide application role once; 0000 only
        # creates it when missing, which would need CREATEROLE
        admin.execute("""DO $$ BEGIN CREATE ROLE rylie_app NOLOGIN;
                         EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$""")
        admin.execute(
            sql.SQL("CREATE ROLE {} LOGIN NOSUPERUSER NOBYPASSRLS").format(sql.Identifier(role))
        )
        admin.execute(
            sql.SQL("CREATE DATABASE {} OWNER {} TEMPLATE template0").format(
                sql.Identifier(dbname), sql.Identifier(role)
            )
        )
    url = psycopg.conninfo.make_conninfo(url_for(dbname), user=role)
    try:
        apply_all(url, seed=True)
        yield url
    finally:
        drop_database(dbname)
        with psycopg.connect(ADMIN_URL, autocommit=True) as admin:
            admin.execute(sql.SQL("DROP ROLE {}").format(sql.Identifier(role)))


def test_forced_rls_binds_the_owner(owner_url: str) -> None:
    with psycopg.connect(owner_url) as conn:
        assert conn.execute(
            "SELECT rolsuper FROM pg_roles WHERE rolname = current_user"
        ).fetchone() == (False,)
        assert conn.execute("SELECT count(*) FROM conversations").fetchone() == (0,)
        assert conn.execute("SELECT count(*) FROM dealerships").fetchone() == (
            3,
        )  # registry: not forced
        conn.execute("SELECT set_config('app.current_dealership_id', '2', true)")
        rows = conn.execute("SELECT DISTINCT dealership_id FROM conversations").fetchall()
        assert rows == [(2,)]


def test_cleanup_reaches_every_tenant_without_bypassrls(owner_url: str) -> None:
    with psycopg.connect(owner_url) as conn:
        assert conn.execute("SELECT cleanup_expired_jwt_tokens()").fetchone() == (6,)
        conn.execute("SELECT set_config('app.current_dealership_id', '1', true)")
        assert conn.execute(
            "SELECT count(*) FROM jwt_tokens WHERE expires_at < now()"
        ).fetchone() == (0,)
        conn.rollback()


def test_summaries_need_a_role_that_sees_every_tenant(owner_url: str) -> None:
    """Documented limit: refreshed by a plain owner with no tenant set, the cross-tenant
    summaries are empty; refresh them as a BYPASSRLS maintenance role."""
    with psycopg.connect(owner_url) as conn:
        conn.execute("REFRESH MATERIALIZED VIEW CONCURRENTLY monthly_usage_summary")
        assert conn.execute("SELECT count(*) FROM monthly_usage_summary").fetchone() == (0,)
        conn.rollback()
