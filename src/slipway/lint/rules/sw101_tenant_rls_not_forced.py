from __future__ import annotations

from collections.abc import Iterator

from slipway.lint.rule import Hit, Rule, SetContext, register
from slipway.lint.rules._helpers import tenant_tables


@register
class TenantRlsNotForced(Rule):
    """A tenant table enables row level security but does not FORCE it.

    Without FORCE, the table's owner (usually the role the application connects as) bypasses
    every policy, so isolation silently does nothing for the application.

    **Anti-pattern**

    ```sql
    ALTER TABLE leads ENABLE ROW LEVEL SECURITY;
    ```

    **Best practice**

    ```sql
    ALTER TABLE leads ENABLE ROW LEVEL SECURITY;
    ALTER TABLE leads FORCE ROW LEVEL SECURITY;
    ```
    """

    code = "SW101"
    name = "tenant-rls-not-forced"
    severity = "warning"
    help = "ALTER TABLE ... FORCE ROW LEVEL SECURITY so the owner role is filtered too."

    def check_set(self, ctx: SetContext) -> Iterator[Hit]:
        for table in tenant_tables(ctx.state, ctx.options.tenant_column):
            if table.rls_enabled and not table.rls_forced:
                yield Hit(
                    f"tenant table {table.key} enables row level security without FORCE: "
                    "the owner role bypasses its policies",
                    at=table.origin,
                )
