from __future__ import annotations

from collections.abc import Iterator

from slipway.lint.rule import Hit, Rule, StatementContext, register
from slipway.lint.rules._helpers import table_cmds
from slipway.sql import nodes as n


@register
class RequireConcurrentPartitionDetach(Rule):
    """DETACH PARTITION without CONCURRENTLY locks the whole partitioned table.

    It takes an ACCESS EXCLUSIVE lock on the parent: every query on any partition waits, and
    waits behind any long query it waits for. `DETACH PARTITION ... CONCURRENTLY`
    (PostgreSQL 14+) takes only a SHARE UPDATE EXCLUSIVE lock on the parent. It cannot run in
    a transaction block (slipway runs such a migration statement by statement) nor when the
    parent has a default partition. A table the same migration created is not reported.

    **Anti-pattern**

    ```sql
    ALTER TABLE lead_events DETACH PARTITION lead_events_2023;
    ```

    **Best practice**

    ```sql
    ALTER TABLE lead_events DETACH PARTITION lead_events_2023 CONCURRENTLY;
    ```
    """

    code = "SW041"
    name = "require-concurrent-partition-detach"
    severity = "warning"
    kinds = ("AlterTableStmt:AT_DetachPartition",)
    help = "Use DETACH PARTITION ... CONCURRENTLY (PostgreSQL 14+)."

    def check(self, ctx: StatementContext) -> Iterator[Hit]:
        for table, cmd in table_cmds(ctx, "AT_DetachPartition"):
            partition_cmd = (cmd.get("def") or {}).get("PartitionCmd") or {}
            if partition_cmd.get("concurrent") or not ctx.existed_before(table):
                continue
            partition = n.relation(partition_cmd.get("name"))
            yield Hit(
                f"detaching {partition} from {table} without CONCURRENTLY blocks every query "
                f"on {table}"
            )
