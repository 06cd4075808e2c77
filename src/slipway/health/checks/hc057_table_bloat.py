"""HC057 table-bloat."""

from __future__ import annotations

from slipway.catalog.stats import TableStats
from slipway.health.checks import Outcome, check, size, warn
from slipway.health.facts import Facts

TUPLE_OVERHEAD = 28  # heap tuple header + line pointer, bytes
PAGE_FILL = 0.9


def estimate_bloat(t: TableStats) -> int:
    """Bytes beyond what the live rows need, from their average width (pg_stats); 0 if unknown."""
    width, rows, actual = t.row_width, float(t.estimated_rows), t.table_bytes
    if not width or rows <= 0:
        return 0
    needed = rows * (int(width) + TUPLE_OVERHEAD) / PAGE_FILL
    return max(0, int(actual - needed))


@check("HC057", "table-bloat", "performance", facts=("catalog", "stats"))
def table_bloat(facts: Facts) -> Outcome:
    """Tables with many dead rows, and an estimate of the space they waste.

    Why: dead rows make scans read pages full of nothing and keep growing the table until
    vacuum catches up.

    Fix: VACUUM (ANALYZE) the table and check autovacuum keeps up (its thresholds and
    long-running transactions holding back cleanup); VACUUM FULL or pg_repack reclaims space.
    """
    th = facts.thresholds
    out = Outcome()
    for t in facts.catalog.tables:
        st = facts.table_stats(t)
        dead, live = st.dead_tuples, st.live_tuples
        ratio = dead / (dead + live) if dead + live else 0.0
        if dead >= th.bloat_min_dead and ratio >= th.bloat_dead_ratio:
            wasted = max(estimate_bloat(st), int(ratio * st.table_bytes))
            out.findings.append(
                warn(
                    t.qualified,
                    f"{dead} dead rows ({ratio:.0%}), about {size(wasted)} wasted",
                    f"VACUUM (ANALYZE) {t.qualified};",
                )
            )
    return out
