from __future__ import annotations

from slipway.lint.rule import Rule, register


@register
class SyntaxError_(Rule):
    """The file does not parse as PostgreSQL SQL; it would fail when applied.

    Reported at the exact line and column where PostgreSQL's own parser gives up. No other
    rule can check a file that does not parse.

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
