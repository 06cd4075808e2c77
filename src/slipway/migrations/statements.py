"""What the engine needs to know about a script's SQL, from the real PostgreSQL parser.

Works on pglast's JSON tree (fast) and imports pglast lazily; a quick textual pre-check
skips parsing scripts that cannot need special handling.
"""

from __future__ import annotations

import re
from functools import cached_property, lru_cache

from slipway.errors import MigrationFailed
from slipway.migrations.model import Script
from slipway.sql import (
    MetaCommand,
    ParsedSql,
    RunMode,
    Statement,
    line_col,
    run_mode,
    unclosed_begin,
    without_meta_commands,
)

__all__ = ["ParsedScript", "parse_script"]


# Words that may signal a statement which cannot run in a transaction, or transaction control.
_MAYBE_SPECIAL = re.compile(
    r"\b(concurrently|vacuum|alter\s+system|begin|commit|start\s+transaction|rollback|end|"
    r"abort|savepoint|create\s+database|drop\s+database|tablespace|subscription|"
    r"reindex|cluster|discard)\b",
    re.IGNORECASE,
)


class ParsedScript:
    """A script split into statements, with the facts the engine decides on."""

    def __init__(self, script: Script) -> None:
        self.script = script

    @property
    def sql(self) -> ParsedSql:
        """The script's statements, parsed once per script (`Script.parsed`)."""
        return self.script.parsed

    @cached_property
    def statements(self) -> list[Statement]:
        """The statements with their spans; a syntax error raises MigrationFailed with
        file:line:column."""
        parsed = self.sql
        if parsed.error is not None:
            line, col = line_col(self.script.sql, parsed.error.position)
            meta = self._meta_command()
            if meta is not None:  # psql's own syntax: the parser trips over it somewhere later
                line, col = meta.line - self.script.line_offset, meta.column
            what = (
                f"{meta.text.split()[0]} is a psql meta-command, which only psql understands:"
                " slipway sends the file to the server as SQL; remove it (or do what it does"
                " in SQL)"
                if meta is not None
                else f"{parsed.error.message} (SQLSTATE 42601); fix the SQL and retry"
            )
            raise MigrationFailed(
                f"{self.script.location(line, col)}: {what}",
                sqlstate="42601",
                path=str(self.script.path),
                line=line + self.script.line_offset,
                column=col,
            ) from parsed.error
        return parsed.statements

    def _meta_command(self) -> MetaCommand | None:
        """The first psql meta-command, when it is what makes the script not parse (without
        them it parses, or fails further on)."""
        found = without_meta_commands(self.script.sql, self.script.line_offset)
        error = self.sql.error
        if found is None or error is None:
            return None
        commands, blanked = found
        if blanked.error is not None and blanked.error.position <= error.position:
            return None  # the SQL itself is wrong before that
        return commands[0]

    def first_char(self, stmt: Statement) -> int:
        """Character offset where the statement's text (as sent) starts in the script."""
        return self.sql.first_char(stmt)

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
        line, col = line_col(self.script.sql, self.first_char(self.statements[index]))
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
        """How to run the script (see `slipway.sql.run_mode`)."""
        decided = self.script.transactional is not None or not self.maybe_special
        pairs = [] if decided else [(s.kind, s.node) for s in self.statements]
        return run_mode(self.script.transactional, pairs)

    def body_sql(self, rolled_back: bool = False) -> tuple[str, int]:
        """SQL to run inside our transaction and the character offset it starts at.

        `rolled_back`: the caller rolls the script back whatever it says (a verify script), so
        a `BEGIN; ...; ROLLBACK;` file (Sqitch's verify template) runs its body too; for a
        migration such a file means "change nothing" and runs as written."""
        if self.mode != "wrapped" and not (rolled_back and self.begin_rollback):
            return self.script.sql, 0
        stmts, char = self.statements, self.sql.char
        # From past the BEGIN to where the COMMIT's span starts.
        start, end = char(stmts[0].end), char(stmts[-1].span_start)
        body = self.script.sql[start:end]
        if body.startswith(";"):
            body, start = body[1:], start + 1
        return body, start

    @cached_property
    def begin_rollback(self) -> bool:
        """The file is BEGIN; ...; ROLLBACK; (no other transaction control): it changes
        nothing as written, and its body can run in a transaction someone else rolls back."""
        if not self.maybe_special or len(self.statements) < 2:
            return False
        control = [s for s in self.statements if s.kind == "TransactionStmt"]
        first, last = self.statements[0], self.statements[-1]
        return (
            len(control) == 2
            and control[0] is first
            and control[1] is last
            and first.node.get("kind") in ("TRANS_STMT_BEGIN", "TRANS_STMT_START")
            and last.node.get("kind") == "TRANS_STMT_ROLLBACK"
        )

    def statement_texts(self) -> list[tuple[Statement, str]]:
        """Each non-empty statement with its text."""
        texts = [(stmt, self.sql.text_of(stmt)) for stmt in self.statements]
        return [(stmt, text) for stmt, text in texts if text]


@lru_cache(maxsize=4096)
def parse_script(script: Script) -> ParsedScript:
    """One ParsedScript per script, so checking syntax and running it parse only once."""
    return ParsedScript(script)
