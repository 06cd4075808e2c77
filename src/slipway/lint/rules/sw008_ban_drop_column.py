from __future__ import annotations

from collections.abc import Iterator

from slipway.lint.rule import Hit, Rule, StatementContext, register
from slipway.lint.rules._helpers import table_cmds
from slipway.lint.rules._objects import column_added_here


@register
class BanDropColumn(Rule):
    """Dropping a column breaks every running application version that still reads it.

    The DROP itself is quick, but old code that selects or inserts the column fails the
    moment the migration commits, and the data is gone for good. Stop using the column in
    the application first, deploy, and drop it in a later release.

    **Anti-pattern**

    ```sql
    ALTER TABLE customers DROP COLUMN fax_number;
    ```

    **Best practice**

    ```sql
    -- release N: the application no longer reads or writes fax_number
    -- release N+1:
    ALTER TABLE customers DROP COLUMN IF EXISTS fax_number;
    ```
    """

    code = "SW008"
    name = "ban-drop-column"
    severity = "warning"
    kinds = ("AlterTableStmt:AT_DropColumn",)
    help = "Remove every use in the application and deploy before dropping the column."

    def check(self, ctx: StatementContext) -> Iterator[Hit]:
        for table, cmd in table_cmds(ctx, "AT_DropColumn"):
            # A column this migration added (a down undoing its up) is no running code's yet.
            if ctx.existed_before(table) and not column_added_here(ctx, table, cmd.get("name", "")):
                yield Hit(
                    f"dropping column {table}.{cmd.get('name')} breaks code that still uses "
                    "it and destroys its data"
                )
