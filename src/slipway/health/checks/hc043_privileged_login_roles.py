"""HC043 privileged-login-roles."""

from __future__ import annotations

from slipway.health.checks import Outcome, check, info, warn
from slipway.health.facts import Facts

BOOTSTRAP_SUPERUSER_OID = 10


@check("HC043", "privileged-login-roles", "security", facts=("roles",))
def privileged_login_roles(facts: Facts) -> Outcome:
    """Login roles that are superuser or BYPASSRLS, and so ignore every RLS policy.

    Why: an application connecting as such a role sees and changes every tenant's rows, no
    matter what the policies say.

    Fix: connect the application as a plain role; ALTER ROLE r NOSUPERUSER NOBYPASSRLS.
    """
    out = Outcome()
    for r in facts.get("roles"):
        what = "superuser" if r["superuser"] else "BYPASSRLS"
        if int(r["oid"]) == BOOTSTRAP_SUPERUSER_OID:
            out.findings.append(
                info(
                    r["name"],
                    "the bootstrap superuser; keep it for "
                    "administration, never for the application",
                )
            )
            continue
        out.findings.append(
            warn(
                r["name"],
                f"can log in and is {what}: RLS does not apply",
                f"ALTER ROLE {r['name']} NOSUPERUSER NOBYPASSRLS;",
            )
        )
    return out
