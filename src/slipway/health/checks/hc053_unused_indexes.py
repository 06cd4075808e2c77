"""HC053 unused-indexes."""

from __future__ import annotations

from slipway.health.checks import Outcome, check, size, warn
from slipway.health.checks._indexes import droppable, index_name
from slipway.health.facts import Facts


@check("HC053", "unused-indexes", "performance", facts=("indexes", "tables", "stats"))
def unused_indexes(facts: Facts) -> Outcome:
    """Indexes never scanned since statistics were reset, on tables that are being read.

    Why: an unused index costs every write and takes space and cache for nothing.

    Fix: confirm on every replica that it is unused, then DROP INDEX CONCURRENTLY.
    """
    reset = facts.stats.database.stats_reset
    out = Outcome(notes=[f"usage counted since statistics were reset at {reset}"] if reset else [])
    tables = facts.tables_by_oid()
    minimum = facts.thresholds.unused_index_min_reads
    for ix in facts.get("indexes"):
        table, used = tables.get(int(ix["table_oid"])), facts.index_stats(ix)
        if table is None or used is None or used.scans > 0:
            continue
        read = facts.table_stats(table)
        reads = read.seq_scan + (read.idx_scan or 0)
        if reads < minimum or not droppable(ix) or not ix["is_valid"]:
            continue
        out.findings.append(
            warn(
                index_name(ix),
                f"never used ({size(used.bytes)}) while {ix['schema']}."
                f"{ix['table_name']} was read {reads} times",
                f"DROP INDEX CONCURRENTLY {index_name(ix)};",
            )
        )
    return out
