from __future__ import annotations

from collections.abc import Iterator

from slipway.lint.rule import Hit, Rule, StatementContext, register
from slipway.lint.rules._helpers import added_constraints


@register
class DisallowedUniqueConstraint(Rule):
    """Adding a UNIQUE constraint to an existing table builds its index while blocking writes.

    Build a unique index CONCURRENTLY, then attach it with `UNIQUE USING INDEX`.

    **Anti-pattern**

    ```sql
    ALTER TABLE customers ADD CONSTRAINT customers_email_key UNIQUE (email);
    ```

    **Best practice**

    ```sql
    CREATE UNIQUE INDEX CONCURRENTLY customers_email_idx ON customers (email);
    ALTER TABLE customers ADD CONSTRAINT customers_email_key UNIQUE USING INDEX customers_email_idx;
    ```
    """

    code = "SW015"
    name = "disallowed-unique-constraint"
    severity = "warning"
    kinds = ("AlterTableStmt:AT_AddConstraint", "AlterTableStmt:AT_AddColumn")
    help = "CREATE UNIQUE INDEX CONCURRENTLY, then ADD CONSTRAINT ... UNIQUE USING INDEX."

    def check(self, ctx: StatementContext) -> Iterator[Hit]:
        for table, con in added_constraints(ctx):
            unique = con.get("contype") == "CONSTR_UNIQUE" and not con.get("indexname")
            if unique and ctx.existed_before(table):
                yield Hit(
                    f"UNIQUE constraint on existing table {table} builds an index while "
                    "blocking writes"
                )
