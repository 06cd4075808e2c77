"""Caps on the length of a feed line and of a field: one huge line costs linear time, bounded
memory and one row error, never a traceback.

A record over a cap reaches RowConverter as a `Refused` row (no fields, only the reason),
which reports it as the row's error. The split path (no quotes) counts characters per line
while it reads blocks; the csv path reads physical lines with a capped readline and lets the
csv module enforce the field cap.
"""

from __future__ import annotations

import csv
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TextIO

DEFAULT_MAX_LENGTH = 1 << 20  # 1 MiB of characters: far above any real feed line
_READ = 1 << 20


@dataclass(frozen=True)
class Limits:
    """`[feed] max_line_length` and `max_field_length` of a mapping, in characters."""

    max_line: int = DEFAULT_MAX_LENGTH
    max_field: int = DEFAULT_MAX_LENGTH


NO_LIMITS = Limits()  # the defaults (the name reads at call sites: no mapping, no caps set)


class Refused(list[str]):
    """A record refused before its fields are checked (too long, or the wrong width for a
    packed header): no fields, only why. RowConverter reports it as the row's error."""

    def __init__(self, reason: str, value: str = "") -> None:
        super().__init__()
        self.reason, self.value = reason, value


def line_too_long(length: int, limit: int) -> Refused:
    return Refused(f"line is {length} characters long, over the limit of {limit} "
                     "(max_line_length in the mapping's [feed])")  # fmt: skip


def field_too_long(limit: int) -> Refused:
    return Refused(f"a field is over the limit of {limit} characters "
                     "(max_field_length in the mapping's [feed])")  # fmt: skip


class Carry:
    """The unfinished last line of the blocks read so far, kept as parts (joining only once
    it ends, so a long line is not copied again per block); past the cap only its length."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.parts: list[str] = []
        self.size = 0

    def add(self, text: str) -> None:
        self.size += len(text)
        if self.size <= self.limit:
            self.parts.append(text)
        else:
            self.parts.clear()

    def take(self, end: str) -> str | int:
        """The finished line (its parts and `end`), or its length when it went over the cap."""
        self.add(end)
        size, parts = self.size, self.parts
        self.parts, self.size = [], 0
        return "".join(parts) if size <= self.limit else size


def mark_oversized(lines: list[str], rows: list[list[str]], head: str | int,
                   limits: Limits) -> None:  # fmt: skip
    """Replace the rows (and lines) over a cap by Refused ones; `head` is the first line or
    its length when the carry went over. One C-level max() when nothing is long."""
    if isinstance(head, int):
        rows[0], lines[0] = line_too_long(head, limits.max_line), ""
    cap = min(limits.max_line, limits.max_field)
    if max(map(len, lines)) <= cap:
        return
    for i, line in enumerate(lines):
        if len(line) > limits.max_line:
            rows[i], lines[i] = line_too_long(len(line), limits.max_line), ""
        elif len(line) > limits.max_field and max(map(len, rows[i])) > limits.max_field:
            rows[i], lines[i] = field_too_long(limits.max_field), ""


class CappedLines:
    """The physical lines of `text` for the csv module, each at most `limit` characters: a
    longer one is read on in bounded pieces, recorded in `over` (line number, length) and
    passed on as an empty line, so the record holding it can be reported. NUL characters
    are dropped (PostgreSQL text cannot hold them; exports sometimes pad with them)."""

    def __init__(self, first: str, text: TextIO, limit: int, nul: bool = False) -> None:
        self.first, self.text, self.limit, self.nul = first, text, limit, nul
        self.over: deque[tuple[int, int]] = deque()

    def __iter__(self) -> Iterator[str]:
        line, number = self.first, 0
        while line:
            number += 1
            if len(line) - (line[-1:] == "\n") > self.limit:  # reads stop at limit + 1
                self.over.append((number, self._rest(len(line), line)))
                line = "\n"
            yield line.replace("\x00", "") if self.nul else line
            line = self.text.readline(self.limit + 1)

    def _rest(self, size: int, line: str) -> int:
        """Read to the end of an oversized line; its length in characters."""
        while line and line[-1:] != "\n":
            line = self.text.readline(_READ)
            size += len(line)
        return size

    def check(self, row: list[str], last: int, now: int) -> list[str]:
        """`row` (physical lines last+1..now), or an Refused row if one of them was over."""
        found = None
        while self.over and self.over[0][0] <= now:
            found = self.over.popleft()
        if found is None or found[0] <= last:
            return row
        return line_too_long(found[1], self.limit)


def csv_records(lines: CappedLines, delimiter: str, max_field: int) -> tuple[
        list[str] | None, Iterator[tuple[int, list[str]]]]:  # fmt: skip
    """The first non-blank record and the numbered ones after it; a field over `max_field`
    (the csv module's own cap, set per read) is an Refused row."""
    csv.field_size_limit(max_field)
    reader = csv.reader(lines, delimiter=delimiter, quotechar='"', strict=False)

    def read() -> Iterator[tuple[int, list[str]]]:
        last = 0
        while True:
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error:
                row = field_too_long(max_field)
            yield last + 1, lines.check(row, last, reader.line_num)
            last = reader.line_num

    records = read()
    for _, row in records:
        if isinstance(row, Refused) or row and (len(row) > 1 or row[0].strip()):
            return row, records
    return None, records
