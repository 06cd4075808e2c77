from __future__ import annotations

from collections.abc import Iterator

from slipway.lint.rule import Hit, MigrationContext, Rule, register
from slipway.sql import unclosed_begin


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
        statements = ctx.up.statements
        index = unclosed_begin([(stmt.kind, stmt.node) for stmt in statements])
        open_begin = statements[index] if index is not None else None
        if open_begin is not None:
            yield Hit(
                "BEGIN without a COMMIT or ROLLBACK after it: what follows is rolled back "
                "when the migration ends",
                at=ctx.up.statement_origin(ctx.position, open_begin),
            )
