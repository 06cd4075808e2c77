from __future__ import annotations

from collections.abc import Iterator

from slipway.lint.rule import Hit, Rule, SetContext, register


@register
class PartitionKeyNotInUnique(Rule):
    """A partitioned table's primary key or unique constraint lacks the partition key.

    PostgreSQL enforces uniqueness per partition only, so it rejects such a constraint
    ("unique constraint on partitioned table must include all partitioning columns"): the
    migration fails when applied.

    **Anti-pattern**

    ```sql
    CREATE TABLE messages (id bigint PRIMARY KEY, sent_at timestamptz NOT NULL)
        PARTITION BY RANGE (sent_at);
    ```

    **Best practice**

    ```sql
    CREATE TABLE messages (id bigint, sent_at timestamptz NOT NULL, PRIMARY KEY (id, sent_at))
        PARTITION BY RANGE (sent_at);
    ```
    """

    code = "SW106"
    name = "partition-key-not-in-unique"
    severity = "error"
    help = "Add the partition key columns to the primary key / unique constraint."

    def check_set(self, ctx: SetContext) -> Iterator[Hit]:
        for table in ctx.state.tables.values():
            if not table.partition_key or table.origin is None:
                continue
            keys = {"primary key": table.primary_key} | {
                f"unique {name or '(' + ', '.join(cols) + ')'}": cols
                for name, cols in table.uniques.items()
            }
            for what, cols in keys.items():
                missing = [c for c in table.partition_key if c and c not in (cols or ())]
                if cols and missing:
                    yield Hit(
                        f"{what} of partitioned table {table.key} lacks partition key "
                        f"column {', '.join(missing)}",
                        at=table.origin,
                    )
