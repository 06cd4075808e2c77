from __future__ import annotations

from collections.abc import Iterator

from slipway.lint.rule import Hit, MigrationContext, Rule, register

_BEGIN = {"TRANS_STMT_BEGIN", "TRANS_STMT_START"}
_END = {
    "TRANS_STMT_COMMIT",
    "TRANS_STMT_ROLLBACK",
    "TRANS_STMT_COMMIT_PREPARED",
    "TRANS_STMT_ROLLBACK_PREPARED",
    "TRANS_STMT_PREPARE",
}


@register
class BanUncommittedTransaction(Rule):
    """A BEGIN with no COMMIT after it leaves the rest of the file uncommitted.

    slipway runs a file with its own transaction control statement by statement; a
    transaction still open at the end of the file is rolled back when the migration ends, so
    everything after the BEGIN silently never happens. A file that is one `BEGIN; ... COMMIT;`
    is fine (slipway runs its body in its own transaction), and so is a file with no BEGIN.

    **Anti-pattern**

    ```sql
    BEGIN;
    ALTER TABLE leads ADD COLUMN source text;
    ```

    **Best practice**

    ```sql
    BEGIN;
    ALTER TABLE leads ADD COLUMN source text;
    COMMIT;
    ```
    """

    code = "SW042"
    name = "ban-uncommitted-transaction"
    severity = "error"
    help = "Add the COMMIT, or remove the BEGIN (slipway runs each migration in a transaction)."

    def check_migration(self, ctx: MigrationContext) -> Iterator[Hit]:
        open_begin = None
        for stmt in ctx.up.statements:
            if stmt.kind != "TransactionStmt":
                continue
            kind = stmt.node.get("kind")
            if kind in _BEGIN and open_begin is None:
                open_begin = stmt
            elif kind in _END:
                open_begin = None
        if open_begin is not None:
            yield Hit(
                "BEGIN without a COMMIT or ROLLBACK after it: what follows is rolled back "
                "when the migration ends",
                at=ctx.up.statement_origin(ctx.position, open_begin),
            )
