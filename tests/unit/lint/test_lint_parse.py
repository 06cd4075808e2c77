"""The ctypes fast path into libpg_query and pglast's own parser agree exactly."""

from __future__ import annotations

import json

import pytest

from slipway.sql import parse

SAMPLES = [
    "CREATE TABLE é (id bigint PRIMARY KEY, note text DEFAULT 'ünï');\nSELECT 1;",
    "CREATE INDEX CONCURRENTLY i ON t (x); -- trailing\n/* block */ DROP TABLE t;",
    "",
]
BROKEN = ["SELECT 'ééé';\nSELECT FROM WHERE;", "CREATE TABLE (", "SELECT 'unterminated"]


def test_fast_parser_is_available() -> None:
    assert parse._ctypes_parser() is not None


@pytest.mark.parametrize("sql", SAMPLES)
def test_same_tree(sql: str) -> None:
    fast, slow = parse._ctypes_parser(), parse._pglast_parser()
    assert fast is not None
    assert json.loads(fast(sql)) == json.loads(slow(sql))


@pytest.mark.parametrize("sql", BROKEN)
def test_same_error_and_position(sql: str) -> None:
    fast, slow = parse._ctypes_parser(), parse._pglast_parser()
    assert fast is not None
    errors = []
    for run in (fast, slow):
        with pytest.raises(parse.SqlSyntaxError) as info:
            run(sql)
        errors.append((info.value.message, info.value.position))
    assert errors[0] == errors[1]
    assert 0 <= errors[0][1] <= len(sql)


PLPGSQL_BROKEN = [
    "CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $$ BEGIN RETRUN 1; END $$;",
    "DO $$ BEGIN PERFORM 1 END $$;",
]


@pytest.mark.parametrize("sql", PLPGSQL_BROKEN)
def test_plpgsql_same_message_on_both_paths(sql: str) -> None:
    fast, slow = parse._ctypes_plpgsql(), parse._pglast_plpgsql()
    assert fast is not None
    messages = []
    for run in (fast, slow):
        with pytest.raises(parse.PlpgsqlError) as info:
            run(sql)
        messages.append(info.value.message)
    assert messages[0] == messages[1]
    fast("DO $$ BEGIN PERFORM 1; END $$;")  # a body that compiles raises nothing
