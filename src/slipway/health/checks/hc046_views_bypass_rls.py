"""HC046 views-bypass-rls."""

from __future__ import annotations

from slipway.catalog.model import MatView, View
from slipway.health.checks import Outcome, check, fail, warn
from slipway.health.facts import Facts


@check("HC046", "views-bypass-rls", "security", facts=("catalog", "database"))
def views_bypass_rls(facts: Facts) -> Outcome:
    """Views over RLS tables that run as their owner (no security_invoker); shared matviews of them.

    Why: a view reads its tables with its owner's rights, so a view owned by the table owner
    returns every tenant's rows to anyone allowed to select from the view.

    Fix: ALTER VIEW v SET (security_invoker = true) (PostgreSQL 15+); restrict grants on
    materialized views, which store rows without any policy.
    """
    pg15 = int(facts.one("database").get("server_version_num") or 0) >= 150000
    catalog = facts.catalog
    with_rls = {(t.schema, t.name): t.qualified for t in catalog.tables if t.rls_enabled}
    out = Outcome()
    views: list[View | MatView] = [*catalog.views, *catalog.matviews]
    for v in sorted(views, key=lambda v: (v.schema, v.name)):
        rls = sorted(with_rls[pair] for pair in v.reads if pair in with_rls)
        if not rls:
            continue
        name, tables = f"{v.schema}.{v.name}", ", ".join(rls)
        if isinstance(v, MatView):
            if not v.shared:
                continue  # readable by its owner only: nothing leaks
            out.findings.append(
                warn(
                    name,
                    f"materialized view stores rows of {tables} without row-level security",
                    f"REVOKE ALL ON {name} FROM PUBLIC; grant it to trusted roles only",
                )
            )
        elif not v.security_invoker:
            fix = (
                f"ALTER VIEW {name} SET (security_invoker = true);"
                if pg15
                else "upgrade to PostgreSQL 15 for security_invoker views, or revoke access"
            )
            out.findings.append(
                fail(name, f"reads {tables} as its owner, bypassing their row-level security", fix)
            )
    return out
