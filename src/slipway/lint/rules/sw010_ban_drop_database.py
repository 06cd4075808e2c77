from __future__ import annotations

from collections.abc import Iterator

from slipway.lint.rule import Hit, Rule, StatementContext, register


@register
class BanDropDatabase(Rule):
    """DROP DATABASE has no place in a migration.

    It destroys everything irrecoverably and cannot run in a transaction.

    **Anti-pattern**

    ```sql
    DROP DATABASE rylie_staging;
    ```

    **Best practice**

    ```sql
    -- drop databases by hand, outside the migration history
    ```
    """

    code = "SW010"
    name = "ban-drop-database"
    severity = "error"
    kinds = ("DropdbStmt",)
    help = "Drop databases by hand, not in a migration."

    def check(self, ctx: StatementContext) -> Iterator[Hit]:
        yield Hit(f"DROP DATABASE {ctx.stmt.node.get('dbname')} in a migration")
