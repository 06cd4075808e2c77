"""HC050 tables-without-pk."""

from __future__ import annotations

from slipway.health.checks import Outcome, check, warn
from slipway.health.facts import Facts


@check("HC050", "tables-without-pk", "performance", facts=("catalog",))
def tables_without_pk(facts: Facts) -> Outcome:
    """Tables without a primary key.

    Why: rows cannot be addressed reliably, logical replication cannot replicate updates and
    deletes, and duplicates creep in.

    Fix: ALTER TABLE t ADD PRIMARY KEY (...) (build a unique index CONCURRENTLY first on big
    tables, then ADD PRIMARY KEY USING INDEX).
    """
    out = Outcome()
    for t in facts.catalog.tables:
        if t.primary_key is None and not t.is_partition:
            name = t.qualified
            out.findings.append(
                warn(name, "has no primary key", f"ALTER TABLE {name} ADD PRIMARY KEY (...);")
            )
    return out
