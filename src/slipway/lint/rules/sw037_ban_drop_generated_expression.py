from __future__ import annotations

from collections.abc import Iterator

from slipway.lint.rule import Hit, Rule, StatementContext, register
from slipway.lint.rules._helpers import table_cmds
from slipway.lint.rules._objects import column_added_here


@register
class BanDropGeneratedExpression(Rule):
    """DROP EXPRESSION turns a generated column into a plain one that nothing keeps up to date.

    The existing values stay, but rows inserted or updated afterwards get NULL (or whatever the
    writer sends) instead of the computed value, and code that reads the column as derived
    data gets it wrong. Not reported for a table or column the same migration created.

    **Anti-pattern**

    ```sql
    ALTER TABLE leads ALTER COLUMN email_domain DROP EXPRESSION;
    ```

    **Best practice**

    ```sql
    -- ship code that writes email_domain itself (or a trigger), then:
    ALTER TABLE leads ALTER COLUMN email_domain DROP EXPRESSION;
    ```
    """

    code = "SW037"
    name = "ban-drop-generated-expression"
    severity = "warning"
    kinds = ("AlterTableStmt:AT_DropExpression",)
    help = "Make sure every writer fills the column itself before dropping its expression."

    def check(self, ctx: StatementContext) -> Iterator[Hit]:
        for table, cmd in table_cmds(ctx, "AT_DropExpression"):
            column = str(cmd.get("name", ""))
            if not ctx.existed_before(table):
                continue
            if column_added_here(ctx, table, column):
                continue
            yield Hit(
                f"dropping the expression of {table}.{column}: new and updated rows no "
                "longer get the computed value"
            )
