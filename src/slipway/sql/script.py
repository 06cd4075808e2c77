"""A SQL text split into located statements: the one statement type of the engine, lint,
the guide and verify.

pglast reports statement spans as UTF-8 byte offsets that start right after the previous
semicolon (leading blank lines and comments included). A Statement keeps that span, the byte
where its first token starts (trivia skipped) and that token's file line:column (1-based,
columns in characters, counting the text's `line_offset`). The engine slices the text in
characters (PostgreSQL's error positions count characters), so the script converts.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

from slipway.sql.classify import StatementRun, is_concurrent, statement_run
from slipway.sql.nodes import Node
from slipway.sql.parse import SqlSyntaxError, parse_statements

__all__ = [
    "MetaCommand",
    "ParsedSql",
    "Statement",
    "line_col",
    "parse_sql",
    "without_meta_commands",
]

_WS = b" \t\r\n\f\v"
_NEWLINE = re.compile(b"\n")
# A psql meta-command: a line starting with a backslash (\set, \connect, \i, ...).
_META = re.compile(r"^[ \t]*(\\[^\n]*)", re.MULTILINE)


@dataclass(repr=False, eq=False, slots=True)
class Statement:
    """One top-level statement: its node type (`kind`), parse tree, and where it is."""

    kind: str
    node: Node
    index: int  # position in the script, from 0
    line: int  # file line and column of its first token
    column: int
    start: int  # byte offset of its first token
    end: int  # byte offset just past it (before its semicolon)
    span_start: int  # byte offset where its span starts (just past the previous semicolon)

    @property
    def concurrent(self) -> bool:
        """CREATE/DROP INDEX, REINDEX or DETACH PARTITION ... CONCURRENTLY."""
        return is_concurrent(self.kind, self.node)

    @property
    def run(self) -> StatementRun:
        """How the engine runs it: in a transaction or not, under the lock timeout or not."""
        return statement_run(self.kind, self.node)

    @property
    def transaction_kind(self) -> str | None:
        """TRANS_STMT_BEGIN, TRANS_STMT_COMMIT, ... for transaction control, else None."""
        if self.kind != "TransactionStmt":
            return None
        return str(self.node.get("kind"))


@dataclass(repr=False, eq=False)
class ParsedSql:
    """A SQL text and its statements; a syntax error is recorded, never raised."""

    text: str
    line_offset: int = 0  # lines before the text in its file (a section of a larger file)
    data: bytes = b""  # the text as UTF-8 (the parse tree's offsets count these bytes)
    statements: list[Statement] = field(default_factory=list)
    error: SqlSyntaxError | None = None
    starts: list[int] = field(default_factory=list)  # byte offset of each line's start

    @property
    def error_line(self) -> int:
        """File line of the syntax error (0 when there is none)."""
        return line_col(self.text, self.error.position)[0] + self.line_offset if self.error else 0

    @property
    def error_column(self) -> int:
        return line_col(self.text, self.error.position)[1] if self.error else 0

    def line_index(self, byte: int) -> int:
        """Newlines before `byte` (0-based line in the text)."""
        if byte < 0:  # pglast's -1 (unknown) keeps slice semantics, from the end
            byte = max(0, len(self.data) + byte)
        return bisect_right(self.starts, byte) - 1

    def locate(self, byte: int) -> tuple[int, int]:
        """File line and column of a byte offset."""
        index = self.line_index(byte)
        start, size = self.starts[index], len(self.data)
        if size == len(self.text):  # ASCII: the line's slice length, without decoding it
            end = min(max(size + byte if byte < 0 else byte, 0), size)
            return index + 1 + self.line_offset, max(end - start, 0) + 1
        # Columns count characters, so only this line's bytes are decoded.
        column = len(self.data[start:byte].decode("utf-8", "replace")) + 1
        return index + 1 + self.line_offset, column

    @cached_property
    def char(self) -> Callable[[int], int]:
        """Byte offset -> character offset in the text."""
        if len(self.data) == len(self.text):
            return _same
        table: list[int] = []
        for index, character in enumerate(self.text):
            table.extend([index] * len(character.encode("utf-8")))
        table.append(len(self.text))
        return lambda byte: table[min(byte, len(table) - 1)]

    def text_of(self, stmt: Statement) -> str:
        """The statement's text (leading comments included, as the engine sends it), stripped."""
        return self.text[self.char(stmt.span_start) : self.char(stmt.end)].strip()

    def first_char(self, stmt: Statement) -> int:
        """Character offset where `text_of(stmt)` starts in the text."""
        start = self.char(stmt.span_start)
        raw = self.text[start : self.char(stmt.end)]
        return start + len(raw) - len(raw.lstrip())


def _same(byte: int) -> int:
    return byte


def line_col(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of a character offset in `text`."""
    offset = max(0, min(offset, len(text)))
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, column


def parse_sql(text: str, line_offset: int = 0) -> ParsedSql:
    """Parse `text` into located statements (a syntax error is recorded in `error`)."""
    data = text.encode("utf-8")
    parsed = ParsedSql(text, line_offset, data)
    parsed.starts = [0, *(m.end() for m in _NEWLINE.finditer(data))]
    try:
        raw = parse_statements(text)
    except SqlSyntaxError as exc:
        parsed.error = exc
        return parsed
    for index, item in enumerate(raw):
        span_start = item.get("stmt_location", 0)
        length = item.get("stmt_len", 0)
        end = span_start + length if length else len(data)
        start = _skip_trivia(data, span_start, end)
        ((kind, node),) = item["stmt"].items()
        line, column = parsed.locate(start)
        parsed.statements.append(Statement(kind, node, index, line, column, start, end, span_start))
    return parsed


@dataclass(frozen=True, slots=True)
class MetaCommand:
    """A psql meta-command line (`\\set x 1`): psql's own syntax, a syntax error to the server."""

    line: int  # file line and column
    column: int
    text: str


def without_meta_commands(
    text: str, line_offset: int = 0
) -> tuple[list[MetaCommand], ParsedSql] | None:
    """The psql meta-commands in `text` and the parse of `text` with them blanked out (same
    lines, same columns); None when it has none."""
    found = list(_META.finditer(text))
    if not found:
        return None
    chars = list(text)
    commands = []
    for match in found:
        start, end = match.span(1)
        chars[start:end] = " " * (end - start)
        line, column = line_col(text, start)
        commands.append(MetaCommand(line + line_offset, column, match.group(1)))
    return commands, parse_sql("".join(chars), line_offset)


def _skip_trivia(data: bytes, pos: int, end: int) -> int:
    """First byte at or after `pos` that is not whitespace or a comment."""
    while pos < end:
        char = data[pos]
        if char in _WS:
            pos += 1
        elif data.startswith(b"--", pos):
            newline = data.find(b"\n", pos)
            pos = end if newline == -1 else newline + 1
        elif data.startswith(b"/*", pos):
            pos = _skip_block_comment(data, pos, end)
        else:
            return pos
    return end


def _skip_block_comment(data: bytes, pos: int, end: int) -> int:
    depth = 0
    while pos < end:
        if data.startswith(b"/*", pos):
            depth, pos = depth + 1, pos + 2
        elif data.startswith(b"*/", pos):
            depth, pos = depth - 1, pos + 2
            if depth == 0:
                return pos
        else:
            pos += 1
    return end
