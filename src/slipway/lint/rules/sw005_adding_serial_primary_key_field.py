from __future__ import annotations

from collections.abc import Iterator

from slipway.lint.rule import Hit, Rule, StatementContext, register
from slipway.lint.rules._helpers import added_constraints


@register
class AddingSerialPrimaryKeyField(Rule):
    """Adding a primary key to an existing table builds its index under an ACCESS EXCLUSIVE lock.

    Reads and writes wait while the unique index is built. Build the index CONCURRENTLY
    first, then attach it with `PRIMARY KEY USING INDEX`, which is instant.

    **Anti-pattern**

    ```sql
    ALTER TABLE events ADD PRIMARY KEY (id);
    ```

    **Best practice**

    ```sql
    CREATE UNIQUE INDEX CONCURRENTLY events_pkey_idx ON events (id);
    ALTER TABLE events ADD CONSTRAINT events_pkey PRIMARY KEY USING INDEX events_pkey_idx;
    ```
    """

    code = "SW005"
    name = "adding-serial-primary-key-field"
    severity = "warning"
    cost = "scan"
    kinds = ("AlterTableStmt:AT_AddConstraint", "AlterTableStmt:AT_AddColumn")
    help = (
        "CREATE UNIQUE INDEX CONCURRENTLY, then ADD CONSTRAINT ... PRIMARY KEY USING INDEX "
        "in a later migration."
    )

    def check(self, ctx: StatementContext) -> Iterator[Hit]:
        for table, con in added_constraints(ctx):
            if con.get("contype") != "CONSTR_PRIMARY" or con.get("indexname"):
                continue
            if ctx.existed_before(table):
                yield Hit(
                    f"adding a primary key to existing table {table} builds its index while "
                    "blocking reads and writes",
                    table=table,
                )
