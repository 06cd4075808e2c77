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
