"""The bulk fast path: check a whole block of clean rows column by column, in C where possible.

A block of a quote-free file (a few thousand lines) is accepted here only when every check
passes in bulk: no escaping needed, no stray spaces, no blank or short lines, every value
already canonical, identities present and new. Then its COPY text is the raw lines with a
prefix. Anything else returns None and the block goes row by row through RowConverter,
which gives the same result for clean rows and the precise error for bad ones.
"""

from __future__ import annotations

import re
import sys
from array import array
from collections.abc import Callable
from operator import itemgetter

from slipway.feeds.checks import DbType
from slipway.feeds.header import HeaderPlan
from slipway.feeds.mapping import ColumnSpec
from slipway.feeds.rows import RowConverter
from slipway.feeds.vin import VALUES, WEIGHTS

Bulk = Callable[[list[str]], bool]
_VINS = re.compile(r"(?:[A-HJ-NPR-Z0-9]{17})?(?:\n(?:[A-HJ-NPR-Z0-9]{17})?)*")
_INT_DIGITS = {"smallint": 4, "integer": 9, "bigint": 18}


def compile_bulk(spec: ColumnSpec, db: DbType | None, this_year: int) -> Bulk | None:
    """A check of one column's values in a block: True when all are valid and canonical."""
    if spec.kind == "vin":
        return _vins
    if spec.kind in ("int", "year"):
        high = spec.max
        if spec.kind == "year" and spec.max_ahead is not None:
            high = float(this_year + spec.max_ahead)
        digits = _INT_DIGITS.get(db.name if db else "", 9)
        return _ints(re.compile(rf"\d{{0,{digits}}}(?:\n\d{{0,{digits}}})*"), spec.min, high)
    if spec.kind == "number":
        whole = (db.precision - (db.scale or 0)) if db and db.precision else 30
        one = rf"(?:\d{{1,{whole}}}(?:\.\d+)?)?"
        return _numbers(re.compile(rf"{one}(?:\n{one})*"), spec.min, spec.max)
    if spec.kind == "list":
        return _lists(spec.separator)
    if db and db.max_length:
        limit = db.max_length
        return lambda values: max(map(len, values)) <= limit
    return None


def _vins(values: list[str]) -> bool:
    if not _VINS.fullmatch("\n".join(values)):
        return False
    vins = "".join(values)  # the empty ones (stock-number rows) vanish here
    return vins[8::17] == check_digits(vins)


_TO_VALUES = bytes.maketrans("".join(VALUES).encode(), bytes(VALUES.values()))


def check_digits(vins: str) -> str:
    """The check digit of each VIN in `vins` (17-character VINs, concatenated), computed for
    all of them at once: position i of every VIN becomes one 16-bit lane of a big integer,
    so the weighted sums are 17 big-integer multiply-adds instead of 17 steps per VIN."""
    count = len(vins) // 17
    values = vins.encode("ascii").translate(_TO_VALUES)
    lane = bytearray(2 * count)
    total = 0
    for position, weight in enumerate(WEIGHTS):
        if weight:
            lane[0::2] = values[position::17]
            total += weight * int.from_bytes(lane, "little")
    sums = array("H", total.to_bytes(2 * count, "little"))  # each at most 9 * 89 = 801
    if sys.byteorder == "big":
        sums.byteswap()
    return "".join(["0123456789X"[s % 11] for s in sums])


def _ints(pattern: re.Pattern[str], low: float | None, high: float | None) -> Bulk:
    def bulk(values: list[str]) -> bool:
        if not pattern.fullmatch("\n".join(values)):
            return False
        numbers = [int(v) for v in values if v]
        if not numbers:
            return True
        return (low is None or min(numbers) >= low) and (high is None or max(numbers) <= high)

    return bulk


def _numbers(pattern: re.Pattern[str], low: float | None, high: float | None) -> Bulk:
    def bulk(values: list[str]) -> bool:
        if not pattern.fullmatch("\n".join(values)):
            return False  # also refuses "-", "$" and "," (the row path normalises those)
        if (low is None or low <= 0) and high is None:
            return True
        numbers = [float(v) for v in values if v]
        return not numbers or (
            (low is None or min(numbers) >= low) and (high is None or max(numbers) <= high)
        )

    return bulk


def _lists(sep: str) -> Bulk:
    """Joined by the separator itself, the non-empty values show an item that is empty (or a
    value that starts or ends with a separator) as a doubled separator: three searches cover
    what the row check looks for (values never start or end with a space: _clean_text)."""
    double, before = sep * 2, " " + sep  # sep + " " + sep holds " " + sep

    def bulk(values: list[str]) -> bool:
        joined = sep.join(filter(None, values))
        return not (
            '"' in joined or double in joined or before in joined or "  " in joined
            or joined.startswith(sep) or joined.endswith(sep)
        )  # fmt: skip

    return bulk


def _json_safe(values: list[str]) -> bool:
    return '"' not in "\n".join(values)  # backslashes and controls are refused per block


_PRINTABLE = bytes(range(32, 127)) + b"\t\n"


def _printable(text: str) -> bool:
    """No control characters (tabs and newlines aside); ASCII text is checked in C at once."""
    if text.isascii():
        return not text.encode("ascii").translate(None, _PRINTABLE)
    return text.replace("\t", "").replace("\n", "").isprintable()


class BlockConverter:
    """Wraps a RowConverter; converts a whole clean block at once or declines."""

    def __init__(self, conv: RowConverter, plan: HeaderPlan, db_types: dict[str, DbType],
                 this_year: int) -> None:  # fmt: skip
        self.conv = conv
        self.width = plan.width
        checks: dict[int, Bulk] = {}
        self.usable = True
        for b in plan.bound:
            bulk = compile_bulk(b.spec, db_types.get(b.spec.name), this_year)
            for pos in b.sources if bulk else ():
                checks.setdefault(pos, bulk)  # type: ignore[arg-type]
        for pos, _ in plan.unknown if any(s.kind == "extra" for s in conv.staged) else ():
            checks[pos] = _json_safe
        self._checks = [(itemgetter(pos), bulk) for pos, bulk in sorted(checks.items())]
        self._required = [itemgetter(b.sources[0]) for b in plan.bound
                          if b.spec.required and len(b.sources) == 1]  # fmt: skip
        self.usable = all(len(b.sources) == 1 for b in plan.bound if b.spec.required)
        self._keys = [
            itemgetter(*b.sources) if len(b.sources) == 1 else None for b in plan.identity
        ]
        self.usable = self.usable and all(k is not None for k in self._keys)

    def convert(self, start: int, lines: list[str], rows: list[list[str]],
                delimiter: str = "\t") -> str | None:  # fmt: skip
        """The COPY text of the block, or None when some row needs the row-by-row path.
        COPY reads tab-separated text: another delimiter becomes a tab (exact, as the rows
        were split on it), unless a field holds a tab, which the row path escapes."""
        if not self.usable or not rows:
            return None
        text = "\n".join(lines)
        if delimiter != "\t":
            if "\t" in text:
                return None
            text = text.replace(delimiter, "\t")
            lines = text.split("\n")
        if not self._clean_text(text):
            return None
        if set(map(len, rows)) != {self.width}:
            return None
        for getter, bulk in self._checks:
            if not bulk(list(map(getter, rows))):
                return None
        if not all(all(map(getter, rows)) for getter in self._required):
            return None
        keys = self._identities(start, rows)
        if keys is None:
            return None
        self.conv.good_rows += len(rows)
        return "".join([f"{k}\tt\t{line}\n" for k, line in zip(keys, lines)])

    def _clean_text(self, text: str) -> bool:
        """No escaping needed, no stray spaces, no control characters (a blank line has the
        wrong width, unless rows are one field wide). A space next to a tab or a line end is
        two searches once tabs read as line ends (a search for two characters is slow; for
        one, or replacing one, it is fast)."""
        ends = text.replace("\t", "\n")
        return not (
            "\\" in text or "\r" in text or " \n" in ends or "\n " in ends
            or text[:1] in (" ", "") or text[-1:] == " " or (self.width == 1 and "\n\n" in text)
            or not _printable(text)
        )  # fmt: skip

    def _identities(self, start: int, rows: list[list[str]]) -> list[int] | None:
        """Each row's `_key` (see RowConverter), its identity registered as seen; None on any doubt
        (a row without identity, or a value seen before: the row path reports those)."""
        seen, numbers = self.conv._seen, self.conv.key_numbers
        first = self._keys[0]
        assert first is not None
        values = list(map(first, rows))
        if all(values):  # the usual case: every row has a VIN
            return [numbers[0]] * len(rows) if _register(seen[0], values, start) else None
        keys: list[int] = []
        found: list[list[tuple[str, int]]] = [[] for _ in seen]  # per key: (value, line)
        for line, row in enumerate(rows, start):
            for number, getter in enumerate(self._keys):
                value = getter(row)  # type: ignore[misc]
                if value:
                    keys.append(numbers[number])
                    found[number].append((value, line))
                    break
            else:
                return None
        for number, pairs in enumerate(found):
            values = [v for v, _ in pairs]
            if not seen[number].keys().isdisjoint(values) or len(set(values)) != len(values):
                return None
        for number, pairs in enumerate(found):
            seen[number].update(pairs)
        return keys


def _register(seen: dict[str, int], values: list[str], start: int) -> bool:
    """Record `values` (lines start...) as seen unless one was seen before or repeats."""
    if not seen.keys().isdisjoint(values):
        return False
    size = len(seen)
    seen.update(zip(values, range(start, start + len(values))))
    if len(seen) == size + len(values):
        return True
    for value in values:  # a value repeats within the block: take them all back
        seen.pop(value, None)
    return False
