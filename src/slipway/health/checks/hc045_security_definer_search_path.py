"""HC045 security-definer-search-path."""

from __future__ import annotations

from slipway.catalog.model import Function
from slipway.health.checks import Outcome, check, fail
from slipway.health.facts import Facts
from slipway.sql.quote import quote_ident_if_needed


def _alter(f: Function) -> str:
    """ALTER FUNCTION (or PROCEDURE) with the routine's name quoted as SQL needs it."""
    word = "PROCEDURE" if f.kind == "procedure" else "FUNCTION"
    name = quote_ident_if_needed(f.name)
    qualified = name if f.schema == "public" else f"{quote_ident_if_needed(f.schema)}.{name}"
    return f"ALTER {word} {qualified}({f.arg_types})"


@check("HC045", "security-definer-search-path", "security", facts=("catalog",))
def security_definer_search_path(facts: Facts) -> Outcome:
    """SECURITY DEFINER functions without a fixed search_path.

    Why: the function runs with its owner's rights but resolves names through the caller's
    search_path, so a caller can plant a same-named function or table and run code as owner.

    Fix: ALTER FUNCTION f(...) SET search_path = pg_catalog, <schema>; (pg_temp last).
    """
    out = Outcome()
    for f in facts.catalog.functions:
        if f.security_definer and f.search_path is None:
            out.findings.append(
                fail(
                    f.signature,
                    f"SECURITY DEFINER (owner {f.owner}) with a mutable search_path",
                    f"{_alter(f)} SET search_path = pg_catalog, {quote_ident_if_needed(f.schema)}, pg_temp;",
                )
            )
    return out
