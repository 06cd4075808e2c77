from __future__ import annotations

from slipway.lint.rule import Rule, register


@register
class UnknownIgnore(Rule):
    """A `-- slipway-ignore` comment names a rule that does not exist.

    A misspelt rule name suppresses nothing, so the finding it was meant to silence (or a
    real problem) is still there. `squawk-ignore` comments may name squawk rules slipway does
    not have; those are accepted silently.

    **Anti-pattern**

    ```sql
    -- slipway-ignore require-concurrent-index
    CREATE INDEX leads_status_idx ON leads (status);
    ```

    **Best practice**

    ```sql
    -- slipway-ignore require-concurrent-index-creation
    CREATE INDEX leads_status_idx ON leads (status);
    ```
    """

    code = "SW900"
    name = "unknown-ignore"
    severity = "warning"
    help = "Use a name or code from `slipway lint --list`."
