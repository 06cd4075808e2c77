"""Turn a feed file into (line number, fields) records: TSV or CSV, or an email carrying one.

Encoding: a BOM decides (UTF-8 or UTF-16); otherwise UTF-8 if the whole file decodes as
UTF-8, else Windows-1252, else latin-1 (which never fails). The delimiter is sniffed from the
header line. Quoted fields, CRLF and blank lines are handled by the csv module.
"""

from __future__ import annotations

import codecs
import csv
import email
import email.policy
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path
from typing import BinaryIO

from slipway.feeds.errors import FeedRejected

DELIMITERS = ("\t", ",", ";", "|")
FEED_SUFFIXES = (".tsv", ".csv", ".txt", ".tab")
FEED_TYPES = ("text/tab-separated-values", "text/csv", "text/plain")
_CHUNK = 1 << 20
csv.field_size_limit(1 << 24)


@dataclass(frozen=True)
class FeedFile:
    """Where the feed bytes come from (a file, or an email attachment held in memory)."""

    name: str
    opener: Callable[[], BinaryIO]
    encoding: str
    has_nul: bool


def open_feed(path: Path) -> FeedFile:
    """Locate the feed data in `path` (the attachment when it is an email) and its encoding."""
    if not path.is_file():
        raise FeedRejected(f"feed file {path} does not exist")
    name = str(path)
    opener: Callable[[], BinaryIO] = lambda: path.open("rb")  # noqa: E731
    if path.suffix.lower() == ".eml":
        filename, payload = _attachment(path)
        name = f"{path}: {filename}"
        opener = lambda: io.BytesIO(payload)  # noqa: E731
    with opener() as stream:
        encoding, has_nul = sniff_encoding(stream)
    return FeedFile(name=name, opener=opener, encoding=encoding, has_nul=has_nul)


def _attachment(path: Path) -> tuple[str, bytes]:
    """The first TSV/CSV attachment of an email (the stdlib parser does MIME and base64)."""
    with path.open("rb") as fh:
        msg = email.message_from_binary_file(fh, policy=email.policy.default)
    assert isinstance(msg, EmailMessage)
    parts = list(msg.iter_attachments()) if msg.is_multipart() else [msg]
    for part in parts:
        filename = part.get_filename() or ""
        if filename.lower().endswith(FEED_SUFFIXES) or (
            part.get_content_type() in FEED_TYPES[:2]
        ):
            payload = part.get_payload(decode=True)
            if isinstance(payload, bytes):
                return filename or "attachment", payload
    raise FeedRejected(
        f"{path}: the email has no TSV or CSV attachment",
        hint="attach the feed as a .tsv or .csv file",
    )


def sniff_encoding(stream: BinaryIO) -> tuple[str, bool]:
    """The encoding of the whole stream, and whether it contains NUL bytes."""
    head = stream.read(_CHUNK)
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig", b"\x00" in head
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16", False
    has_nul = False
    for encoding in ("utf-8", "cp1252"):
        stream.seek(0)
        ok, has_nul = _decodes(stream, encoding)
        if ok:
            return encoding, has_nul
    return "latin-1", has_nul


def _decodes(stream: BinaryIO, encoding: str) -> tuple[bool, bool]:
    """Whether the rest of `stream` decodes as `encoding`, and whether it holds NUL bytes."""
    decoder = codecs.getincrementaldecoder(encoding)()
    has_nul = False
    while True:
        chunk = stream.read(_CHUNK)
        has_nul = has_nul or b"\x00" in chunk
        try:
            decoder.decode(chunk, not chunk)
        except UnicodeDecodeError:
            return False, has_nul
        if not chunk:
            return True, has_nul


def sniff_delimiter(header_line: str) -> str:
    """The delimiter used most in the header line (tab wins ties: the seed's format)."""
    counts = [(header_line.count(d), -i, d) for i, d in enumerate(DELIMITERS)]
    best = max(counts)
    return best[2] if best[0] else "\t"


def records(feed: FeedFile) -> Iterator[tuple[int, list[str]]]:
    """(first line number, fields) for every non-blank record; the header comes first."""
    with feed.opener() as raw:
        text = io.TextIOWrapper(raw, encoding=feed.encoding, newline="")
        first = text.readline()
        lines: Iterator[str] = _chain_first(first, text)
        if feed.has_nul:
            lines = (line.replace("\x00", "") for line in lines)
        reader = csv.reader(lines, delimiter=sniff_delimiter(first), quotechar='"', strict=False)
        last = 0
        for row in reader:
            start, last = last + 1, reader.line_num
            if row and (len(row) > 1 or row[0].strip()):
                yield start, row


def _chain_first(first: str, rest: io.TextIOWrapper) -> Iterator[str]:
    yield first
    yield from rest
