"""HC053 unused-indexes."""

from __future__ import annotations

from slipway.catalog.model import Table
from slipway.catalog.stats import TableStats
from slipway.health.checks import Outcome, check, size, warn
from slipway.health.facts import Facts


@check("HC053", "unused-indexes", "performance", facts=("catalog", "stats"))
def unused_indexes(facts: Facts) -> Outcome:
    """Indexes never scanned since statistics were reset, on tables that are being read.

    Why: an unused index costs every write and takes space and cache for nothing.

    Fix: confirm on every replica that it is unused, then DROP INDEX CONCURRENTLY.
    """
    reset = facts.stats.database.stats_reset
    out = Outcome(notes=[f"usage counted since statistics were reset at {reset}"] if reset else [])
    minimum = facts.thresholds.unused_index_min_reads
    for table, ix in facts.indexes():
        used = facts.stats.index(table.schema, ix.name)
        if not isinstance(table, Table) or used is None or used.scans > 0:
            continue  # a materialized view's indexes are its refresh's business
        read = facts.stats.table(table.schema, table.name) or TableStats(table.schema, table.name)
        reads = read.seq_scan + (read.idx_scan or 0)
        # an index that enforces something (or is INVALID, HC054) is not for dropping
        if reads < minimum or ix.unique or ix.primary or ix.constraint or not ix.valid:
            continue
        name = f"{table.schema}.{ix.name}"
        out.findings.append(
            warn(
                name,
                f"never used ({size(used.bytes)}) while {table.qualified} was read {reads} times",
                f"DROP INDEX CONCURRENTLY {name};",
            )
        )
    return out
