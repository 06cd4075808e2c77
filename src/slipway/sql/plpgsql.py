"""PL/pgSQL bodies checked as the server compiles them: `CREATE FUNCTION ... LANGUAGE plpgsql`
and `DO` blocks, whose text the SQL parser keeps as an opaque string.

libpg_query's PL/pgSQL compiler names the offending token ("at or near "RETRUN"", or a quoted
name) and a body line at or before it, but no position, so the token is looked up in the
body's text from that line on; an embedded statement cut short ("at end of input") is placed at
its semicolon. The location is as exact as the message allows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from slipway.sql import nodes as n
from slipway.sql.parse import PlpgsqlError, check_plpgsql
from slipway.sql.script import ParsedSql, Statement

__all__ = ["BodyError", "body_error", "is_plpgsql"]

# Messages of libpg_query's compiler that come from not having a catalog (an array of a type
# it cannot look up becomes `record[]`: "has pseudo-type _record"), not from the text.
_NEEDS_CATALOG = ("pseudo-type", "does not exist")
_NEAR = re.compile(r'at or near "(.+)"\s*$')
# what an embedded statement cut short ends with, right before its `;`
_DANGLING = re.compile(
    rb"(?:[-+*/=<>,(|&%^]|\b(?:WHERE|AND|OR|NOT|SET|FROM|SELECT|BY|ON|JOIN|IN|IS|THEN|VALUES|"
    rb"INTO|WHEN|ELSE|AS|LIKE))\s*\Z",
    re.IGNORECASE,
)
_QUOTED = re.compile(r'"([^"]+)"')  # a name the message quotes: "x" is not a known variable
_DOLLAR = re.compile(rb"\$([A-Za-z_][A-Za-z_0-9]*)?\$")


@dataclass(frozen=True, slots=True)
class BodyError:
    """A body that does not compile: the compiler's message and the byte offset (in the
    script) of the token it names, or of the body's start when that is all we know."""

    message: str
    offset: int


def is_plpgsql(kind: str, node: n.Node) -> bool:
    """A CREATE FUNCTION/PROCEDURE in PL/pgSQL, or a DO block (PL/pgSQL unless it says)."""
    if kind == "DoStmt":
        options = n.def_elems(node.get("args"))
    elif kind == "CreateFunctionStmt":
        options = n.def_elems(node.get("options"))
        if "language" not in options:
            return False  # LANGUAGE is required for a body given with AS; BEGIN ATOMIC is SQL
    else:
        return False
    language = options.get("language")
    name = language.get("String", {}).get("sval", "") if isinstance(language, dict) else ""
    if not name:
        return kind == "DoStmt"
    return str(name).lower() == "plpgsql"


def body_error(parsed: ParsedSql, stmt: Statement) -> BodyError | None:
    """Why `stmt`'s PL/pgSQL body does not compile, or None (also for other statements)."""
    if not is_plpgsql(stmt.kind, stmt.node):
        return None
    text = parsed.data[stmt.start : stmt.end].decode("utf-8", "replace")
    try:
        check_plpgsql(text)
    except PlpgsqlError as exc:
        if any(part in exc.message for part in _NEEDS_CATALOG):
            return None  # an artefact of compiling without the database's catalog
        return BodyError(exc.message, _locate(parsed.data, stmt, exc))
    return None


def _body_span(data: bytes, stmt: Statement) -> tuple[int, int]:
    """Byte span of the body's text (inside its quotes); the statement when not found."""
    options = stmt.node.get("args" if stmt.kind == "DoStmt" else "options", [])
    at = next(
        (
            int(o["DefElem"].get("arg_location", -1))
            for o in options
            if o.get("DefElem", {}).get("defname") == "as"
        ),
        -1,
    )
    if at < 0:
        return stmt.start, stmt.end
    quote = _DOLLAR.match(data, at)
    if quote:
        close = data.find(quote.group(0), quote.end(), stmt.end)
        return quote.end(), close if close >= 0 else stmt.end
    if data[at : at + 1] in (b"E", b"e"):
        at += 1
    return at + 1, stmt.end


def _locate(data: bytes, stmt: Statement, exc: PlpgsqlError) -> int:
    start, end = _body_span(data, stmt)
    from_line = start
    for _ in range(max(exc.line - 1, 0)):  # the compiler's line 1 is where the body starts
        newline = data.find(b"\n", from_line, end)
        if newline < 0:
            break
        from_line = newline + 1
    if exc.message.endswith("at end of input"):
        return _statement_end(data, from_line, end) if exc.embedded else end
    near = _NEAR.search(exc.message) or _QUOTED.search(exc.message)
    if near:
        token = near.group(1).encode("utf-8")
        pattern = re.escape(token)
        if token[:1].isalnum() or token[:1] == b"_":
            pattern = rb"(?<![\w$])" + pattern + rb"(?![\w$])"
        found = re.compile(pattern, re.IGNORECASE).search(data, from_line, end)
        if found:
            return found.start()
    return _skip_blank(data, from_line, end)


def _statement_end(data: bytes, line: int, end: int) -> int:
    """The `;` ending the embedded statement that stopped short: of the next few from the
    compiler's line, the first after a dangling word or operator (`WHERE;`, `1 +;`), else
    the first after the line's own statement (the compiler names the last one it read)."""
    semicolons: list[int] = []
    at = data.find(b";", line, end)
    while at >= 0 and len(semicolons) < 4:
        semicolons.append(at)
        at = data.find(b";", at + 1, end)
    for candidate in semicolons:
        if _DANGLING.search(data, line, candidate) is not None:
            return candidate
    line_end = data.find(b"\n", line, end)
    later = [c for c in semicolons if c > (end if line_end < 0 else line_end)]
    return later[0] if later else semicolons[0] if semicolons else end


def _skip_blank(data: bytes, pos: int, end: int) -> int:
    while pos < end and data[pos : pos + 1] in (b" ", b"\t", b"\r", b"\n"):
        pos += 1
    return pos
