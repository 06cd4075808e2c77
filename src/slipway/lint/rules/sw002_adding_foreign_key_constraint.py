from __future__ import annotations

from collections.abc import Iterator

from slipway.lint.rule import Hit, Rule, StatementContext, register
from slipway.lint.rules._helpers import added_constraints
from slipway.sql import nodes as n


@register
class AddingForeignKeyConstraint(Rule):
    """Adding a validated foreign key to an existing table blocks writes on both tables.

    `ADD CONSTRAINT ... FOREIGN KEY` takes a SHARE ROW EXCLUSIVE lock on the table and the
    referenced table and scans every row to validate it. Add it `NOT VALID` (instant), then
    `VALIDATE CONSTRAINT` in a later migration, which only takes SHARE UPDATE EXCLUSIVE.

    **Anti-pattern**

    ```sql
    ALTER TABLE leads ADD CONSTRAINT leads_customer_fk
        FOREIGN KEY (customer_id) REFERENCES customers (id);
    ```

    **Best practice**

    ```sql
    ALTER TABLE leads ADD CONSTRAINT leads_customer_fk
        FOREIGN KEY (customer_id) REFERENCES customers (id) NOT VALID;
    -- in the next migration:
    ALTER TABLE leads VALIDATE CONSTRAINT leads_customer_fk;
    ```
    """

    code = "SW002"
    name = "adding-foreign-key-constraint"
    severity = "warning"
    cost = "scan"
    kinds = ("AlterTableStmt:AT_AddConstraint", "AlterTableStmt:AT_AddColumn")
    help = "Add the foreign key NOT VALID, then VALIDATE CONSTRAINT in a separate migration."

    def check(self, ctx: StatementContext) -> Iterator[Hit]:
        for table, con in added_constraints(ctx):
            if con.get("contype") != "CONSTR_FOREIGN" or con.get("skip_validation"):
                continue
            if ctx.existed_before(table):
                ref = n.relation(con.get("pktable"))
                yield Hit(
                    f"foreign key on existing table {table} referencing {ref} is validated "
                    "immediately, blocking writes to both tables while every row is checked",
                    table=table,
                )
