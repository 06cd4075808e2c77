from __future__ import annotations

from collections.abc import Iterator

from slipway.lint.rule import Hit, Rule, StatementContext, register
from slipway.sql import is_concurrent
from slipway.sql import nodes as n

_WHAT = {
    "REINDEX_OBJECT_INDEX": "index",
    "REINDEX_OBJECT_TABLE": "table",
    "REINDEX_OBJECT_SCHEMA": "schema",
    "REINDEX_OBJECT_DATABASE": "database",
}


@register
class RequireConcurrentReindex(Rule):
    """REINDEX without CONCURRENTLY blocks writes to the table, and reads that use the index.

    It takes a SHARE lock on the table (writes wait) and an ACCESS EXCLUSIVE lock on each
    index it rebuilds (queries that would use it wait), for the whole rebuild. `REINDEX ...
    CONCURRENTLY` (PostgreSQL 12+) builds a new copy next to the old one and swaps them. An
    index or table the same migration created is not reported, nor `REINDEX SYSTEM` (which
    has no concurrent form).

    **Anti-pattern**

    ```sql
    REINDEX INDEX leads_email_idx;
    ```

    **Best practice**

    ```sql
    REINDEX INDEX CONCURRENTLY leads_email_idx;
    ```
    """

    code = "SW040"
    name = "require-concurrent-reindex"
    severity = "warning"
    kinds = ("ReindexStmt",)
    help = "Use REINDEX ... CONCURRENTLY (slipway runs it outside a transaction by itself)."

    def check(self, ctx: StatementContext) -> Iterator[Hit]:
        node = ctx.stmt.node
        what = _WHAT.get(str(node.get("kind")))
        if what is None or is_concurrent(ctx.stmt.kind, node):
            return
        target = n.relation(node.get("relation")) or str(node.get("name") or "")
        if what == "table" and not ctx.existed_before(target):
            return
        if what == "index":
            index = ctx.state.indexes.get(target)
            if index is not None and not ctx.existed_before(index.table):
                return
        shown = f"{what} {target}" if target else what
        yield Hit(f"REINDEX {shown} without CONCURRENTLY blocks writes while it rebuilds")
