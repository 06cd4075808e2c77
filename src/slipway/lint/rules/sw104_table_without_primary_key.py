from __future__ import annotations

from collections.abc import Iterator

from slipway.lint.rule import Hit, Rule, SetContext, register


@register
class TableWithoutPrimaryKey(Rule):
    """A table has no primary key.

    Without one, rows cannot be addressed reliably, logical replication cannot replicate
    UPDATE and DELETE, and duplicates creep in. Checked after the last migration, so a key
    added later counts. Partitions inherit their parent's key and are skipped.

    **Anti-pattern**

    ```sql
    CREATE TABLE lead_events (lead_id bigint, event text, at timestamptz);
    ```

    **Best practice**

    ```sql
    CREATE TABLE lead_events (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        lead_id bigint, event text, at timestamptz
    );
    ```
    """

    code = "SW104"
    name = "table-without-primary-key"
    severity = "warning"
    help = "Add a primary key (an identity column if nothing natural exists)."

    def check_set(self, ctx: SetContext) -> Iterator[Hit]:
        for table in ctx.state.tables.values():
            if table.origin is None or table.partial or table.partition_of:
                continue
            if not table.primary_key:
                yield Hit(f"table {table.key} has no primary key", at=table.origin)
