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
    kinds = ("DropStmt:OBJECT_INDEX",)
    help = "Use DROP INDEX CONCURRENTLY IF EXISTS (without BEGIN/COMMIT around it)."

    def check(self, ctx: StatementContext) -> Iterator[Hit]:
        node = ctx.stmt.node
        if node.get("removeType") != "OBJECT_INDEX" or node.get("concurrent"):
            return
        for obj in node.get("objects", []):
            name = n.qualified(n.strings(obj.get("List", {}).get("items")))
            table = ctx.state.index_table(name)
            if table is not None and not ctx.existed_before(table):
                continue
            known = ctx.state.tables.get(table) if table else None
            if known is not None and known.partition_key:
                # PostgreSQL refuses DROP INDEX CONCURRENTLY on a partitioned index.
                yield Hit(
                    f"dropping index {name} of partitioned table {table} blocks every query on"
                    " all its partitions until it is done",
                    help="A partitioned index cannot be dropped CONCURRENTLY; drop it at a quiet"
                    " time (slipway's lock_timeout bounds the wait for the lock).",
                )
            else:
                yield Hit(
                    f"dropping index {name} without CONCURRENTLY blocks every query on its table"
                )
