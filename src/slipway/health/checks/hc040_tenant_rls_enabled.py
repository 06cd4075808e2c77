"""HC040 tenant-rls-enabled."""

from __future__ import annotations

from slipway.health.checks import Outcome, check, fail
from slipway.health.facts import Facts, qualified


@check("HC040", "tenant-rls-enabled", "security", facts=("tables",))
def tenant_rls_enabled(facts: Facts) -> Outcome:
    """Tenant tables (with the tenant column) that do not have row-level security enabled.

    Why: without RLS, one missing WHERE dealership_id = ... in the application shows every
    tenant's rows to every other tenant.

    Fix: ALTER TABLE t ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY, and add policies.
    """
    out = Outcome()
    for t in facts.tenant_tables():
        if not t["rls"]:
            name = qualified(t)
            out.findings.append(fail(name, f"has {facts.tenant_column} but row-level security "
                                     "is off", f"ALTER TABLE {name} ENABLE ROW LEVEL SECURITY;"))
    return out
