"""Turn a feed file into (line number, fields) records: TSV or CSV, or an email carrying one.

Encoding: a BOM decides (UTF-8 or UTF-16); otherwise UTF-8 if the whole file decodes as
UTF-8, else Windows-1252, else latin-1 (which never fails). The delimiter is sniffed from the
header line. Quoted fields, CRLF and blank lines are handled by the csv module.
"""

from __future__ import annotations

import codecs
import email
import email.policy
import io
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from email.message import EmailMessage
from itertools import chain
from operator import methodcaller
from pathlib import Path
from typing import BinaryIO

from slipway.feeds.errors import FeedRejected
from slipway.feeds.limits import (
    NO_LIMITS,
    CappedLines,
    Carry,
    Limits,
    Refused,
    csv_records,
    mark_oversized,
)

DELIMITERS = ("\t", ",", ";", "|")
FEED_SUFFIXES = (".tsv", ".csv", ".txt", ".tab")
FEED_TYPES = ("text/tab-separated-values", "text/csv", "text/plain")
_CHUNK = 1 << 20


@dataclass(frozen=True)
class FeedFile:
    """Where the feed bytes come from (a file, or an email attachment held in memory)."""

    name: str
    opener: Callable[[], BinaryIO]
    encoding: str
    has_nul: bool
    has_quotes: bool = True  # False: plain split per line is exact (and 3x faster than csv)


def open_feed(path: Path) -> FeedFile:
    """Locate the feed data in `path` (the attachment when it is an email) and its encoding."""
    if not path.is_file():
        raise FeedRejected(f"feed file {path} does not exist")
    name = str(path)
    opener: Callable[[], BinaryIO] = lambda: path.open("rb")
    if path.suffix.lower() == ".eml":
        filename, payload = _attachment(path)
        name = f"{path}: {filename}"
        opener = lambda: io.BytesIO(payload)
    with opener() as stream:
        encoding, has_nul, has_quotes = sniff_encoding(stream)
    return FeedFile(name, opener, encoding, has_nul, has_quotes)


def _attachment(path: Path) -> tuple[str, bytes]:
    """The first TSV/CSV attachment of an email (the stdlib parser does MIME and base64;
    it recurses once per nesting level, so a hostile nesting depth ends its recursion)."""
    try:
        return _find_attachment(path)
    except RecursionError:
        raise FeedRejected(
            f"{path}: the email nests its MIME parts too deeply to read; nothing was imported",
            hint="send the feed as a plain attachment of the message",
        ) from None


def _find_attachment(path: Path) -> tuple[str, bytes]:
    with path.open("rb") as fh:
        msg = email.message_from_binary_file(fh, policy=email.policy.default)
    assert isinstance(msg, EmailMessage)
    parts = list(msg.iter_attachments()) if msg.is_multipart() else [msg]
    for part in parts:
        filename = part.get_filename() or ""
        if filename.lower().endswith(FEED_SUFFIXES) or (part.get_content_type() in FEED_TYPES[:2]):
            payload = part.get_payload(decode=True)
            if isinstance(payload, bytes):
                return filename or "attachment", payload
    raise FeedRejected(
        f"{path}: the email has no TSV or CSV attachment",
        hint="attach the feed as a .tsv or .csv file",
    )


def sniff_encoding(stream: BinaryIO) -> tuple[str, bool, bool]:
    """The encoding of the whole stream; whether it holds NUL bytes; whether it holds quotes."""
    head = stream.read(4)
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16", False, True
    bom = head.startswith(codecs.BOM_UTF8)
    nul = quote = False
    for encoding in ("utf-8",) if bom else ("utf-8", "cp1252"):
        stream.seek(0)
        ok, nul, quote = _decodes(stream, encoding)
        if ok:
            return ("utf-8-sig" if bom else encoding), nul, quote
    return "latin-1", nul, quote


def _decodes(stream: BinaryIO, encoding: str) -> tuple[bool, bool, bool]:
    """Whether the rest of `stream` decodes as `encoding`; NUL bytes seen; quotes seen."""
    decoder = codecs.getincrementaldecoder(encoding)()
    nul = quote = False
    while True:
        chunk = stream.read(_CHUNK)
        nul = nul or b"\x00" in chunk
        quote = quote or b'"' in chunk
        try:
            decoder.decode(chunk, not chunk)
        except UnicodeDecodeError:
            return False, nul, quote
        if not chunk:
            return True, nul, quote


def sniff_delimiter(header_line: str) -> str:
    """The delimiter used most in the header line (tab wins ties: the seed's format)."""
    counts = [(header_line.count(d), -i, d) for i, d in enumerate(DELIMITERS)]
    best = max(counts)
    return best[2] if best[0] else "\t"


@dataclass
class Rows:
    """The header (None when the file is empty) and (first line number, fields) after it.

    Files without quotes also offer `blocks` (first line number, raw lines, split rows) over
    the same records, for the bulk fast path; a reader uses one of the two, never both."""

    header: list[str] | None
    numbered: Iterator[tuple[int, list[str]]]
    blocks: Iterator[Block] | None = None
    delimiter: str = "\t"


Block = tuple[int, list[str], list[list[str]]]


def is_blank(row: list[str]) -> bool:
    return (not row and not isinstance(row, Refused)) or (len(row) == 1 and not row[0].strip())


@contextmanager
def open_rows(feed: FeedFile, limits: Limits = NO_LIMITS) -> Iterator[Rows]:
    """Open the feed for reading. Blank lines come through (as rows of one empty field);
    a line or field over `limits` comes as an Refused row, a header over them is refused."""
    with feed.opener() as raw:
        text = io.TextIOWrapper(
            raw, encoding=feed.encoding, newline=None if not feed.has_quotes else ""
        )
        first = text.readline(limits.max_line + 1)
        delimiter = sniff_delimiter(first)
        if feed.has_quotes:
            lines = CappedLines(first, text, limits.max_line, feed.has_nul)
            rows = _csv_rows(lines, delimiter, limits.max_field)
        else:
            rows = _split_rows(first, text, delimiter, feed.has_nul, limits)
        if isinstance(rows.header, Refused):
            raise FeedRejected(
                f"{feed.name}: the header {rows.header.reason}; nothing was imported"
            )
        yield rows


def _split_rows(first: str, text: io.TextIOWrapper, delimiter: str, nul: bool,
                limits: Limits) -> Rows:  # fmt: skip
    """No quote anywhere: one record per line, fields split on the delimiter."""
    blocks = _split_blocks(first, text, delimiter, nul, limits)
    for start, lines, rows in blocks:
        for i, row in enumerate(rows):
            if not is_blank(row):
                rest = chain([(start + i + 1, lines[i + 1 :], rows[i + 1 :])], blocks)
                return Rows(row, _numbered(rest), rest, delimiter)
    return Rows(None, iter(()), iter(()), delimiter)


def _numbered(blocks: Iterator[Block]) -> Iterator[tuple[int, list[str]]]:
    for start, _, rows in blocks:
        yield from enumerate(rows, start)


def _split_blocks(first: str, text: io.TextIOWrapper, delimiter: str, nul: bool,
                  limits: Limits) -> Iterator[Block]:  # fmt: skip
    """Read big blocks and split them in C: no Python call per line (universal newlines
    already turned CRLF and CR into LF). A line spanning blocks is carried in parts."""
    split = methodcaller("split", delimiter)
    carry, start = Carry(limits.max_line), 1
    for block in chain([first], iter(lambda: text.read(_CHUNK), ""), [""]):
        if nul:
            block = block.replace("\x00", "")
        if block and "\n" not in block:
            carry.add(block)
            continue
        lines = block.split("\n")
        head = carry.take(lines[0])
        if block:
            carry.add(lines.pop())
        lines[0] = head if isinstance(head, str) else ""
        if lines != [""] or isinstance(head, int):
            rows = list(map(split, lines))
            mark_oversized(lines, rows, head, limits)
            yield start, lines, rows
            start += len(lines)


def _csv_rows(lines: CappedLines, delimiter: str, max_field: int) -> Rows:
    header, numbered = csv_records(lines, delimiter, max_field)
    return Rows(header, numbered)


def records(feed: FeedFile, limits: Limits = NO_LIMITS) -> Iterator[tuple[int, list[str]]]:
    """The header then every non-blank record, with line numbers (for tests and tools)."""
    with open_rows(feed, limits) as rows:
        if rows.header is not None:
            yield 0, rows.header
            yield from ((n, r) for n, r in rows.numbered if not is_blank(r))
