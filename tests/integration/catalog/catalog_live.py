"""Helpers for the live catalog tests (a module with a unique name, safe to import anywhere)."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import psycopg

from pg_fixtures import skip_without_extension

HERE = Path(__file__).parent
RICH_SCHEMA = (HERE / "rich_schema.sql").read_text(encoding="utf-8")
READER = "slipway_catalog_reader"  # NOLOGIN role the schema grants to
LOGIN = "slipway_catalog_login"  # plain login role: introspection without superuser

_ROLES = f"""
DO $$
BEGIN
  CREATE ROLE {READER} NOLOGIN;
EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
END $$;
DO $$
BEGIN
  CREATE ROLE {LOGIN} LOGIN NOSUPERUSER NOBYPASSRLS;
EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
END $$;
"""


def _root_conftest() -> ModuleType:
    # `from conftest import ...` could find a sibling conftest.py: load tests/conftest.py by path.
    spec = importlib.util.spec_from_file_location(
        "_slipway_catalog_root_conftest", HERE.parents[1] / "conftest.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_ROOT = _root_conftest()
create_database = _ROOT.create_database
drop_database = _ROOT.drop_database
url_for = _ROOT.url_for


def ensure_roles(conn: psycopg.Connection[tuple[object, ...]]) -> None:
    """Roles are cluster-wide: create them once, tolerate other workers racing us."""
    conn.execute(_ROLES.encode())


def load_rich_schema(url: str) -> None:
    skip_without_extension("pgcrypto")  # rich_schema.sql creates it
    with psycopg.connect(url, autocommit=True) as conn:
        ensure_roles(conn)
        conn.execute(RICH_SCHEMA.encode())
