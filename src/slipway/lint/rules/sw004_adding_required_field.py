from __future__ import annotations

from collections.abc import Iterator

from slipway.lint.rule import Hit, Rule, StatementContext, register
from slipway.lint.rules._helpers import table_cmds
from slipway.sql import nodes as n

_FILLED = {"CONSTR_DEFAULT", "CONSTR_IDENTITY", "CONSTR_GENERATED"}


@register
class AddingRequiredField(Rule):
    """Adding a NOT NULL column without a default to an existing table fails when it has rows.

    Existing rows would get NULL in a column that forbids it, so PostgreSQL refuses the
    statement on any non-empty table: the migration passes in an empty test database and
    fails in production. A table the same migration emptied first (`DELETE` without `WHERE`,
    `TRUNCATE`, no `INSERT` or `COPY` since) is not flagged: the column is added to no rows.

    **Anti-pattern**

    ```sql
    ALTER TABLE leads ADD COLUMN source text NOT NULL;
    ```

    **Best practice**

    ```sql
    ALTER TABLE leads ADD COLUMN source text NOT NULL DEFAULT 'unknown';
    ```
    """

    code = "SW004"
    name = "adding-required-field"
    severity = "error"
    cost = "rows"
    kinds = ("AlterTableStmt:AT_AddColumn",)
    help = "Give the column a constant DEFAULT, or add it nullable, backfill, then SET NOT NULL."

    def check(self, ctx: StatementContext) -> Iterator[Hit]:
        for table, cmd in table_cmds(ctx, "AT_AddColumn"):
            col = (cmd.get("def") or {}).get("ColumnDef", {})
            types = {c.get("contype") for c in n.constraints_of(col)}
            required = "CONSTR_NOTNULL" in types or "CONSTR_PRIMARY" in types
            filled = types & _FILLED or n.type_name(col.get("typeName")) in n.SERIAL_TYPES
            if (
                required
                and not filled
                and ctx.existed_before(table)
                and not ctx.state.emptied_in(table, ctx.position)
            ):
                yield Hit(
                    f"NOT NULL column {table}.{col.get('colname')} without a default fails "
                    "on a table that has rows",
                    table=table,
                )
