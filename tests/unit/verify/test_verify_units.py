"""Pure parts of verify: verdict precedence, test-row values, scratch URLs."""

from __future__ import annotations

from pathlib import Path

import pytest

from slipway.catalog.testrows import Column, Table, plain_value
from slipway.catalog.testrows import candidates as _candidates
from slipway.migrations.model import Migration, Script
from slipway.verify.roundtrip import Result, _decide
from slipway.verify.scratch import with_dbname


def _migration(down: bool = True) -> Migration:
    up = Script(Path("0001_x.sql"), "SELECT 1;")
    return Migration(
        "0001", "x", "x", up, Script(Path("0001_x.down.sql"), "SELECT 1;") if down else None
    )


def test_verdict_is_the_worst_thing_that_happened() -> None:
    assert _decide(Result("1", "x"), _migration()).verdict == "ok"
    assert _decide(Result("1", "x"), _migration(down=False)).verdict == "no-rollback"
    failed = _decide(Result("1", "x", verdict="verify-failed", error="boom"), _migration(False))
    assert failed.verdict == "verify-failed" and failed.error == "boom"
    both = _decide(
        Result(
            "1", "x", verdict="verify-failed", error="boom", differences=["index i left behind"]
        ),
        _migration(),
    )
    assert both.verdict == "rollback-incomplete" and both.error is None
    assert both.differences == ["index i left behind", "verify script failed: boom"]
    broken = _decide(
        Result("1", "x", verdict="rollback-failed", error="f.sql:3:1: no", differences=["x"]),
        _migration(),
    )
    assert broken.verdict == "rollback-failed" and broken.error == "f.sql:3:1: no"
    assert Result("7", "y", differences=["a"]).to_dict() == {
        "version": "7",
        "name": "y",
        "verdict": "ok",
        "differences": ["a"],
        "column_order": [],
        "error": None,
    }
    reordered = _decide(
        Result("1", "x", column_order=["column order of t changed: b, a"]), _migration()
    )
    assert reordered.verdict == "ok"  # not counted; --strict-column-order puts it in differences
    empty = _migration()
    empty = Migration("0001", "x", "x", empty.up, Script(Path("0001_x.down.sql"), "-- none\n"))
    left = _decide(Result("1", "x", differences=["table t left behind"]), empty)
    assert left.verdict == "rollback-incomplete"
    assert left.differences == ["the down script is empty (no statement)", "table t left behind"]


def _col(
    name: str, base: str, category: str, length: int | None = None, labels: tuple[str, ...] = ()
) -> Column:
    return Column(name, base, True, False, base, category, labels, length)


def test_values_fit_their_type() -> None:
    assert plain_value(_col("n", "int2", "N"), 999_999) == str(999_999 % 30000 + 1)
    assert plain_value(_col("c", "bpchar", "S", 2), 12345) == "sl"
    assert plain_value(_col("b", "bool", "B"), 1) == "true"
    assert plain_value(_col("e", "mood", "E", labels=("happy", "sad")), 1) == "happy"
    assert plain_value(_col("t", "timestamptz", "D"), 1) == "now"


def test_check_literals_become_candidates() -> None:
    table = Table("public", "t", "r")
    table.checks = {
        "t_status": (("status",), ["new", "active"]),
        "t_score": (("score",), ["90", "95"]),
        "t_len": (("code",), ["17"]),
        "t_magic": (("blob",), ["195"]),
    }
    assert _candidates(table, _col("status", "text", "S"), 1)[:2] == ["new", "active"]
    assert _candidates(table, _col("score", "int4", "N"), 1) == ["90", "95", "91", "96"]
    assert len(_candidates(table, _col("code", "text", "S"), 5)[0]) == 17
    assert _candidates(table, _col("blob", "bytea", "U"), 1)[0] == "\\xc3"
    assert _candidates(table, _col("at", "timestamptz", "D"), 1)[0].startswith("2099")


@pytest.mark.parametrize(
    "url",
    [
        "postgresql://u:secret@h:5433/app?sslmode=require",
        "host=h port=5433 user=u password=secret dbname=app",
    ],
)
def test_scratch_url_keeps_server_and_credentials(url: str) -> None:
    other = with_dbname(url, "slipway_scratch_1")
    assert "dbname=slipway_scratch_1" in other and "host=h" in other and "port=5433" in other
    assert "password=secret" in other and "app" not in other.replace("slipway", "")
