"""HC042 tenant-policies."""

from __future__ import annotations

from slipway.health.checks import Outcome, check, warn
from slipway.health.facts import Facts

COMMANDS = ("SELECT", "INSERT", "UPDATE", "DELETE")


@check("HC042", "tenant-policies", "security", facts=("catalog",))
def tenant_policies(facts: Facts) -> Outcome:
    """Tenant tables with RLS that lack a permissive policy for SELECT, INSERT, UPDATE or DELETE.

    Why: with RLS on, a command without a policy is denied to everyone but the owner, so the
    application fails at run time (or someone turns RLS off to make it work).

    Fix: CREATE POLICY ... FOR <command> (or FOR ALL) USING / WITH CHECK on the tenant column.
    """
    out = Outcome()
    for t in facts.tenant_tables():
        if not t.rls_enabled:
            continue  # HC040 reports it
        # restrictive policies narrow access; they never grant it
        missing = [c for c in COMMANDS if not any(p.permissive for p in t.policies_for(c))]
        if missing:
            out.findings.append(
                warn(
                    t.qualified,
                    f"no policy for {', '.join(missing)}",
                    f"CREATE POLICY ... ON {t.qualified} FOR {missing[0]} "
                    f"USING ({facts.tenant_column} = ...)",
                )
            )
    return out
