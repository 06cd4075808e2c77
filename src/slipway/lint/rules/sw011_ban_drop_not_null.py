from __future__ import annotations

from collections.abc import Iterator

from slipway.lint.rule import Hit, Rule, StatementContext, register
from slipway.lint.rules._helpers import table_cmds


@register
class BanDropNotNull(Rule):
    """Dropping NOT NULL lets NULLs in that running code does not expect.

    Code deployed before the migration assumes the column always has a value; after it,
    NULLs can appear and the old code can crash on them. Rolling back is no longer possible
    once NULLs exist.

    **Anti-pattern**

    ```sql
    ALTER TABLE leads ALTER COLUMN email DROP NOT NULL;
    ```

    **Best practice**

    ```sql
    -- deploy code that handles NULL emails first, then:
    ALTER TABLE leads ALTER COLUMN email DROP NOT NULL; -- slipway-ignore ban-drop-not-null
    ```
    """

    code = "SW011"
    name = "ban-drop-not-null"
    severity = "warning"
    kinds = ("AlterTableStmt:AT_DropNotNull",)
    help = "Deploy code that handles NULL first; then suppress this with -- slipway-ignore."

    def check(self, ctx: StatementContext) -> Iterator[Hit]:
        for table, cmd in table_cmds(ctx, "AT_DropNotNull"):
            if ctx.existed_before(table):
                yield Hit(
                    f"dropping NOT NULL on {table}.{cmd.get('name')} lets NULLs reach code "
                    "that does not expect them"
                )
