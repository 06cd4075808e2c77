from __future__ import annotations

from collections.abc import Iterator

from slipway.lint.rule import Hit, Rule, StatementContext, register
from slipway.sql import nodes as n


@register
class PreferRobustStmts(Rule):
    """In a migration slipway runs outside a transaction, statements must be safe to re-run.

    slipway runs a migration that contains CONCURRENTLY (or anything else that cannot run in
    a transaction) statement by statement. If a statement fails, the ones before it stay
    applied, and the retry runs the whole file again: every statement that has another one
    after it needs `IF NOT EXISTS` / `IF EXISTS`. The last statement needs nothing (slipway
    drops the INVALID index a failed CREATE INDEX CONCURRENTLY leaves before retrying), and
    transactional migrations are atomic, so neither is reported. Lock timeouts need no
    `SET lock_timeout` in the file: slipway sets one for every migration and retries.

    **Anti-pattern**

    ```sql
    CREATE INDEX CONCURRENTLY leads_status_idx ON leads (status);
    DROP INDEX CONCURRENTLY leads_old_status_idx;
    ```

    **Best practice**

    ```sql
    CREATE INDEX CONCURRENTLY IF NOT EXISTS leads_status_idx ON leads (status);
    DROP INDEX CONCURRENTLY IF EXISTS leads_old_status_idx;
    ```
    """

    code = "SW019"
    name = "prefer-robust-stmts"
    severity = "warning"
    kinds = ("IndexStmt", "DropStmt", "CreateStmt", "AlterTableStmt")
    help = (
        "Add IF NOT EXISTS / IF EXISTS so a retry after a partial failure succeeds "
        "(slipway already sets lock_timeout and retries)."
    )

    def check(self, ctx: StatementContext) -> Iterator[Hit]:
        if not ctx.non_transactional or ctx.stmt.index == len(ctx.script.statements) - 1:
            return
        node, kind = ctx.stmt.node, ctx.stmt.kind
        if kind in ("IndexStmt", "CreateStmt") and not node.get("if_not_exists"):
            what = "CREATE INDEX" if kind == "IndexStmt" else "CREATE TABLE"
            yield Hit(f"{what} without IF NOT EXISTS fails when the migration is retried")
        elif kind == "DropStmt" and not node.get("missing_ok"):
            yield Hit("DROP without IF EXISTS fails when the migration is retried")
        elif kind == "AlterTableStmt":
            for cmd in n.alter_cmds(node):
                if cmd.get("subtype") in ("AT_AddColumn", "AT_DropColumn") and not cmd.get(
                    "missing_ok"
                ):
                    yield Hit(
                        "ADD/DROP COLUMN without IF [NOT] EXISTS fails when the migration "
                        "is retried"
                    )
