"""VIN check digits and the per-value checks (pure, no database)."""

from __future__ import annotations

import pytest

from slipway.feeds.checks import DbType, _Bad, compile_check, json_text
from slipway.feeds.mapping import ColumnSpec
from slipway.feeds.vin import check_digit, vin_problem, with_check_digit


@pytest.mark.parametrize("vin", ["1HGCM82633A004352", "11111111111111111", "1M8GDM9AXKP042788"])
def test_known_valid_vins(vin: str) -> None:
    assert vin_problem(vin) is None


@pytest.mark.parametrize(
    ("vin", "reason"),
    [
        ("1HGCM82643A004352", "VIN check digit is '4', expected '3'"),
        ("1HGCM82633A00435", "VIN must have 17 characters, not 16"),
        ("1HGCM8263IA004352", "VIN contains 'I'"),
        ("1HGCM82633A00435Q", "VIN contains 'Q'"),
    ],
)
def test_bad_vins_say_why(vin: str, reason: str) -> None:
    problem = vin_problem(vin)
    assert problem is not None and problem.startswith(reason)


def test_with_check_digit_makes_valid_vins_and_x_means_ten() -> None:
    fixed = with_check_digit("1M8GDM9A0KP042788")
    assert fixed == "1M8GDM9AXKP042788" and check_digit(fixed) == "X"


def check(kind: str, db: DbType | None = None, **spec: object) -> object:
    made = compile_check(ColumnSpec("c", ("C",), kind=kind, **spec), db, 2026)  # type: ignore[arg-type]
    assert made is not None
    return made


def test_vin_check_upper_cases_and_returns_same_object_when_canonical() -> None:
    vin = check("vin")
    value = "1HGCM82633A004352"
    assert vin(value) is value  # type: ignore[operator]
    assert vin("1hgcm82633a004352") == value  # type: ignore[operator]


def test_year_range_is_relative_to_this_year() -> None:
    year = check("year", DbType("integer"), min=1980, max_ahead=2)
    assert year("2028") == "2028"  # type: ignore[operator]
    for bad in ("2029", "1979", "1850"):
        with pytest.raises(_Bad, match="out of range 1980..2028"):
            year(bad)  # type: ignore[operator]


def test_int_accepts_thousands_separators_and_rejects_words() -> None:
    mileage = check("int", DbType("integer"), min=0)
    assert mileage("45,120") == "45120"  # type: ignore[operator]
    with pytest.raises(_Bad, match="not a whole number"):
        mileage("45k")  # type: ignore[operator]
    with pytest.raises(_Bad, match="too large"):
        check("int", DbType("smallint"))("40000")  # type: ignore[operator]


def test_number_accepts_dealer_formats_within_precision() -> None:
    price = check("number", DbType("numeric(12,2)", precision=12, scale=2), min=0)
    assert price("24995.00") == "24995.00"  # type: ignore[operator]
    assert price("$24,995") == "24995"  # type: ignore[operator]
    with pytest.raises(_Bad, match="not a number"):
        price("call for price")  # type: ignore[operator]
    with pytest.raises(_Bad, match="too large for the column"):
        price("12345678901")  # type: ignore[operator]
    with pytest.raises(_Bad, match="out of range"):
        price("-5")  # type: ignore[operator]


def test_list_canonicalises_only_odd_values() -> None:
    items = check("list", separator=",")
    plain = "Sunroof, Heated Seats,Navigation"
    assert items(plain) is plain  # type: ignore[operator]
    assert items(",Sunroof,,  Heated Seats ,") == "Sunroof,Heated Seats"  # type: ignore[operator]
    assert items('"Premium" Audio') == '\\"Premium\\" Audio'  # type: ignore[operator]
    assert items("Sunroof ,Heated Seats , Navigation") == "Sunroof,Heated Seats,Navigation"  # type: ignore[operator]


def test_text_checks_only_when_the_column_is_limited() -> None:
    assert compile_check(ColumnSpec("c", ("C",)), DbType("text"), 2026) is None
    short = compile_check(
        ColumnSpec("c", ("C",)), DbType("character varying(3)", max_length=3), 2026
    )
    assert short is not None and short("abc") == "abc"
    with pytest.raises(_Bad, match="longer than 3"):
        short("abcd")


def test_json_text_escapes_only_when_needed() -> None:
    value = "North lot"
    assert json_text(value) is value
    assert json_text('a "b"\\c\x01') == 'a \\"b\\"\\\\c\\u0001'
