"""A script split into located statements, with its suppression comments.

pglast reports statement spans as UTF-8 byte offsets that start right after the previous
semicolon (leading blank lines and comments included). We skip that leading trivia to find
the first token, and turn byte offsets into the file's line:column (1-based, in characters,
counting the script's `line_offset`).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from typing import Any

from slipway.lint.state import Origin
from slipway.migrations.model import Script
from slipway.pgparse import SqlSyntaxError, parse_statements

# `-- slipway-ignore[-file][:] rule[, rule...] [-- why]`, or the same in `/* ... */`; a reason
# after `--` or `:` is kept out (and, in a block comment, everything from `*/` on).
_IGNORE = re.compile(
    rb"(?:--|/\*)[ \t]*(slipway|squawk)-ignore(-file)?\b[ \t]*:?[ \t]*((?:(?!--)[^\r\n:#*])*)"
)
_WS = b" \t\r\n\f\v"
_NEWLINE = re.compile(b"\n")


@dataclass(repr=False, eq=False, slots=True)
class Statement:
    """One parsed statement: its node type (`kind`), node, and where it starts in the file."""

    kind: str
    node: dict[str, Any]
    index: int
    line: int
    column: int
    start: int  # byte offset of the first token
    end: int  # byte offset just past the statement (before its semicolon)


@dataclass(repr=False, eq=False, slots=True)
class IgnoreComment:
    """A `-- slipway-ignore` / `-- squawk-ignore` comment (or `/* ... */`) and the rule names it
    lists."""

    names: list[str]
    line: int
    column: int
    per_file: bool
    squawk: bool
    statement: int | None  # index of the statement it applies to (None: per file or dangling)


@dataclass(repr=False, eq=False)
class ParsedScript:
    script: Script
    sid: int = -1  # position in the engine's list of scripts
    statements: list[Statement] = field(default_factory=list)
    error: SqlSyntaxError | None = None
    error_line: int = 0
    error_column: int = 0
    ignores: list[IgnoreComment] = field(default_factory=list)
    file_ignores: set[str] = field(default_factory=set)
    statement_ignores: dict[int, set[str]] = field(default_factory=dict)
    lines: _Lines | None = None

    @property
    def data(self) -> bytes:
        """The script as UTF-8 bytes (the offsets in the parse tree count these)."""
        return self.lines.data if self.lines is not None else self.script.sql.encode("utf-8")

    def locate(self, byte: int) -> tuple[int, int]:
        """File line and column of a byte offset in this script."""
        if self.lines is None:
            return self.script.line_offset + 1, 1
        return self.lines.locate(byte)

    @property
    def path(self) -> str:
        return str(self.script.path)

    def origin(
        self, migration: int, line: int | None = None, column: int = 1, statement: int = -1
    ) -> Origin:
        """A report location in this script (default: its first line)."""
        first = self.script.line_offset + 1
        return Origin(migration, self.path, line or first, column, statement, self.sid)

    def statement_origin(self, migration: int, stmt: Statement) -> Origin:
        return Origin(migration, self.path, stmt.line, stmt.column, stmt.index, self.sid)


class _Lines:
    """Byte offset -> (line, column) for one UTF-8 text.

    Line starts are found once and bisected: counting newlines from byte 0 for every
    statement made a 40,000-statement file take seconds (quadratic).
    """

    def __init__(self, data: bytes, line_offset: int) -> None:
        self.data = data
        self.offset = line_offset
        self.starts = [0, *(m.end() for m in _NEWLINE.finditer(data))]

    def line_index(self, byte: int) -> int:
        """Newlines before `byte` (0-based line), with slice semantics for odd offsets."""
        if byte < 0:  # pglast's -1 (unknown) keeps its old meaning: slice semantics, from the end
            byte = max(0, len(self.data) + byte)
        return bisect_right(self.starts, byte) - 1

    def locate(self, byte: int) -> tuple[int, int]:
        index = self.line_index(byte)
        # Columns count characters, so only this line's bytes are decoded.
        column = len(self.data[self.starts[index] : byte].decode("utf-8", "replace")) + 1
        return index + 1 + self.offset, column


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


def parse_script(script: Script) -> ParsedScript:
    """Parse `script`; a syntax error is recorded (with its line and column), never raised."""
    parsed = ParsedScript(script)
    data = script.sql.encode("utf-8")
    try:
        raw = parse_statements(script.sql)
    except SqlSyntaxError as exc:
        parsed.error = exc
        before = script.sql[: exc.position]
        parsed.error_line = before.count("\n") + 1 + script.line_offset
        parsed.error_column = exc.position - (before.rfind("\n") + 1) + 1
        raw = []
    lines = parsed.lines = _Lines(data, script.line_offset)
    for index, item in enumerate(raw):
        loc = item.get("stmt_location", 0)
        length = item.get("stmt_len", 0)
        end = loc + length if length else len(data)
        start = _skip_trivia(data, loc, end)
        ((kind, node),) = item["stmt"].items()
        line, column = lines.locate(start)
        parsed.statements.append(Statement(kind, node, index, line, column, start, end))
    if b"-ignore" in data:
        _collect_ignores(parsed, data, lines)
    return parsed


def _collect_ignores(parsed: ParsedScript, data: bytes, lines: _Lines) -> None:
    for match in _IGNORE.finditer(data):
        names = [n for n in re.split(r"[\s,]+", match.group(3).decode("utf-8", "replace")) if n]
        line, column = lines.locate(match.start())
        per_file = match.group(2) is not None
        target = None if per_file else _owner(parsed.statements, lines, match.start())
        parsed.ignores.append(
            IgnoreComment(names, line, column, per_file, match.group(1) == b"squawk", target)
        )


def _owner(statements: list[Statement], lines: _Lines, pos: int) -> int | None:
    """The statement an ignore comment at byte `pos` belongs to.

    Inside a statement: that one. On the line where the previous statement ends: the previous
    one (a trailing comment). Otherwise: the next statement (a comment on the lines before it).
    Statements are in file order and do not overlap, so a bisect finds the two candidates
    (a scan from the first statement per comment was quadratic).
    """
    after = bisect_right(statements, pos, key=_start)  # first statement starting past pos
    previous = statements[after - 1] if after else None
    if previous and pos < previous.end:
        return previous.index
    if previous and lines.line_index(previous.end) == lines.line_index(pos):
        return previous.index
    return statements[after].index if after < len(statements) else None


def _start(stmt: Statement) -> int:
    return stmt.start
