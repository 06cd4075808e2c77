"""HC056 seq-scan-heavy."""

from __future__ import annotations

from slipway.health.checks import Outcome, check, warn
from slipway.health.facts import Facts


@check("HC056", "seq-scan-heavy", "performance", facts=("catalog", "stats"))
def seq_scan_heavy(facts: Facts) -> Outcome:
    """Tables of some size that are read mostly by sequential scans.

    Why: each sequential scan reads the whole table; on a growing table this is the query that
    gets slower every week.

    Fix: find the queries (pg_stat_statements) and index the columns they filter on.
    """
    th = facts.thresholds
    out = Outcome()
    for t in facts.catalog.tables:
        st = facts.table_stats(t)
        seq, idx, rows = st.seq_scan, st.idx_scan or 0, st.live_tuples
        if seq >= th.seq_scan_min and rows >= th.seq_scan_min_rows and seq > idx:
            out.findings.append(
                warn(
                    t.qualified,
                    f"{seq} sequential scans ({st.seq_tup_read} rows read)"
                    f" against {idx} index scans, {rows} rows",
                    "index the columns its frequent queries filter on",
                )
            )
    return out
