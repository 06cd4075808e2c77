from __future__ import annotations

from collections.abc import Iterator

from slipway.lint.rule import Hit, Rule, StatementContext, register
from slipway.sql import body_error


@register
class SyntaxError_(Rule):
    """The file does not parse as PostgreSQL SQL; it would fail when applied.

    Reported at the exact line and column where PostgreSQL's own parser gives up. No other
    rule can check a file that does not parse. PL/pgSQL bodies (`LANGUAGE plpgsql` functions
    and procedures, `DO` blocks) are compiled too, as `CREATE FUNCTION` does on the server: a
    typo in one is reported at the token PostgreSQL names.

    **Anti-pattern**

    ```sql
    CREATE TABLE leads (id bigint PRIMARY KEY,);
    ```

    **Best practice**

    ```sql
    CREATE TABLE leads (id bigint PRIMARY KEY);
    ```
    """

    code = "SW000"
    name = "syntax-error"
    severity = "error"
    help = "Fix the SQL at the reported position; run it in psql to see PostgreSQL's full message."
    kinds = ("CreateFunctionStmt", "DoStmt")

    def check(self, ctx: StatementContext) -> Iterator[Hit]:
        error = body_error(ctx.script.sql, ctx.stmt)
        if error is not None:
            yield Hit(f"PL/pgSQL: {error.message}", offset=error.offset)
