"""Migration files that hold both directions, in sections their tool marks.

dbmate (`-- migrate:up` / `-- migrate:down`), goose (`-- +goose Up` / `-- +goose Down`),
sql-migrate (`-- +migrate Up` / `-- +migrate Down`), node-pg-migrate (`-- Up Migration` /
`-- Down Migration`) and tern (`---- create above / drop below ----` between them). Read as
one script, such a file would run its rollback right after the migration: each section is
its own Script, starting on the line after its marker, so line N of a section is line
N + line_offset of the file and errors name the file's own lines.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from slipway.errors import MigrationLayoutError
from slipway.migrations.directives import NO_TRANSACTION, apply_directives
from slipway.migrations.model import SECTION_MARKERS, Script

__all__ = ["split_sections"]


@dataclass(frozen=True)
class _Mark:
    role: str  # up or down
    start: int  # where the marker line starts
    body: int  # where the section's text starts (after the marker)
    header: str  # what the directives read: NO_TRANSACTION or ""


def split_sections(path: Path, text: str) -> tuple[str, Script, Script | None] | None:
    """(layout, up, down) of a file whose sections a known tool marks; None when none does."""
    for layout, find in _TOOLS:
        marks = find(path, text)
        if marks:
            return layout, *_split(path, text, marks, layout)
    return None


_DBMATE = re.compile(r"^--\s*migrate:(up|down)\b(.*)$", re.MULTILINE)
_GOOSE = re.compile(r"^--\s*\+goose\s+(up|down)\b(.*)$", re.MULTILINE | re.IGNORECASE)
_GOOSE_NO_TRANSACTION = re.compile(
    r"^--\s*\+goose\s+no\s+transaction\b", re.MULTILINE | re.IGNORECASE
)
_GOOSE_ENVSUB = re.compile(r"^--\s*\+goose\s+envsub\s+on\b", re.MULTILINE | re.IGNORECASE)
_SQL_MIGRATE = re.compile(r"^--\s*\+migrate\s+(up|down)\b(.*)$", re.MULTILINE | re.IGNORECASE)
_NODE_PG = re.compile(r"^--\s*(up|down)\s+migration\b(.*)$", re.MULTILINE | re.IGNORECASE)
_TERN = re.compile(
    r"^----\s*create\s+above\s*/\s*drop\s+below\s*----[ \t]*$", re.MULTILINE | re.IGNORECASE
)


def _marks(
    pattern: re.Pattern[str], text: str, header: Callable[[str], str] = lambda rest: ""
) -> list[_Mark]:
    """Each marker line of `pattern` (its group 1 the role); `header` reads the rest of the
    line (dbmate's `transaction:false`, sql-migrate's `notransaction`)."""
    return [
        _Mark(m.group(1).lower(), m.start(), m.end(), header(m.group(2)))
        for m in pattern.finditer(text)
    ]


def _dbmate(path: Path, text: str) -> list[_Mark]:
    return _marks(_DBMATE, text, lambda rest: rest)


def _goose(path: Path, text: str) -> list[_Mark]:
    """`-- +goose NO TRANSACTION` (anywhere) runs both sections outside a transaction;
    `StatementBegin`/`StatementEnd` are comments to PostgreSQL, whose parser splits the
    statements itself."""
    if not _GOOSE.search(text):
        return []
    if _GOOSE_ENVSUB.search(text):
        raise MigrationLayoutError(
            f"{path}: uses goose's `-- +goose ENVSUB ON` (environment variables substituted "
            "into the SQL), which slipway does not do; write the values into the file, or keep "
            "running this migration with goose"
        )
    header = NO_TRANSACTION if _GOOSE_NO_TRANSACTION.search(text) else ""
    return _marks(_GOOSE, text, lambda rest: header)


def _sql_migrate(path: Path, text: str) -> list[_Mark]:
    """`-- +migrate Up notransaction`: that section runs outside a transaction."""
    return _marks(
        _SQL_MIGRATE, text, lambda rest: NO_TRANSACTION if "notransaction" in rest.lower() else ""
    )


def _node_pg_migrate(path: Path, text: str) -> list[_Mark]:
    return _marks(_NODE_PG, text)


def _tern(path: Path, text: str) -> list[_Mark]:
    """Everything above the separator creates, everything below drops."""
    found = list(_TERN.finditer(text))
    if not found:
        return []
    if len(found) > 1:
        raise MigrationLayoutError(
            f"{path}: more than one '{SECTION_MARKERS['tern'][1]}' line; tern allows one"
        )
    return [_Mark("up", 0, 0, ""), _Mark("down", found[0].start(), found[0].end(), "")]


# Tried in this order; a file is the first tool's whose markers it has.
_TOOLS = (
    ("dbmate", _dbmate),
    ("goose", _goose),
    ("sql-migrate", _sql_migrate),
    ("node-pg-migrate", _node_pg_migrate),
    ("tern", _tern),
)


def _split(path: Path, text: str, marks: list[_Mark], layout: str) -> tuple[Script, Script | None]:
    up_marker, down_marker = SECTION_MARKERS[layout]
    spelled = {"up": up_marker or "(top)", "down": down_marker}
    sections: dict[str, Script] = {}
    for i, mark in enumerate(marks):
        end = marks[i + 1].start if i + 1 < len(marks) else len(text)
        if mark.role in sections:
            raise MigrationLayoutError(f"{path}: more than one '{spelled[mark.role]}' section")
        offset = text.count("\n", 0, mark.body)
        body = text[mark.body : end]
        if mark.body and body.startswith("\n"):
            body, offset = body[1:], offset + 1
        script = Script(path=path, sql=body, line_offset=offset)
        sections[mark.role] = apply_directives(script, mark.header)
    if "up" not in sections:
        raise MigrationLayoutError(
            f"{path}: has '{spelled['down']}' but no '{spelled['up']}' section"
        )
    # An empty down section is an empty rollback, as an empty down.sql is.
    return sections["up"], sections.get("down")
