"""HC054 invalid-indexes."""

from __future__ import annotations

from slipway.health.checks import Outcome, check, fail
from slipway.health.checks._indexes import index_name
from slipway.health.facts import Facts


@check("HC054", "invalid-indexes", "performance", facts=("indexes",))
def invalid_indexes(facts: Facts) -> Outcome:
    """Indexes left INVALID, usually by a CREATE INDEX CONCURRENTLY that failed.

    Why: an invalid index is never used for reads but is still maintained on every write;
    if it backs a unique rule, the rule is not enforced.

    Fix: REINDEX INDEX CONCURRENTLY it, or DROP INDEX CONCURRENTLY and create it again.
    """
    out = Outcome()
    for ix in facts.get("indexes"):
        if not ix["is_valid"]:
            out.findings.append(
                fail(
                    index_name(ix),
                    f"INVALID index on {ix['schema']}.{ix['table_name']}",
                    f"REINDEX INDEX CONCURRENTLY {index_name(ix)};",
                )
            )
    return out
