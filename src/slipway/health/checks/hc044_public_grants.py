"""HC044 public-grants."""

from __future__ import annotations

from slipway.catalog.objects import privileges
from slipway.health.checks import Outcome, check, fail, info
from slipway.health.facts import Facts


@check("HC044", "public-grants", "security", facts=("catalog",))
def public_grants(facts: Facts) -> Outcome:
    """Privileges on tenant tables granted to PUBLIC, i.e. to every role.

    Why: a grant to PUBLIC reaches every present and future role, including ones made for
    other purposes; tenant data must be granted to named roles only.

    Fix: REVOKE ALL ON t FROM PUBLIC; GRANT what is needed to the application role.
    """
    tenant = {(t.schema, t.name) for t in facts.tenant_tables()}
    out = Outcome()
    for rel in facts.relations():
        public = sorted(priv for grantee, priv in privileges(rel.grants) if grantee == "PUBLIC")
        if not public:
            continue
        name = f"{rel.schema}.{rel.name}"
        privs = ", ".join(public)
        if (rel.schema, rel.name) in tenant:
            out.findings.append(
                fail(
                    name,
                    f"tenant table grants {privs} to PUBLIC",
                    f"REVOKE ALL ON {name} FROM PUBLIC;",
                )
            )
        else:
            out.findings.append(info(name, f"grants {privs} to PUBLIC"))
    return out
