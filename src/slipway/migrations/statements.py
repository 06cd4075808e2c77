"""What the engine needs to know about a script's SQL, from the real PostgreSQL parser.

Works on pglast's JSON tree (fast) and imports pglast lazily; a quick textual pre-check
skips parsing scripts that cannot need special handling.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import Any

from slipway.errors import MigrationFailed
from slipway.migrations.model import Script
from slipway.pgparse import (
    RunMode,
    is_concurrent,
    needs_no_transaction,
    run_mode,
    unclosed_begin,
)

__all__ = ["ParsedScript", "Statement", "line_col", "parse_script"]


# Words that may signal a statement which cannot run in a transaction, or transaction control.
_MAYBE_SPECIAL = re.compile(
    r"\b(concurrently|vacuum|alter\s+system|begin|commit|start\s+transaction|rollback|end|"
    r"abort|savepoint|create\s+database|drop\s+database|tablespace|subscription|"
    r"reindex|cluster|discard)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Statement:
    """One top-level statement: its node type, its parse tree and its span in the script."""

    kind: str
    node: dict[str, Any]
    start: int  # character offset in the script
    end: int

    def first_char(self, sql: str) -> int:
        """Offset of its first non-blank character in `sql` (its span starts after the `;`)."""
        raw = sql[self.start : self.end]
        return self.start + len(raw) - len(raw.lstrip())

    def text(self, sql: str) -> str:
        """This statement's text in `sql`, stripped."""
        return sql[self.start : self.end].strip()

    @property
    def concurrent(self) -> bool:
        """CREATE/DROP INDEX, REINDEX or DETACH PARTITION ... CONCURRENTLY."""
        return is_concurrent(self.kind, self.node)

    @property
    def needs_no_transaction(self) -> bool:
        """PostgreSQL refuses it inside a transaction block."""
        return needs_no_transaction(self.kind, self.node)

    @property
    def transaction_kind(self) -> str | None:
        """TRANS_STMT_BEGIN, TRANS_STMT_COMMIT, ... for transaction control, else None."""
        if self.kind != "TransactionStmt":
            return None
        return str(self.node.get("kind"))


def line_col(sql: str, offset: int) -> tuple[int, int]:
    """1-based line and column of a character offset."""
    offset = max(0, min(offset, len(sql)))
    line = sql.count("\n", 0, offset) + 1
    column = offset - (sql.rfind("\n", 0, offset) + 1) + 1
    return line, column


def _byte_to_char(sql: str) -> Any:
    """A function mapping UTF-8 byte offsets (pglast's) to character offsets."""
    encoded = sql.encode("utf-8")
    if len(encoded) == len(sql):
        return lambda b: b
    table: list[int] = []
    for index, char in enumerate(sql):
        table.extend([index] * len(char.encode("utf-8")))
    table.append(len(sql))
    return lambda b: table[min(b, len(table) - 1)]


class ParsedScript:
    """A script split into statements, with the facts the engine decides on."""

    def __init__(self, script: Script) -> None:
        self.script = script

    @cached_property
    def statements(self) -> list[Statement]:
        """The statements with their spans; a syntax error raises MigrationFailed with
        file:line:column."""
        from slipway.pgparse import SqlSyntaxError, parse_statements

        sql = self.script.sql
        try:
            raw_statements = parse_statements(sql)
        except SqlSyntaxError as exc:
            line, col = line_col(sql, exc.position)
            raise MigrationFailed(
                f"{self.script.location(line, col)}: {exc.message} (SQLSTATE 42601); "
                "fix the SQL and retry",
                sqlstate="42601",
                path=str(self.script.path),
                line=line + self.script.line_offset,
                column=col,
            ) from exc
        to_char = _byte_to_char(sql)
        total = len(sql.encode("utf-8"))
        result = []
        for raw in raw_statements:
            ((kind, node),) = raw["stmt"].items()
            start = raw.get("stmt_location", 0)
            length = raw.get("stmt_len", 0) or total - start
            result.append(Statement(kind, node, to_char(start), to_char(start + length)))
        return result

    def check_syntax(self) -> None:
        """Raise MigrationFailed with file:line:column if the script does not parse, or if
        it opens a transaction it never ends (everything after that BEGIN would be rolled
        back silently when the connection moves on)."""
        if self.script.sql.strip():
            _ = self.statements
            if self.maybe_special:
                self._check_transactions_end()

    def _check_transactions_end(self) -> None:
        index = unclosed_begin([(s.kind, s.node) for s in self.statements])
        if index is None:
            return
        sql = self.script.sql
        line, col = line_col(sql, self.statements[index].first_char(sql))
        raise MigrationFailed(
            f"{self.script.location(line, col)}: this transaction is never committed, so what"
            " follows it would be rolled back when the migration ends; add COMMIT at the end"
            " (or remove BEGIN: slipway runs each migration in a transaction of its own)",
            path=str(self.script.path),
            line=line + self.script.line_offset,
            column=col,
        )

    @cached_property
    def maybe_special(self) -> bool:
        """Whether a word in the text may mean transaction control or a statement that cannot run in
        a transaction (else no parse is needed)."""
        return bool(_MAYBE_SPECIAL.search(self.script.sql))

    @cached_property
    def mode(self) -> RunMode:
        """How to run the script (see `slipway.pgparse.run_mode`)."""
        decided = self.script.transactional is not None or not self.maybe_special
        pairs = [] if decided else [(s.kind, s.node) for s in self.statements]
        return run_mode(self.script.transactional, pairs)

    def body_sql(self) -> tuple[str, int]:
        """SQL to run inside our transaction and the character offset it starts at."""
        if self.mode != "wrapped":
            return self.script.sql, 0
        stmts = self.statements
        start, end = stmts[0].end, stmts[-1].start
        body = self.script.sql[start:end]
        if body.startswith(";"):
            body, start = body[1:], start + 1
        return body, start

    def statement_texts(self) -> list[tuple[Statement, str]]:
        """Each non-empty statement with its text."""
        sql = self.script.sql
        return [(s, s.text(sql)) for s in self.statements if s.text(sql)]


@lru_cache(maxsize=4096)
def parse_script(script: Script) -> ParsedScript:
    """One ParsedScript per script, so checking syntax and running it parse only once."""
    return ParsedScript(script)
