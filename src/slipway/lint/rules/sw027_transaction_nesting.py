from __future__ import annotations

from collections.abc import Iterator

from slipway.lint.rule import Hit, Rule, StatementContext, register

_BEGIN = {"TRANS_STMT_BEGIN", "TRANS_STMT_START"}


@register
class TransactionNesting(Rule):
    """BEGIN inside a transaction block that is already open.

    PostgreSQL only warns ("there is already a transaction in progress") and the first
    COMMIT then ends the outer transaction too, so what follows is no longer atomic. A single
    BEGIN ... COMMIT around a whole file is fine: slipway strips it and runs the body in its
    own transaction together with the history record.

    **Anti-pattern**

    ```sql
    BEGIN;
    ALTER TABLE leads ADD COLUMN source text;
    BEGIN;
    UPDATE leads SET source = 'web';
    COMMIT;
    COMMIT;
    ```

    **Best practice**

    ```sql
    BEGIN;
    ALTER TABLE leads ADD COLUMN source text;
    UPDATE leads SET source = 'web';
    COMMIT;
    ```
    """

    code = "SW027"
    name = "transaction-nesting"
    severity = "warning"
    kinds = ("TransactionStmt",)
    help = "Remove the inner BEGIN/COMMIT (slipway runs each migration in a transaction by itself)."

    def check(self, ctx: StatementContext) -> Iterator[Hit]:
        if ctx.stmt.node.get("kind") in _BEGIN and ctx.in_transaction_block:
            yield Hit(
                "BEGIN inside a transaction block that is already open; the first COMMIT ends both"
            )
