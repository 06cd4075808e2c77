from __future__ import annotations

from collections.abc import Iterator

from slipway.lint.rule import Hit, Rule, StatementContext, register
from slipway.sql import nodes as n


@register
class BanDropTable(Rule):
    """Dropping a table destroys its data and breaks code that still uses it.

    Tables created earlier in the same migration are not reported.

    **Anti-pattern**

    ```sql
    DROP TABLE legacy_leads;
    ```

    **Best practice**

    ```sql
    -- stop using the table, keep a backup, then in a later release:
    ALTER TABLE legacy_leads RENAME TO legacy_leads_deprecated;
    ```
    """

    code = "SW009"
    name = "ban-drop-table"
    severity = "warning"
    kinds = ("DropStmt:OBJECT_TABLE",)
    help = "Make sure nothing uses the table and its data is backed up or no longer needed."

    def check(self, ctx: StatementContext) -> Iterator[Hit]:
        if ctx.stmt.node.get("removeType") != "OBJECT_TABLE":
            return
        for obj in ctx.stmt.node.get("objects", []):
            table = n.qualified(n.strings(obj.get("List", {}).get("items")))
            if table and ctx.existed_before(table):
                yield Hit(f"dropping table {table} destroys its data")
