"""Every Rylie migration: up lands (verify passes), down restores the schema exactly
(pg_dump before up == pg_dump after down), verify fails after down, and up works again."""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import psycopg
import pytest

from pg_fixtures import create_database, drop_database, url_for

from .conftest import migration_files, run_file, schema_dump


def _diff(before: str, after: str) -> str:
    lines = difflib.unified_diff(
        before.splitlines(), after.splitlines(), "before", "after", lineterm=""
    )
    return "\n".join(list(lines)[:60])


@pytest.fixture
def second_db_url(pg_server: str) -> Iterator[str]:
    name = create_database("rylie_rt")
    try:
        yield url_for(name)
    finally:
        drop_database(name)


def test_layout_is_complete() -> None:
    files = migration_files()
    versions = [f.version for f in files]
    assert versions[0] == "0000" and len(files) >= 20
    assert versions == sorted(versions) and len(set(versions)) == len(versions)
    for f in files:
        assert f.down.is_file(), f"{f.stem} has no rollback"
        assert f.verify.is_file(), f"{f.stem} has no verify script"
        first = f.up.read_text().splitlines()[0]
        assert first.startswith("-- ") and len(first) > 10, f"{f.stem}: first line must describe it"


def _dumps_after_each_up(url: str) -> list[str]:
    """dumps[i] is the schema with migrations 0..i-1 applied."""
    dumps = [schema_dump(url)]
    with psycopg.connect(url, autocommit=True) as conn:
        for f in migration_files():
            run_file(conn, f.up)
            run_file(conn, f.verify)
            dumps.append(schema_dump(url))
    return dumps


def _dumps_after_each_down(url: str) -> list[str]:
    """dumps[i] is the schema after up i then down i (with 0..i-1 applied); verify must fail
    after the down, and a second up must land again."""
    dumps = []
    with psycopg.connect(url, autocommit=True) as conn:
        for f in migration_files():
            run_file(conn, f.up)
            run_file(conn, f.down)
            dumps.append(schema_dump(url))
            with pytest.raises(psycopg.errors.RaiseException):
                run_file(conn, f.verify)
            run_file(conn, f.up)
            run_file(conn, f.verify)
    return dumps


def test_up_down_up_restores_schema(db_url: str, second_db_url: str) -> None:
    # two databases in parallel: one records the schema after each up, the other after each
    # up+down; pg_dump dominates the run time, so this halves it
    with ThreadPoolExecutor(2) as pool:
        ups = pool.submit(_dumps_after_each_up, db_url)
        downs = pool.submit(_dumps_after_each_down, second_db_url)
        after_up, after_down = ups.result(), downs.result()
    files = migration_files()
    for i, f in enumerate(files):
        assert after_up[i + 1] != after_up[i], f"{f.stem} changed nothing"
        assert after_down[i] == after_up[i], (
            f"{f.stem} down did not restore:\n{_diff(after_up[i], after_down[i])}"
        )
    # and all the way back: every down in reverse order leaves the empty database
    with psycopg.connect(db_url, autocommit=True) as conn:
        for f in reversed(files):
            run_file(conn, f.down)
    assert schema_dump(db_url) == after_up[0]
