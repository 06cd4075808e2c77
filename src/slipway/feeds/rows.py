"""Check and convert feed rows into lines of PostgreSQL COPY text, in one pass.

Pure and hot: a million rows go through `RowConverter.convert`, so each column is compiled
once into a small function and the common case (no escaping needed) takes the fast path.
Bad values never raise out of here: they become RowError records and the row is skipped.
"""

from __future__ import annotations

import datetime
import json
import re
from collections.abc import Callable
from dataclasses import asdict, dataclass

from slipway.feeds.header import HeaderPlan
from slipway.feeds.mapping import ColumnSpec
from slipway.feeds.vin import vin_problem

_NUMBER = re.compile(r"^-?\d+(?:\.\d+)?$")
_INT_RANGES = {"smallint": 2**15, "integer": 2**31, "bigint": 2**63}
_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
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

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


class _Bad(Exception):
    """A value failed its check; the message is the reason shown to the user."""


Check = Callable[[str], str]


def compile_check(spec: ColumnSpec, db: DbType | None, this_year: int) -> Check:
    """The function that validates and normalises one non-empty value of `spec`."""
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
    return str


def _vin(value: str) -> str:
    vin = value.upper()
    problem = vin_problem(vin)
    if problem:
        raise _Bad(problem)
    return vin


def _int_check(low: float | None, high: float | None, limit: int) -> Check:
    def check(value: str) -> str:
        text = value.replace(",", "") if "," in value else value
        digits = text[1:] if text[:1] == "-" else text
        if not (digits.isascii() and digits.isdigit()):
            raise _Bad("not a whole number")
        number = int(text)
        if (low is not None and number < low) or (high is not None and number > high):
            raise _Bad(f"out of range {_fmt(low)}..{_fmt(high)}")
        if not -limit <= number < limit:
            raise _Bad("too large for the column")
        return text

    return check


def _number_check(low: float | None, high: float | None, int_digits: int | None) -> Check:
    def check(value: str) -> str:
        text = value
        if not text[0].isdigit() or "," in text:  # "$24,995" is how dealers write prices
            text = text.replace("$", "").replace(",", "").strip()
        if not _NUMBER.match(text):
            raise _Bad("not a number")
        number = float(text)
        if (low is not None and number < low) or (high is not None and number > high):
            raise _Bad(f"out of range {_fmt(low)}..{_fmt(high)}")
        if int_digits is not None and len(text.split(".")[0].lstrip("-").lstrip("0")) > int_digits:
            raise _Bad("too large for the column")
        return text

    return check


def _list_check(separator: str) -> Check:
    def check(value: str) -> str:
        items = [i.strip() for i in value.split(separator)]
        items = [i for i in items if i]
        if value.isprintable() and '"' not in value and "\\" not in value:
            return '["' + '","'.join(items) + '"]' if items else "[]"
        return json.dumps(items, ensure_ascii=False)

    return check


def _length_check(limit: int) -> Check:
    def check(value: str) -> str:
        if len(value) > limit:
            raise _Bad(f"longer than {limit} characters")
        return value

    return check


def _fmt(bound: float | None) -> str:
    return "" if bound is None else f"{bound:g}"


def _shown(value: str) -> str:
    return value if len(value) <= MAX_VALUE_SHOWN else value[:MAX_VALUE_SHOWN] + "..."


class RowConverter:
    """Feed rows in, COPY lines out; errors and duplicate identities collected on the side.

    Staging columns: `_key` (which identity key matched, 1-based), `_ok` (false for a bad row
    kept only so a full feed does not deactivate it), the bound columns, then the extra column.
    """

    def __init__(
        self,
        plan: HeaderPlan,
        db_types: dict[str, DbType],
        extra_column: str | None = None,
        this_year: int | None = None,
        keep_seen: bool = False,
    ) -> None:
        year = this_year or datetime.date.today().year
        self.plan = plan
        self.keep_seen = keep_seen  # full feed: stage bad rows' identities so they stay active
        self.width = plan.width
        self.errors: list[RowError] = []
        self.bad_rows = 0
        self.good_rows = 0
        self._seen: dict[tuple[int, str], int] = {}
        self._programs = [
            (b.sources[0], b.sources[1:], compile_check(b.spec, db_types.get(b.spec.name), year),
             b.header, b.spec.required, "[]" if b.spec.kind == "list" else "")
            for b in plan.bound
        ]  # fmt: skip
        names = plan.columns
        self._key_slots = [names.index(b.spec.name) for b in plan.identity]
        self._key_headers = "/".join(b.header for b in plan.identity)
        self._unknown = plan.unknown if extra_column else ()
        self.columns = ["_key", "_ok", *names] + ([extra_column] if self._unknown else [])
        self._tabs = len(self.columns) - 1

    def convert(self, line: int, row: list[str]) -> str | None:
        """The COPY line for a good row; None (and errors recorded) for a bad one."""
        if len(row) != self.width:
            self._error(line, None, f"{len(row)} fields", f"row has {len(row)} fields, the header has {self.width}")
            return None
        fields: list[str] = []
        problems: list[RowError] = []
        for pos, alternatives, check, header, required, empty in self._programs:
            value = row[pos].strip()
            if not value and alternatives:
                value = next((v for v in (row[a].strip() for a in alternatives) if v), "")
            if value:
                try:
                    value = check(value)
                except _Bad as bad:
                    problems.append(RowError(line, header, _shown(value), str(bad)))
                    value = ""
            elif required:
                problems.append(RowError(line, header, "", "required value is empty"))
            fields.append(value or empty)
        return self._finish(line, fields, problems, row)

    def _finish(self, line: int, fields: list[str], problems: list[RowError], row: list[str]) -> str | None:
        key = next((i for i, slot in enumerate(self._key_slots) if fields[slot]), -1)
        first = line
        if key < 0:
            if not any(p.column in self._key_headers.split("/") for p in problems):
                problems.append(RowError(line, self._key_headers, "", "no identity value (all empty)"))
        else:
            ident = (key, fields[self._key_slots[key]])
            first = self._seen.setdefault(ident, line)
            if first != line and not problems:
                problems.append(RowError(line, self._key_headers, ident[1], f"duplicate of line {first}"))
        if problems:
            self.errors.extend(problems)
            self.bad_rows += 1
            if self.keep_seen and key >= 0 and first == line:
                kept = ["" for _ in fields]
                kept[self._key_slots[key]] = fields[self._key_slots[key]]
                kept += [""] if self._unknown else []
                return f"{key + 1}\tf\t" + "\t".join(f.translate(_ESCAPES) for f in kept) + "\n"
            return None
        self.good_rows += 1
        if self._unknown:
            extras = {h: v for h, v in ((h, row[p].strip()) for p, h in self._unknown) if v}
            fields.append(json.dumps(extras, ensure_ascii=False))
        text = f"{key + 1}\tt\t" + "\t".join(fields)
        if text.count("\t") != self._tabs or "\\" in text or "\n" in text or "\r" in text:
            text = f"{key + 1}\tt\t" + "\t".join(f.translate(_ESCAPES) for f in fields)
        return text + "\n"

    def _error(self, line: int, column: str | None, value: str, reason: str) -> None:
        self.errors.append(RowError(line, column, _shown(value), reason))
        self.bad_rows += 1
