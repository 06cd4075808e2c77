from __future__ import annotations

from collections.abc import Iterator

from slipway.lint.rule import Hit, Rule, StatementContext, register
from slipway.lint.rules._timeouts import LOCKING, OncePerGap, locks_existing, timeout_enabled


@register
class RequireLockTimeout(Rule):
    """A migration must not wait for a lock without limit; slipway sets lock_timeout itself.

    A DDL statement waiting for its lock behind a long query makes every later query on the
    table queue behind it: a short migration becomes an outage. slipway runs every migration
    with `lock_timeout` (`[migrations] lock_timeout`, default 5s, or `-- slipway: lock-timeout
    10s` in the file) and retries with backoff, so a file needs no `SET lock_timeout` and this
    rule never fires for it (squawk's require-lock-timeout asks every file for one). It fires
    when the file turns the timeout off before a statement that locks an existing table:
    `SET lock_timeout = 0`, `RESET lock_timeout`, `RESET ALL` or `-- slipway: lock-timeout 0`.
    CONCURRENTLY statements are left out: slipway runs them without a lock timeout on purpose.
    If another tool runs your migrations, slipway's timeout does not apply to them.

    **Anti-pattern**

    ```sql
    SET lock_timeout = 0;
    ALTER TABLE leads ADD COLUMN source text;
    ```

    **Best practice**

    ```sql
    -- nothing to write: slipway sets lock_timeout and retries; for a longer wait:
    -- slipway: lock-timeout 30s
    ALTER TABLE leads ADD COLUMN source text;
    ```
    """

    code = "SW047"
    name = "require-lock-timeout"
    severity = "warning"
    kinds = tuple(LOCKING)
    help = (
        "Remove the statement that turns lock_timeout off; for a longer wait use "
        "`-- slipway: lock-timeout 30s`."
    )

    def __init__(self) -> None:
        self.once = OncePerGap()

    def check(self, ctx: StatementContext) -> Iterator[Hit]:
        configured = ctx.script.script.lock_timeout
        enabled, since = timeout_enabled(ctx, "lock_timeout", configured != 0)
        if enabled or not locks_existing(ctx) or not self.once.first(ctx, since):
            return
        if since >= 0:
            cause = f"lock_timeout is turned off on line {ctx.script.statements[since].line}"
        else:
            cause = "the file's `-- slipway: lock-timeout 0` turns lock_timeout off"
        yield Hit(
            f"{cause}: this statement can wait for its lock without limit while every query "
            "on the table queues behind it"
        )
