from __future__ import annotations

from collections.abc import Iterator

from slipway.lint.rule import Hit, Rule, StatementContext, register


@register
class BanTruncateCascade(Rule):
    """TRUNCATE ... CASCADE empties every table that references the truncated ones.

    The cascade follows foreign keys transitively, so it can wipe tables the author never
    named.

    **Anti-pattern**

    ```sql
    TRUNCATE dealerships CASCADE;
    ```

    **Best practice**

    ```sql
    TRUNCATE lead_notes, leads;  -- name every table on purpose
    ```
    """

    code = "SW012"
    name = "ban-truncate-cascade"
    severity = "error"
    kinds = ("TruncateStmt",)
    help = "Name every table to truncate explicitly and drop CASCADE."

    def check(self, ctx: StatementContext) -> Iterator[Hit]:
        if ctx.stmt.node.get("behavior") == "DROP_CASCADE":
            yield Hit("TRUNCATE ... CASCADE also empties every table that references these")
