"""HC054 invalid-indexes."""

from __future__ import annotations

from slipway.health.checks import Outcome, check, fail
from slipway.health.facts import Facts


@check("HC054", "invalid-indexes", "performance", facts=("catalog",))
def invalid_indexes(facts: Facts) -> Outcome:
    """Indexes left INVALID, usually by a CREATE INDEX CONCURRENTLY that failed.

    Why: an invalid index is never used for reads but is still maintained on every write;
    if it backs a unique rule, the rule is not enforced.

    Fix: REINDEX INDEX CONCURRENTLY it, or DROP INDEX CONCURRENTLY and create it again.
    """
    out = Outcome()
    for rel, ix in facts.indexes():
        if not ix.valid:
            name = f"{rel.schema}.{ix.name}"
            out.findings.append(
                fail(
                    name,
                    f"INVALID index on {rel.schema}.{rel.name}",
                    f"REINDEX INDEX CONCURRENTLY {name};",
                )
            )
    return out
