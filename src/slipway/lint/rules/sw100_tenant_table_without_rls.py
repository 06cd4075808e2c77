from __future__ import annotations

from collections.abc import Iterator

from slipway.lint.rule import Hit, Rule, SetContext, register
from slipway.lint.rules._helpers import tenant_tables


@register
class TenantTableWithoutRls(Rule):
    """A tenant table (it has the tenant column) does not have row level security enabled.

    Checked on the schema after the last migration: any later migration may enable it.
    Without RLS, one missing `WHERE dealership_id = ...` leaks every tenant's rows. The tenant
    column is `dealership_id` unless `[tenancy] column` in slipway.toml says otherwise.

    **Anti-pattern**

    ```sql
    CREATE TABLE leads (id bigint PRIMARY KEY, dealership_id bigint NOT NULL);
    ```

    **Best practice**

    ```sql
    CREATE TABLE leads (id bigint PRIMARY KEY, dealership_id bigint NOT NULL);
    ALTER TABLE leads ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
    CREATE POLICY leads_tenant ON leads
        USING (dealership_id = NULLIF(current_setting('app.dealership_id', true), '')::bigint);
    ```
    """

    code = "SW100"
    name = "tenant-table-without-rls"
    severity = "error"
    help = "ALTER TABLE ... ENABLE ROW LEVEL SECURITY and add a tenant policy."

    def check_set(self, ctx: SetContext) -> Iterator[Hit]:
        column = ctx.options.tenant_column
        for table in tenant_tables(ctx.state, column):
            if not table.rls_enabled:
                yield Hit(
                    f"tenant table {table.key} has {column} but row level security is not enabled",
                    at=table.origin,
                )
