"""HC001 tables-per-schema."""

from __future__ import annotations

from slipway.health.checks import Outcome, check, info, size
from slipway.health.facts import Facts


@check("HC001", "tables-per-schema", "schema", facts=("catalog", "stats"), informational=True)
def tables_per_schema(facts: Facts) -> Outcome:
    """How many tables each schema holds, and how big they are.

    Why: the inventory seed 003 counted by hand, taken from the live catalog instead.

    Fix: nothing to fix; this is an inventory.
    """
    per: dict[str, list[int]] = {}
    for t in facts.catalog.tables:
        counts = per.setdefault(t.schema, [0, 0, 0, 0])
        if t.is_partition:
            counts[2] += 1
        elif t.is_partitioned:
            counts[1] += 1
        else:
            counts[0] += 1
        counts[3] += facts.table_stats(t).total_bytes
    out = Outcome(metrics={"schemas": len(per), "tables": len(facts.catalog.tables)})
    for schema, (plain, parted, parts, total) in sorted(per.items()):
        extra = f", {parted} partitioned with {parts} partitions" if parted or parts else ""
        out.findings.append(info(schema, f"{plain + parted} tables{extra}, {size(total)}"))
    if not per:
        out.findings.append(
            info(facts.one("database").get("database", "database"), "no user tables")
        )
    return out
