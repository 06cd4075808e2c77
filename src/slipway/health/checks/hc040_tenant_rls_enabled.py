"""HC040 tenant-rls-enabled."""

from __future__ import annotations

from slipway.health.checks import Outcome, check, fail
from slipway.health.facts import Facts


@check("HC040", "tenant-rls-enabled", "security", facts=("catalog",))
def tenant_rls_enabled(facts: Facts) -> Outcome:
    """Tenant tables without row-level security, and shared partitions that skip it.

    Why: without RLS, one missing WHERE dealership_id = ... in the application shows every
    tenant's rows to every other tenant. A partition read directly does not apply its parent's
    policies, so a partition granted to other roles needs RLS of its own.

    Fix: ALTER TABLE t ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY, and add policies;
    for a partition, revoke its grants (access goes through the parent) or give it the same.
    """
    col = facts.tenant_column
    out = Outcome()
    for t in facts.tenant_tables():
        if not t.rls_enabled:
            name = t.qualified
            out.findings.append(
                fail(
                    name,
                    f"has {col} but row-level security is off",
                    f"ALTER TABLE {name} ENABLE ROW LEVEL SECURITY;",
                )
            )
    for t in facts.catalog.tables:
        if t.is_partition and facts.has_tenant_column(t) and t.shared and not t.rls_enabled:
            name = t.qualified
            out.findings.append(
                fail(
                    name,
                    "partition granted to other roles without "
                    "row-level security: reading it directly skips the "
                    "parent's policies",
                    f"REVOKE ALL ON {name} FROM PUBLIC (and other roles); "
                    "grant access on the parent only",
                )
            )
    return out
