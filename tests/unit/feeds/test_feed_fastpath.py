"""The bulk fast path must give exactly what the row-by-row path gives, or decline."""

from __future__ import annotations

from pathlib import Path

import pytest

from slipway.feeds.checks import DbType
from slipway.feeds.fastpath import BlockConverter, check_digits
from slipway.feeds.header import plan_header
from slipway.feeds.mapping import load_mapping
from slipway.feeds.rows import RowConverter
from slipway.feeds.sample import HEADER, vehicles
from slipway.feeds.vin import check_digit

MAPPING = (
    Path(__file__).parents[3] / "src" / "slipway" / "examples" / "rylie" / "feeds" / "vehicles.toml"
)
TYPES = {
    "price": DbType("numeric(12,2)", None, 12, 2),
    "msrp": DbType("numeric(12,2)", None, 12, 2),
    "year": DbType("integer"),
    "mileage": DbType("integer"),
}


def converters() -> tuple[RowConverter, BlockConverter]:
    plan = plan_header(load_mapping(MAPPING), list(HEADER), "f")
    rows = RowConverter(plan, TYPES, "extra_attributes", 2026)
    return rows, BlockConverter(rows, plan, TYPES, 2026)


def block(rows: list[list[str]]) -> tuple[int, list[str], list[list[str]]]:
    lines = ["\t".join(r) for r in rows]
    return 2, lines, [line.split("\t") for line in lines]


def test_check_digits_agree_with_the_one_by_one_computation() -> None:
    vins = [r[0] for r in vehicles(3000)]
    assert check_digits("".join(vins)) == "".join(check_digit(v) for v in vins)


def test_clean_block_gives_the_row_paths_output() -> None:
    rows = [r for r in vehicles(400)]
    rows[10][0] = ""  # a stock-number-only vehicle
    slow, _ = converters()
    expected = "".join(slow.convert(n, list(r)) or "" for n, r in enumerate(rows, 2))
    fast_rows, fast = converters()
    assert fast.convert(*block(rows)) == expected
    assert fast_rows.good_rows == 400 and not fast_rows.errors


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("VIN", "1HGCM82643A004352"),
        ("VIN", "1hgcm82633a004352"),
        ("Year", "1850"),
        ("Price", "$24,995"),
        ("Price", "call"),
        ("Mileage", "45k"),
        ("Make", ""),
        ("Make", "Honda "),
        ("Features", "A,,B"),
        ("Features", "A ,B"),
        ("Features", 'A "B"'),
        ("Images", ",x"),
        ("Model", "Acc\\ord"),
        ("DaysOnLot", 'say "hi"'),
        ("Trim", "LX\x01"),
    ],
)
def test_block_with_anything_unusual_is_declined(column: str, value: str) -> None:
    rows = [r for r in vehicles(50)]
    rows[7][HEADER.index(column)] = value
    conv, fast = converters()
    assert fast.convert(*block(rows)) is None
    assert conv.good_rows == 0 and not any(conv._seen)  # nothing registered: the row path redoes it


def test_duplicates_within_and_across_blocks_are_declined() -> None:
    rows = [r for r in vehicles(20)]
    conv, fast = converters()
    assert fast.convert(*block(rows[:10])) is not None
    assert fast.convert(*block(rows[5:15])) is None
    assert fast.convert(*block(rows[10:15] + [rows[11]])) is None
    assert conv.good_rows == 10
    assert fast.convert(*block(rows[10:15])) is not None  # the declined block left nothing behind
    stock = [list(r) for r in rows[15:20]]
    for r in stock:
        r[0] = ""  # stock-number-only vehicles: the per-key path
    assert fast.convert(*block(stock + [stock[2]])) is None
    assert fast.convert(*block(stock)) is not None
    assert fast.convert(*block(stock[1:2])) is None
    assert conv.good_rows == 20
