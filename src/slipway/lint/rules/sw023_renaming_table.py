from __future__ import annotations

from collections.abc import Iterator

from slipway.lint.rule import Hit, Rule, StatementContext, register
from slipway.lint.rules._objects import undoes_up_rename
from slipway.sql import nodes as n


@register
class RenamingTable(Rule):
    """Renaming a table breaks every running application version that uses the old name.

    **Anti-pattern**

    ```sql
    ALTER TABLE leads RENAME TO sales_leads;
    ```

    **Best practice**

    ```sql
    ALTER TABLE leads RENAME TO sales_leads;
    CREATE VIEW leads WITH (security_invoker = true) AS SELECT * FROM sales_leads;
    -- drop the compatibility view once no code uses the old name
    ```
    """

    code = "SW023"
    name = "renaming-table"
    severity = "warning"
    kinds = ("RenameStmt",)
    help = "Keep a compatibility view under the old name until no code uses it."

    def check(self, ctx: StatementContext) -> Iterator[Hit]:
        node = ctx.stmt.node
        if node.get("renameType") != "OBJECT_TABLE":
            return
        table = n.relation(node.get("relation"))
        if ctx.existed_before(table) and not undoes_up_rename(ctx):
            yield Hit(
                f"renaming table {table} to {node.get('newname')} breaks code that uses "
                "the old name"
            )
