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

# Words that may signal a statement which cannot run in a transaction, or transaction control.
_MAYBE_SPECIAL = re.compile(
    r"\b(concurrently|vacuum|alter\s+system|begin|commit|start\s+transaction|rollback|end|"
    r"abort|savepoint|create\s+database|drop\s+database|tablespace|subscription|"
    r"reindex|cluster|discard)\b",
    re.IGNORECASE,
)
_NO_TRANSACTION_NODES = {
    "VacuumStmt",
    "AlterSystemStmt",
    "CreatedbStmt",
    "DropdbStmt",
    "CreateTableSpaceStmt",
    "DropTableSpaceStmt",
    "CreateSubscriptionStmt",
    "DropSubscriptionStmt",
}


@dataclass(frozen=True)
class Statement:
    """One top-level statement: its node type, its parse tree and its span in the script."""

    kind: str
    node: dict[str, Any]
    start: int  # character offset in the script
    end: int

    def text(self, sql: str) -> str:
        return sql[self.start : self.end].strip()

    @property
    def concurrent(self) -> bool:
        if self.kind in ("IndexStmt", "DropStmt"):
            return bool(self.node.get("concurrent"))
        if self.kind == "ReindexStmt":
            params = self.node.get("params") or []
            return any(p.get("DefElem", {}).get("defname") == "concurrently" for p in params)
        if self.kind == "AlterTableStmt":  # DETACH PARTITION ... CONCURRENTLY
            return any(
                c.get("AlterTableCmd", {}).get("subtype") == "AT_DetachPartition"
                and ((c["AlterTableCmd"].get("def") or {}).get("PartitionCmd") or {}).get(
                    "concurrent"
                )
                for c in self.node.get("cmds") or []
            )
        return False

    @property
    def needs_no_transaction(self) -> bool:
        if self.concurrent or self.kind in _NO_TRANSACTION_NODES:
            return True
        # Whole-database maintenance refuses a transaction block as well.
        if self.kind == "ReindexStmt":
            return self.node.get("kind") in ("REINDEX_OBJECT_SYSTEM", "REINDEX_OBJECT_DATABASE")
        if self.kind == "ClusterStmt":
            return not self.node.get("relation")
        return self.kind == "DiscardStmt" and self.node.get("target") == "DISCARD_ALL"

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
        from slipway.pgparse import SqlSyntaxError, parse_statements

        sql = self.script.sql
        try:
            raw_statements = parse_statements(sql)
        except SqlSyntaxError as exc:
            line, col = line_col(sql, exc.position)
            raise MigrationFailed(
                f"{self.script.location(line, col)}: {exc.message} (SQLSTATE 42601); "
                "fix the SQL and retry"
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
        """Raise MigrationFailed with file:line:column if the script does not parse."""
        if self.script.sql.strip():
            _ = self.statements

    @cached_property
    def maybe_special(self) -> bool:
        return bool(_MAYBE_SPECIAL.search(self.script.sql))

    @cached_property
    def mode(self) -> str:
        """How to run the script.

        'transaction': wrap it (with its history row) in one transaction;
        'wrapped': the file is BEGIN; ...; COMMIT; run its body in our transaction;
        'statements': run statement by statement outside a transaction (CONCURRENTLY, VACUUM,
        or a file with its own transaction control).
        """
        if self.script.transactional is False:
            return "statements"
        if not self.maybe_special:
            return "transaction"
        stmts = self.statements
        control = [s for s in stmts if s.transaction_kind]
        if any(s.needs_no_transaction for s in stmts):
            return "statements"
        if not control:
            return "transaction"
        if (
            len(control) == 2
            and stmts[0].transaction_kind in ("TRANS_STMT_BEGIN", "TRANS_STMT_START")
            and stmts[-1].transaction_kind == "TRANS_STMT_COMMIT"
        ):
            return "wrapped"
        return "statements"

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
        sql = self.script.sql
        return [(s, s.text(sql)) for s in self.statements if s.text(sql)]


@lru_cache(maxsize=4096)
def parse_script(script: Script) -> ParsedScript:
    """One ParsedScript per script, so checking syntax and running it parse only once."""
    return ParsedScript(script)
