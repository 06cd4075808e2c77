"""HC058 sizes."""

from __future__ import annotations

from slipway.catalog.stats import TableStats
from slipway.health.checks import Outcome, check, info, size
from slipway.health.facts import Facts

TOP = 10


def _rows(t: TableStats) -> int:
    # reltuples is -1 until the first ANALYZE; the live-row counter fills in meanwhile
    return max(int(t.estimated_rows), t.live_tuples, 0)


@check("HC058", "sizes", "performance", facts=("catalog", "stats", "database"), informational=True)
def sizes(facts: Facts) -> Outcome:
    """The database size and the largest tables with their indexes (pages as of the last VACUUM).

    Why: growth is the first thing to watch; the largest tables are where indexes, vacuum and
    partitioning matter most.

    Fix: nothing to fix; this is an inventory.
    """
    db = facts.one("database")
    tables = [(t, facts.table_stats(t)) for t in facts.catalog.tables]
    table_bytes = sum(st.table_bytes for _, st in tables)
    index_bytes = sum(st.index_bytes for _, st in tables)
    database_bytes = facts.stats.database.bytes if facts.stats.collected_at else None
    out = Outcome(
        metrics={
            "database_bytes": database_bytes,
            "table_bytes": table_bytes,
            "index_bytes": index_bytes,
        }
    )
    out.findings.append(
        info(
            str(db.get("database", "database")),
            f"database {size(database_bytes)}: tables "
            f"{size(table_bytes)}, indexes {size(index_bytes)}",
        )
    )
    biggest = sorted(tables, key=lambda pair: pair[1].total_bytes, reverse=True)[:TOP]
    for t, st in biggest:
        out.findings.append(
            info(
                t.qualified,
                f"about {size(st.total_bytes)} "
                f"({size(st.table_bytes)} table, {size(st.index_bytes)} "
                f"indexes), about {_rows(st)} rows",
            )
        )
    return out
