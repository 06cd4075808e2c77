from __future__ import annotations

from collections.abc import Iterator

from slipway.lint.rule import Hit, Rule, StatementContext, register
from slipway.sql import nodes as n


@register
class RequireConcurrentIndexDeletion(Rule):
    """DROP INDEX without CONCURRENTLY takes an ACCESS EXCLUSIVE lock on the table.

    Every query on the table waits behind it (and behind any long query it waits for).
    Indexes created earlier in the same migration are not reported.

    **Anti-pattern**

    ```sql
    DROP INDEX leads_status_idx;
    ```

    **Best practice**

    ```sql
    DROP INDEX CONCURRENTLY IF EXISTS leads_status_idx;
    ```
    """

    code = "SW025"
    name = "require-concurrent-index-deletion"
    severity = "warning"
    kinds = ("DropStmt",)
    help = "Use DROP INDEX CONCURRENTLY IF EXISTS (without BEGIN/COMMIT around it)."

    def check(self, ctx: StatementContext) -> Iterator[Hit]:
        node = ctx.stmt.node
        if node.get("removeType") != "OBJECT_INDEX" or node.get("concurrent"):
            return
        for obj in node.get("objects", []):
            name = n.qualified(n.strings(obj.get("List", {}).get("items")))
            table = ctx.state.index_table(name)
            if table is None or ctx.existed_before(table):
                yield Hit(
                    f"dropping index {name} without CONCURRENTLY blocks every query on its table"
                )
