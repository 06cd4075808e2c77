"""HC045 security-definer-search-path."""

from __future__ import annotations

from slipway.health.checks import Outcome, check, fail
from slipway.health.facts import Facts


@check("HC045", "security-definer-search-path", "security", facts=("secdef_functions",))
def security_definer_search_path(facts: Facts) -> Outcome:
    """SECURITY DEFINER functions without a fixed search_path.

    Why: the function runs with its owner's rights but resolves names through the caller's
    search_path, so a caller can plant a same-named function or table and run code as owner.

    Fix: ALTER FUNCTION f(...) SET search_path = pg_catalog, <schema>; (pg_temp last).
    """
    out = Outcome()
    for f in facts.get("secdef_functions"):
        if f["search_path"] is None:
            out.findings.append(
                fail(
                    f["signature"],
                    f"SECURITY DEFINER (owner {f['owner']}) with a mutable search_path",
                    f"ALTER FUNCTION {f['signature']} SET search_path = "
                    f"pg_catalog, {f['schema']}, pg_temp;",
                )
            )
    return out
