from __future__ import annotations

from collections.abc import Iterator

from slipway.lint.rule import Hit, Rule, SetContext, register


@register
class ViewWithoutSecurityInvoker(Rule):
    """A view over a row-level-secured table runs as its owner, bypassing the policies.

    Views check permissions and RLS as the view owner unless created `WITH
    (security_invoker = true)` (PostgreSQL 15+), so a tenant-filtered table read through the
    view shows every tenant. Checked after the last migration.

    **Anti-pattern**

    ```sql
    CREATE VIEW open_leads AS SELECT * FROM leads WHERE status = 'open';
    ```

    **Best practice**

    ```sql
    CREATE VIEW open_leads WITH (security_invoker = true) AS
        SELECT * FROM leads WHERE status = 'open';
    ```
    """

    code = "SW108"
    name = "view-without-security-invoker"
    severity = "warning"
    help = (
        "Create the view WITH (security_invoker = true), "
        "or ALTER VIEW ... SET (security_invoker = true)."
    )

    def check_set(self, ctx: SetContext) -> Iterator[Hit]:
        for view in ctx.state.views.values():
            if view.security_invoker:
                continue
            secured = [
                t for t in view.tables if t in ctx.state.tables and ctx.state.tables[t].rls_enabled
            ]
            if secured:
                yield Hit(
                    f"view {view.key} reads row-level-secured {', '.join(secured)} without "
                    "security_invoker: it bypasses their policies",
                    at=view.origin,
                )
