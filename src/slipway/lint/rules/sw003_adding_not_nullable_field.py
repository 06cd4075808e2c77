from __future__ import annotations

from collections.abc import Iterator

from slipway.lint.rule import Hit, Rule, StatementContext, register
from slipway.lint.rules._helpers import table_cmds


@register
class AddingNotNullableField(Rule):
    """SET NOT NULL on an existing column scans the whole table under an ACCESS EXCLUSIVE lock.

    PostgreSQL 12+ skips the scan when a validated `CHECK (col IS NOT NULL)` constraint
    already proves it; slipway's replay knows when such a check exists and stays quiet then.

    **Anti-pattern**

    ```sql
    ALTER TABLE leads ALTER COLUMN email SET NOT NULL;
    ```

    **Best practice**

    ```sql
    ALTER TABLE leads ADD CONSTRAINT leads_email_not_null CHECK (email IS NOT NULL) NOT VALID;
    -- next migration:
    ALTER TABLE leads VALIDATE CONSTRAINT leads_email_not_null;
    ALTER TABLE leads ALTER COLUMN email SET NOT NULL;
    ALTER TABLE leads DROP CONSTRAINT leads_email_not_null;
    ```
    """

    code = "SW003"
    name = "adding-not-nullable-field"
    severity = "warning"
    cost = "scan"
    kinds = ("AlterTableStmt:AT_SetNotNull",)
    help = (
        "Add CHECK (col IS NOT NULL) NOT VALID, validate it in a later migration, then "
        "SET NOT NULL (no scan) and drop the check."
    )

    def check(self, ctx: StatementContext) -> Iterator[Hit]:
        for table, cmd in table_cmds(ctx, "AT_SetNotNull"):
            if not ctx.existed_before(table):
                continue
            column = str(cmd.get("name", ""))
            checks = ctx.state.tables[table].not_null_checks if table in ctx.state.tables else {}
            if any(col == column and valid for col, valid in checks.values()):
                continue
            yield Hit(
                f"SET NOT NULL on {table}.{column} scans the whole table while holding an "
                "ACCESS EXCLUSIVE lock",
                table=table,
            )
