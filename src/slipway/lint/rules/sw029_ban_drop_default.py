from __future__ import annotations

from collections.abc import Iterator

from slipway.lint.rule import Hit, Rule, StatementContext, register
from slipway.lint.rules._helpers import table_cmds
from slipway.lint.rules._objects import column_added_here, table_cmds_around


@register
class BanDropDefault(Rule):
    """Dropping a column default breaks the inserts that leave the column out.

    Running application versions that never name the column now store NULL in it, or fail
    when it is NOT NULL. Not reported: a table or a column the same migration created (adding
    a NOT NULL column with a temporary default for the existing rows, then dropping the
    default, is the usual way to add a required column).

    **Anti-pattern**

    ```sql
    ALTER TABLE leads ALTER COLUMN status DROP DEFAULT;
    ```

    **Best practice**

    ```sql
    -- first ship code that always writes status, then in a later release:
    ALTER TABLE leads ALTER COLUMN status DROP DEFAULT;
    ```
    """

    code = "SW029"
    name = "ban-drop-default"
    severity = "warning"
    kinds = ("AlterTableStmt:AT_ColumnDefault",)
    help = "Drop the default only after every running version writes the column itself."

    def check(self, ctx: StatementContext) -> Iterator[Hit]:
        for table, cmd in table_cmds(ctx, "AT_ColumnDefault"):
            column = str(cmd.get("name", ""))
            if cmd.get("def") or not ctx.existed_before(table):
                continue  # SET DEFAULT, or a new table
            if column_added_here(ctx, table, column) or _default_set_here(ctx, table, column):
                continue
            known = ctx.state.tables.get(table)
            col = known.columns.get(column) if known else None
            result = "fail: the column is NOT NULL" if col and col.not_null else "store NULL"
            yield Hit(
                f"dropping the default of {table}.{column}: inserts that leave the column "
                f"out {result}"
            )


def _default_set_here(ctx: StatementContext, table: str, column: str) -> bool:
    """This migration set the default before (a down undoing its up): nothing deployed
    relies on it yet."""
    earlier = table_cmds_around(ctx, table, True, "AT_ColumnDefault")
    return any(cmd.get("def") and cmd.get("name") == column for cmd in earlier)
