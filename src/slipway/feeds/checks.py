"""Value checks, compiled once per column: each returns the value (the same object when it
is already canonical) or raises _Bad with the reason a user reads.

A check guarantees that the staging table's SQL conversion of the value cannot fail: ints fit
their column, numbers their precision, list items are JSON-safe. Pure, no I/O.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import asdict, dataclass

from slipway.feeds.mapping import ColumnSpec
from slipway.feeds.vin import vin_problem

_NUMBER = re.compile(r"^-?\d+(?:\.\d+)?$")
_INT_RANGES = {"smallint": 2**15, "integer": 2**31, "bigint": 2**63}
MAX_VALUE_SHOWN = 120


@dataclass(frozen=True)
class DbType:
    """What the target column's SQL type allows (from the catalog), so COPY never fails."""

    name: str
    max_length: int | None = None
    precision: int | None = None
    scale: int | None = None


@dataclass(frozen=True)
class RowError:
    line: int
    column: str | None
    value: str
    reason: str

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


class _Bad(Exception):
    """A value failed its check; the message is the reason shown to the user."""


Check = Callable[[str], str]


def compile_check(spec: ColumnSpec, db: DbType | None, this_year: int) -> Check | None:
    """The function that validates and normalises one non-empty value (None: nothing to check)."""
    if spec.kind == "vin":
        return _vin
    if spec.kind in ("int", "year"):
        high = spec.max
        if spec.kind == "year" and spec.max_ahead is not None:
            high = float(this_year + spec.max_ahead)
        limit = _INT_RANGES.get(db.name if db else "", 2**31)
        return _int_check(spec.min, high, limit)
    if spec.kind == "number":
        digits = (db.precision - (db.scale or 0)) if db and db.precision else None
        return _number_check(spec.min, spec.max, digits)
    if spec.kind == "list":
        return _list_check(spec.separator)
    if db and db.max_length:
        return _length_check(db.max_length)
    return None


def _vin(value: str) -> str:
    vin = value.upper()
    problem = vin_problem(vin)
    if problem:
        raise _Bad(problem)
    return value if vin == value else vin


def _int_check(low: float | None, high: float | None, limit: int) -> Check:
    def check(value: str) -> str:
        text = value
        if not (text.isdigit() and text.isascii()):  # the common case is plain digits
            text = text.replace(",", "")
            digits = text[1:] if text[:1] == "-" else text
            if not (digits.isdigit() and digits.isascii()):
                raise _Bad("not a whole number")
        number = int(text)
        if (low is not None and number < low) or (high is not None and number > high):
            raise _Bad(f"out of range {_fmt(low)}..{_fmt(high)}")
        if not -limit <= number < limit:
            raise _Bad("too large for the column")
        return text

    return check


def _number_check(low: float | None, high: float | None, int_digits: int | None) -> Check:
    limit = 10.0**int_digits if int_digits is not None else None

    def check(value: str) -> str:
        text = value
        if not text[0].isdigit() or "," in text:  # "$24,995" is how dealers write prices
            text = text.replace("$", "").replace(",", "").strip()
        if not _NUMBER.match(text):
            raise _Bad("not a number")
        number = float(text)
        if (low is not None and number < low) or (high is not None and number > high):
            raise _Bad(f"out of range {_fmt(low)}..{_fmt(high)}")
        if limit is not None and abs(number) >= limit:
            raise _Bad("too large for the column")
        return text

    return check


def _list_check(separator: str) -> Check:
    """Lists stay text here; SQL turns `a, b,c` into ["a","b","c"] (see sql.list_expr).

    Only odd spacing (anything but one optional space after a separator), empty items or
    JSON-special characters need work in Python."""
    double, spaced, before = separator * 2, separator + " " + separator, " " + separator

    def check(value: str) -> str:
        if (
            double in value or "  " in value or spaced in value or before in value
            or value[0] == separator or value[-1] == separator
        ):  # fmt: skip
            items = (i.strip() for i in value.split(separator))
            value = separator.join(i for i in items if i)
        if '"' in value or "\\" in value or not value.isprintable():
            value = json.dumps(value, ensure_ascii=False)[1:-1]  # escaped, still one string
        return value

    return check


def json_text(value: str) -> str:
    """Escape what would break a JSON string built around the value in SQL (rare)."""
    if '"' in value or "\\" in value or not value.isprintable():
        return json.dumps(value, ensure_ascii=False)[1:-1]
    return value


def _length_check(limit: int) -> Check:
    def check(value: str) -> str:
        if len(value) > limit:
            raise _Bad(f"longer than {limit} characters")
        return value

    return check


def _fmt(bound: float | None) -> str:
    return "" if bound is None else f"{bound:g}"


def shown(value: str) -> str:
    return value if len(value) <= MAX_VALUE_SHOWN else value[:MAX_VALUE_SHOWN] + "..."
