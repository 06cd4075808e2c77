"""Parse SQL into pglast's JSON tree, fast (shared by the engine, the linter and the guide).

The lint hot path needs only libpg_query's JSON output. `import pglast` costs 40-80 ms (its
enum and AST modules), so we call `pg_query_parse` from pglast's own extension library
through ctypes (about 3 ms to load); when that is not possible we fall back to
`pglast.parser.parse_sql_json`. PL/pgSQL bodies are compiled the same way
(`pg_query_parse_plpgsql`, `check_plpgsql`).

The JSON is decoded by orjson straight from libpg_query's bytes: on a 40,000-statement file
(18 MB of JSON) that is 0.19 s less than decoding to str and `json.loads` (bench/RESULTS.md,
## lint), the largest single cost of the parse after libpg_query itself.
"""

from __future__ import annotations

import ctypes
import importlib.util
import os
import re
from collections.abc import Callable
from functools import cache
from typing import Any


class SqlSyntaxError(Exception):
    """The parser rejected the text; `position` is a 0-based character offset into it."""

    sqlstate = "42601"  # what the server says for the same text: syntax_error

    def __init__(self, message: str, position: int) -> None:
        super().__init__(message)
        self.message = message
        self.position = position


class _Error(ctypes.Structure):
    _fields_ = [
        ("message", ctypes.c_char_p),
        ("funcname", ctypes.c_char_p),
        ("filename", ctypes.c_char_p),
        ("lineno", ctypes.c_int),
        ("cursorpos", ctypes.c_int),
        ("context", ctypes.c_char_p),
    ]


class _Result(ctypes.Structure):
    _fields_ = [
        ("parse_tree", ctypes.c_void_p),
        ("stderr_buffer", ctypes.c_void_p),
        ("error", ctypes.POINTER(_Error)),
    ]


class _PlpgsqlResult(ctypes.Structure):
    _fields_ = [("plpgsql_funcs", ctypes.c_void_p), ("error", ctypes.POINTER(_Error))]


@cache
def _library() -> ctypes.CDLL | None:
    """pglast's extension library (libpg_query inside), loaded without importing pglast."""
    spec = importlib.util.find_spec("pglast")
    if spec is None or spec.origin is None:
        return None
    folder = os.path.dirname(spec.origin)
    names = [
        n for n in os.listdir(folder) if n.startswith("parser") and n.endswith((".so", ".pyd"))
    ]
    if not names:
        return None
    try:
        return ctypes.CDLL(os.path.join(folder, names[0]))
    except OSError:
        return None


def _ctypes_parser() -> Callable[[str], bytes] | None:
    lib = _library()
    if lib is None:
        return None
    try:
        parse = lib.pg_query_parse
        free = lib.pg_query_free_parse_result
    except AttributeError:
        return None
    parse.restype = _Result
    parse.argtypes = [ctypes.c_char_p]
    free.argtypes = [_Result]
    free.restype = None

    def run(sql: str) -> bytes:
        result = parse(sql.encode("utf-8"))
        try:
            if result.error:
                err = result.error.contents
                message = (err.message or b"syntax error").decode("utf-8", "replace")
                raise SqlSyntaxError(message, max(err.cursorpos - 1, 0))
            return ctypes.string_at(result.parse_tree)
        finally:
            free(result)

    return run


def _pglast_parser() -> Callable[[str], bytes]:
    from pglast import parser

    def run(sql: str) -> bytes:
        try:
            return str(parser.parse_sql_json(sql)).encode("utf-8")
        except parser.ParseError as exc:
            position = exc.args[1] if len(exc.args) > 1 else 0
            raise SqlSyntaxError(str(exc.args[0]), int(position)) from exc

    return run


_parser: Callable[[str], bytes] | None = None


def parse_statements(sql: str) -> list[dict[str, Any]]:
    """The raw statements (`stmt`, `stmt_location`, `stmt_len` in UTF-8 bytes) of `sql`."""
    global _parser
    if _parser is None:
        fast = None if os.environ.get("SLIPWAY_PGLAST_PARSER") else _ctypes_parser()
        _parser = fast or _pglast_parser()
    import orjson  # on first parse: commands that never parse skip its import (~4 ms)

    tree: dict[str, Any] = orjson.loads(_parser(sql))
    stmts: list[dict[str, Any]] = tree.get("stmts", [])
    return stmts


class PlpgsqlError(Exception):
    """libpg_query's PL/pgSQL compiler rejected a body: its message, and the body line it
    names ("near line N", 1-based; 0 when it names none: the line of the last statement it
    read, at or before the error). It gives no character position. `embedded`: the error is
    in a SQL statement or expression inside the body (PostgreSQL's own grammar), not in the
    PL/pgSQL around it."""

    def __init__(self, message: str, line: int, embedded: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.embedded = embedded


_NEAR_LINE = re.compile(r"near line (\d+)")
_plpgsql: Callable[[str], None] | None = None


def _ctypes_plpgsql() -> Callable[[str], None] | None:
    lib = _library()
    try:
        parse = lib.pg_query_parse_plpgsql if lib is not None else None
        free = lib.pg_query_free_plpgsql_parse_result if lib is not None else None
    except AttributeError:
        return None
    if parse is None or free is None:
        return None
    parse.restype = _PlpgsqlResult
    parse.argtypes = [ctypes.c_char_p]
    free.argtypes = [_PlpgsqlResult]
    free.restype = None

    def run(sql: str) -> None:
        result = parse(sql.encode("utf-8"))
        try:
            if result.error:
                err = result.error.contents
                message = (err.message or b"syntax error").decode("utf-8", "replace")
                near = _NEAR_LINE.search((err.context or b"").decode("utf-8", "replace"))
                embedded = (err.filename or b"").endswith(b"scan.l")  # the core SQL scanner
                raise PlpgsqlError(message, int(near.group(1)) if near else 0, embedded)
        finally:
            free(result)

    return run


def _pglast_plpgsql() -> Callable[[str], None]:
    from pglast import parser  # 40-80 ms: only reached without the ctypes path

    def run(sql: str) -> None:
        try:
            parser.parse_plpgsql_json(sql)
        except parser.ParseError as exc:
            raise PlpgsqlError(str(exc.args[0]), 0) from exc

    return run


def check_plpgsql(sql: str) -> None:
    """Compile the PL/pgSQL functions and DO blocks of `sql` as the server would (syntax only,
    no catalog); raise PlpgsqlError for the first body that does not compile."""
    global _plpgsql
    if _plpgsql is None:
        fast = None if os.environ.get("SLIPWAY_PGLAST_PARSER") else _ctypes_plpgsql()
        _plpgsql = fast or _pglast_plpgsql()
    _plpgsql(sql)
