from __future__ import annotations

from collections.abc import Iterator

from slipway.lint.rule import Hit, Rule, StatementContext, register
from slipway.sql import nodes as n


@register
class RequireConcurrentIndexCreation(Rule):
    """CREATE INDEX without CONCURRENTLY on an existing table blocks writes while it builds.

    A plain CREATE INDEX holds a SHARE lock: inserts, updates and deletes wait for the whole
    build. Tables created earlier in the same migration are empty and not reported; a table
    created by an earlier migration is. slipway runs a migration that contains CONCURRENTLY
    outside a transaction, and cleans up an INVALID index left by a failed attempt on retry.
    A partitioned table cannot be indexed CONCURRENTLY: the help then says how to build the
    index partition by partition.

    **Anti-pattern**

    ```sql
    CREATE INDEX leads_status_idx ON leads (status);
    ```

    **Best practice**

    ```sql
    CREATE INDEX CONCURRENTLY IF NOT EXISTS leads_status_idx ON leads (status);
    ```
    """

    code = "SW024"
    name = "require-concurrent-index-creation"
    severity = "warning"
    cost = "scan"
    kinds = ("IndexStmt",)
    help = (
        "Use CREATE INDEX CONCURRENTLY (without BEGIN/COMMIT around it); slipway's "
        "lock_timeout only bounds the wait for the lock, not the build."
    )

    def check(self, ctx: StatementContext) -> Iterator[Hit]:
        node = ctx.stmt.node
        table = n.relation(node.get("relation"))
        if node.get("concurrent") or not ctx.existed_before(table):
            return
        known = ctx.state.tables.get(table)
        if known is not None and known.partition_key:
            yield Hit(
                f"creating an index on existing partitioned table {table} blocks writes to "
                "every partition for the whole build",
                help="CREATE INDEX ON ONLY the parent, CREATE INDEX CONCURRENTLY on each "
                "partition, then ALTER INDEX ... ATTACH PARTITION each one.",
                table=table,
            )
        else:
            yield Hit(
                f"creating an index on existing table {table} without CONCURRENTLY "
                "blocks writes for the whole build",
                table=table,
            )
