"""Every Rylie migration: up lands (verify passes), down restores the schema exactly
(pg_dump before up == pg_dump after down), verify fails after down, and up works again."""

from __future__ import annotations

import difflib

import psycopg
import pytest

from .conftest import migration_files, run_file, schema_dump


def _diff(before: str, after: str) -> str:
    lines = difflib.unified_diff(before.splitlines(), after.splitlines(), "before", "after", lineterm="")
    return "\n".join(list(lines)[:60])


def test_layout_is_complete() -> None:
    files = migration_files()
    versions = [f.version for f in files]
    assert versions[0] == "0000"
    assert versions == sorted(versions) and len(set(versions)) == len(versions)
    for f in files:
        assert f.down.is_file(), f"{f.stem} has no rollback"
        assert f.verify.is_file(), f"{f.stem} has no verify script"
        first = f.up.read_text().splitlines()[0]
        assert first.startswith("-- ") and len(first) > 10, f"{f.stem}: first line must describe it"


def test_up_down_up_restores_schema(db_url: str) -> None:
    before = schema_dump(db_url)
    with psycopg.connect(db_url, autocommit=True) as conn:
        for f in migration_files():
            run_file(conn, f.up)
            run_file(conn, f.verify)
            after_up = schema_dump(db_url)
            assert after_up != before, f"{f.stem} changed nothing"
            run_file(conn, f.down)
            after_down = schema_dump(db_url)
            assert after_down == before, f"{f.stem} down did not restore:\n{_diff(before, after_down)}"
            with pytest.raises(psycopg.errors.RaiseException):
                run_file(conn, f.verify)
            # the schema is back to `before`, so a second up must land again (same schema)
            run_file(conn, f.up)
            run_file(conn, f.verify)
            before = after_up


def test_full_rollback_leaves_empty_schema(db_url: str) -> None:
    empty = schema_dump(db_url)
    files = migration_files()
    with psycopg.connect(db_url, autocommit=True) as conn:
        for f in files:
            run_file(conn, f.up)
        for f in reversed(files):
            run_file(conn, f.down)
    assert schema_dump(db_url) == empty
