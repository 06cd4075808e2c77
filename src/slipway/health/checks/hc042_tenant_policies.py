"""HC042 tenant-policies."""

from __future__ import annotations

from slipway.health.checks import Outcome, check, warn
from slipway.health.facts import Facts, qualified

COMMANDS = {"r": "SELECT", "a": "INSERT", "w": "UPDATE", "d": "DELETE"}


@check("HC042", "tenant-policies", "security", facts=("tables", "policies"))
def tenant_policies(facts: Facts) -> Outcome:
    """Tenant tables with RLS that lack a permissive policy for SELECT, INSERT, UPDATE or DELETE.

    Why: with RLS on, a command without a policy is denied to everyone but the owner, so the
    application fails at run time (or someone turns RLS off to make it work).

    Fix: CREATE POLICY ... FOR <command> (or FOR ALL) USING / WITH CHECK on the tenant column.
    """
    covered: dict[int, set[str]] = {}
    for p in facts.get("policies"):
        if not p["permissive"]:
            continue  # restrictive policies narrow access; they never grant it
        cmds = set(COMMANDS) if p["cmd"] == "*" else {p["cmd"]}
        covered.setdefault(int(p["table_oid"]), set()).update(cmds)
    out = Outcome()
    for t in facts.tenant_tables():
        if not t["rls"]:
            continue  # HC040 reports it
        missing = [
            name for cmd, name in COMMANDS.items() if cmd not in covered.get(int(t["oid"]), set())
        ]
        if missing:
            out.findings.append(
                warn(
                    qualified(t),
                    f"no policy for {', '.join(missing)}",
                    f"CREATE POLICY ... ON {qualified(t)} FOR {missing[0]} "
                    f"USING ({facts.tenant_column} = ...)",
                )
            )
    return out
