"""HC041 tenant-rls-forced."""

from __future__ import annotations

from slipway.health.checks import Outcome, check, warn
from slipway.health.facts import Facts


@check("HC041", "tenant-rls-forced", "security", facts=("catalog",))
def tenant_rls_forced(facts: Facts) -> Outcome:
    """Tenant tables with row-level security enabled but not forced on the table owner.

    Why: the owner (often the role the application connects as) bypasses RLS unless it is
    forced, so isolation silently does nothing.

    Fix: ALTER TABLE t FORCE ROW LEVEL SECURITY.
    """
    out = Outcome()
    for t in facts.tenant_tables():
        if t.rls_enabled and not t.rls_forced:
            name = t.qualified
            out.findings.append(
                warn(
                    name,
                    f"RLS is enabled but not forced; its owner {t.owner} bypasses it",
                    f"ALTER TABLE {name} FORCE ROW LEVEL SECURITY;",
                )
            )
    return out
