from __future__ import annotations

from collections.abc import Iterator

from slipway.lint.rule import Hit, Rule, SetContext, register
from slipway.lint.rules._helpers import tenant_tables

COMMANDS = ("select", "insert", "update", "delete")


@register
class TenantPolicyMissing(Rule):
    """A tenant table with row level security lacks a policy for some command.

    With RLS on, a command without a policy is denied (a SELECT returns nothing, an INSERT
    fails), which usually means a forgotten policy. A `FOR ALL` policy covers every command.

    **Anti-pattern**

    ```sql
    ALTER TABLE leads ENABLE ROW LEVEL SECURITY;
    CREATE POLICY leads_read ON leads FOR SELECT USING (dealership_id = app_dealership());
    ```

    **Best practice**

    ```sql
    ALTER TABLE leads ENABLE ROW LEVEL SECURITY;
    CREATE POLICY leads_tenant ON leads FOR ALL
        USING (dealership_id = app_dealership()) WITH CHECK (dealership_id = app_dealership());
    ```
    """

    code = "SW102"
    name = "tenant-policy-missing"
    severity = "error"
    help = "Add a policy for the missing commands, or one FOR ALL policy."

    def check_set(self, ctx: SetContext) -> Iterator[Hit]:
        for table in tenant_tables(ctx.state, ctx.options.tenant_column):
            if not table.rls_enabled:
                continue
            covered = set(table.policies.values())
            missing = [] if "all" in covered else [c for c in COMMANDS if c not in covered]
            if missing:
                yield Hit(
                    f"tenant table {table.key} has no policy for "
                    f"{', '.join(c.upper() for c in missing)}",
                    at=table.origin,
                )
