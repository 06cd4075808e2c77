"""Where and why a script failed: the one place that turns a PostgreSQL error into a
MigrationFailed with `file:line:column`, SQLSTATE, detail and hint.

The engine (`execute.py`) and verification (`verify/scripts.py`) both call it. When
PostgreSQL gives no position (a constraint violation, an error raised by a trigger), the
script's statements are replayed one at a time in a transaction (or savepoint) that is
rolled back, to name the one that fails.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from slipway.errors import MigrationFailed
from slipway.migrations.model import Script
from slipway.migrations.statements import ParsedScript
from slipway.sql import line_col

if TYPE_CHECKING:
    import psycopg

__all__ = [
    "describe_error",
    "error_offset",
    "failure_offset",
    "locate_failure",
    "script_failure",
    "sqlstate_of",
]


def sqlstate_of(exc: BaseException) -> str | None:
    """The SQLSTATE of a psycopg error, or of the one behind a MigrationFailed."""
    if isinstance(exc, MigrationFailed):
        return exc.sqlstate
    diag = getattr(exc, "diag", None)
    return diag.sqlstate if diag else None


def describe_error(exc: Exception, script: Script, offset: int | None) -> str:
    """`file:line:col: message (SQLSTATE x) detail/hint/context` for a psycopg error."""
    diag = getattr(exc, "diag", None)
    primary = (diag.message_primary if diag else None) or str(exc).strip().splitlines()[0]
    where = f"{script.path}"
    if offset is not None:
        where = script.location(*line_col(script.sql, offset))
    text = f"{where}: {primary}"
    if diag is not None:
        if diag.sqlstate:
            text += f" (SQLSTATE {diag.sqlstate})"
        for label, value in (("detail", diag.message_detail), ("hint", diag.message_hint)):
            if value:
                text += f"; {label}: {value}"
        if diag.context and "PL/pgSQL" in diag.context:
            text += f"; context: {' '.join(diag.context.split())}"
    return text


def script_failure(
    exc: Exception, script: Script, offset: int | None, suffix: str = ""
) -> MigrationFailed:
    """MigrationFailed for `exc` at character `offset` of `script` (None: somewhere in it),
    with its SQLSTATE and file position as fields; `suffix` is appended to the text."""
    line = column = None
    if offset is not None:
        line, column = line_col(script.sql, offset)
        line += script.line_offset
    return MigrationFailed(
        describe_error(exc, script, offset) + suffix,
        sqlstate=sqlstate_of(exc),
        path=str(script.path),
        line=line,
        column=column,
    )


def error_offset(exc: Exception, base: int) -> int | None:
    """Character offset of PostgreSQL's error position, for a message whose text starts at
    offset `base` of the script; None if the server gave no position."""
    diag = getattr(exc, "diag", None)
    position = diag.statement_position if diag else None
    if not position:
        return None
    return base + int(position) - 1


def locate_failure(
    conn: psycopg.Connection[Any], parsed: ParsedScript, settings: str = ""
) -> int | None:
    """Offset of the first statement that fails when replayed alone, in a transaction (or,
    inside one, a savepoint) that is rolled back; `settings` runs first (lock_timeout)."""
    import psycopg

    try:
        statements = parsed.statement_texts()
    except MigrationFailed:
        return None
    try:
        with conn.transaction(force_rollback=True):
            if settings:
                conn.execute(settings.encode("utf-8"), prepare=False)
            for stmt, text in statements:
                if stmt.transaction_kind:
                    continue
                try:
                    conn.execute(text.encode("utf-8"), prepare=False)
                except psycopg.Error:
                    return parsed.first_char(stmt)
    except psycopg.Error:
        return None
    return None


def failure_offset(
    conn: psycopg.Connection[Any],
    parsed: ParsedScript,
    exc: Exception,
    base: int,
    settings: str = "",
) -> int | None:
    """Where in the script `exc` happened: PostgreSQL's position when it gave one inside
    the script, else the statement that fails when replayed (see locate_failure)."""
    offset = error_offset(exc, base)
    if offset is None or not 0 <= offset <= len(parsed.script.sql):
        offset = locate_failure(conn, parsed, settings)
    return offset
