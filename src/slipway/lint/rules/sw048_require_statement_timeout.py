from __future__ import annotations

from collections.abc import Iterator

from slipway.lint.rule import Hit, Rule, StatementContext, register
from slipway.lint.rules._timeouts import LOCKING, OncePerGap, locks_existing, timeout_enabled


@register
class RequireStatementTimeout(Rule):
    """Opt-in: bound how long a locking statement may run with `SET statement_timeout`.

    Once a DDL statement has its lock, lock_timeout no longer helps: a rewrite or a validating
    scan holds the lock for as long as it runs. A `statement_timeout` set in the file before
    it cancels the statement (and slipway rolls the migration back) instead. It is off by
    default, unlike squawk's require-statement-timeout: slipway's rewrite and scan rules
    (changing-column-type, adding-field-with-default, constraint-missing-not-valid, ...)
    already name the statements that hold a lock for long, and a timeout in every file
    would also cancel long statements that block nobody, such as backfills in batches.
    Enable it with `[lint] enable = ["require-statement-timeout"]`. Reported once per file, at
    the first statement that locks an existing table; CONCURRENTLY statements are left out
    (a timeout would cancel the build half way).

    **Anti-pattern**

    ```sql
    ALTER TABLE leads ADD CONSTRAINT leads_email_key UNIQUE (email);
    ```

    **Best practice**

    ```sql
    SET statement_timeout = '30s';
    ALTER TABLE leads ADD CONSTRAINT leads_email_key UNIQUE (email);
    ```
    """

    code = "SW048"
    name = "require-statement-timeout"
    severity = "warning"
    default_enabled = False
    kinds = tuple(LOCKING)
    help = "Add `SET statement_timeout = '30s';` (or another bound) before it."

    def __init__(self) -> None:
        self.once = OncePerGap()

    def check(self, ctx: StatementContext) -> Iterator[Hit]:
        enabled, since = timeout_enabled(ctx, "statement_timeout", False)
        if enabled or not locks_existing(ctx) or not self.once.first(ctx, since):
            return
        yield Hit(
            "no statement_timeout: once it has its lock, this statement holds it for as long "
            "as it runs"
        )
