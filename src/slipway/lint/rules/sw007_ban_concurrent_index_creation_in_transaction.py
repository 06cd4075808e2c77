from __future__ import annotations

from collections.abc import Iterator

from slipway.lint.rule import Hit, Rule, StatementContext, register


@register
class BanConcurrentIndexCreationInTransaction(Rule):
    """CREATE INDEX CONCURRENTLY cannot run inside a transaction block.

    slipway runs a migration that contains CONCURRENTLY statement by statement, outside a
    transaction, so a plain file is fine. This fires when the file wraps the statement in its
    own BEGIN ... COMMIT (or the migration forces a transaction), where PostgreSQL refuses it.

    **Anti-pattern**

    ```sql
    BEGIN;
    CREATE INDEX CONCURRENTLY leads_status_idx ON leads (status);
    COMMIT;
    ```

    **Best practice**

    ```sql
    CREATE INDEX CONCURRENTLY IF NOT EXISTS leads_status_idx ON leads (status);
    ```
    """

    code = "SW007"
    name = "ban-concurrent-index-creation-in-transaction"
    severity = "error"
    kinds = ("IndexStmt", "DropStmt")
    help = (
        "Remove the BEGIN/COMMIT around it: slipway runs migrations with CONCURRENTLY "
        "outside a transaction by itself."
    )

    def check(self, ctx: StatementContext) -> Iterator[Hit]:
        if not ctx.stmt.node.get("concurrent"):
            return
        forced = ctx.script.script.transactional is True
        if ctx.in_transaction_block or forced:
            where = "the file's BEGIN ... COMMIT" if ctx.in_transaction_block else "a transaction"
            verb = "CREATE INDEX" if ctx.stmt.kind == "IndexStmt" else "DROP INDEX"
            yield Hit(
                f"{verb} CONCURRENTLY inside {where} fails: it cannot run in a transaction block"
            )
