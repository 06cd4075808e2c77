"""The SQL floor: parsing, statements with their spans, how the engine runs them, quoting.

Everything that reads SQL text builds on this package (the engine, plan, lint, the guide and
verify), so each question about a statement has one answer:

- `parse`: PostgreSQL's own parser (libpg_query through pglast), to its JSON tree, fast.
- `script`: a text split into located `Statement`s (`parse_sql`).
- `plpgsql`: PL/pgSQL function and DO bodies compiled for syntax errors (`body_error`).
- `classify`: how the engine runs a script (`run_mode`), which statements PostgreSQL refuses
  in a transaction block, which BEGIN is never ended, whether statements change the schema.
- `nodes`: small readers for the parse tree's plain dicts.
- `quote`: identifiers and literals quoted without a connection.
"""

from slipway.sql.classify import (
    RunMode,
    StatementRun,
    changes_schema,
    is_concurrent,
    needs_no_transaction,
    run_mode,
    statement_run,
    unclosed_begin,
)
from slipway.sql.parse import SqlSyntaxError, parse_statements
from slipway.sql.plpgsql import BodyError, body_error
from slipway.sql.script import (
    MetaCommand,
    ParsedSql,
    Statement,
    line_col,
    parse_sql,
    without_meta_commands,
)

__all__ = [
    "BodyError",
    "MetaCommand",
    "ParsedSql",
    "RunMode",
    "SqlSyntaxError",
    "Statement",
    "StatementRun",
    "body_error",
    "changes_schema",
    "is_concurrent",
    "line_col",
    "needs_no_transaction",
    "parse_sql",
    "parse_statements",
    "run_mode",
    "statement_run",
    "unclosed_begin",
    "without_meta_commands",
]
