"""A script's statements for lint, with its suppression comments.

The statements and their locations come from the SQL floor (`Script.parsed`, one parse per
script for the engine, lint and the guide); this module adds what only lint reads: the
`-- slipway-ignore` comments and which statement each belongs to, and a second parse without
psql meta-commands (`\\set`, `\\connect`) for a script that has them.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import cached_property

from slipway.lint.state import Origin
from slipway.migrations.model import Script
from slipway.sql import ParsedSql, SqlSyntaxError, Statement, without_meta_commands

# `-- slipway-ignore[-file][:] rule[, rule...] [-- why]`, or the same in `/* ... */`; a reason
# after `--` or `:` is kept out (and, in a block comment, everything from `*/` on).
_IGNORE = re.compile(
    rb"(?:--|/\*)[ \t]*(slipway|squawk)-ignore(-file)?\b[ \t]*:?[ \t]*((?:(?!--)[^\r\n:#*])*)"
)


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
    """A script as lint reads it: its parsed SQL, where it stands among the scripts, and its
    ignore comments."""

    script: Script
    sid: int = -1  # position in the engine's list of scripts
    ignores: list[IgnoreComment] = field(default_factory=list)
    file_ignores: set[str] = field(default_factory=set)
    statement_ignores: dict[int, set[str]] = field(default_factory=dict)
    # psql meta-commands (file line, column, text) blanked out of `without_meta` before parsing
    meta_commands: list[tuple[int, int, str]] = field(default_factory=list)
    without_meta: ParsedSql | None = None

    @property
    def sql(self) -> ParsedSql:
        return self.without_meta or self.script.parsed

    @property
    def statements(self) -> list[Statement]:
        return self.sql.statements

    @property
    def error(self) -> SqlSyntaxError | None:
        return self.sql.error

    @property
    def error_line(self) -> int:
        return self.sql.error_line

    @property
    def error_column(self) -> int:
        return self.sql.error_column

    @property
    def data(self) -> bytes:
        """The script as UTF-8 bytes (the offsets in the parse tree count these)."""
        return self.sql.data

    def locate(self, byte: int) -> tuple[int, int]:
        """File line and column of a byte offset in this script."""
        return self.sql.locate(byte)

    @cached_property
    def path(self) -> str:  # asked for every statement's origin
        return str(self.script.path)

    def origin(
        self, migration: int, line: int | None = None, column: int = 1, statement: int = -1
    ) -> Origin:
        """A report location in this script (default: its first line)."""
        first = self.script.line_offset + 1
        return Origin(migration, self.path, line or first, column, statement, self.sid)

    def statement_origin(self, migration: int, stmt: Statement) -> Origin:
        return Origin(migration, self.path, stmt.line, stmt.column, stmt.index, self.sid)


def parse_script(script: Script) -> ParsedScript:
    """Lint's view of `script`; a syntax error is recorded (with its line and column), never
    raised."""
    parsed = ParsedScript(script)
    if script.parsed.error is not None and "\\" in script.sql:
        _skip_meta_commands(parsed)
    if b"-ignore" in parsed.data:
        _collect_ignores(parsed, parsed.sql)
    return parsed


def _skip_meta_commands(parsed: ParsedScript) -> None:
    """Parse the script again with its psql meta-commands blanked out (same lines, same
    columns), so the SQL around them is linted. Only a script that does not parse is
    looked at: a meta-command is always a syntax error to PostgreSQL."""
    found = without_meta_commands(parsed.script.sql, parsed.script.line_offset)
    if found is not None:
        commands, parsed.without_meta = found
        parsed.meta_commands = [(c.line, c.column, c.text) for c in commands]


def _collect_ignores(parsed: ParsedScript, lines: ParsedSql) -> None:
    for match in _IGNORE.finditer(lines.data):
        names = [n for n in re.split(r"[\s,]+", match.group(3).decode("utf-8", "replace")) if n]
        line, column = lines.locate(match.start())
        per_file = match.group(2) is not None
        target = None if per_file else _owner(parsed.statements, lines, match.start())
        parsed.ignores.append(
            IgnoreComment(names, line, column, per_file, match.group(1) == b"squawk", target)
        )


def _owner(statements: list[Statement], lines: ParsedSql, pos: int) -> int | None:
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
