"""HC058 sizes."""

from __future__ import annotations

from slipway.health.checks import Outcome, check, info, size
from slipway.health.facts import Facts, Row, qualified

TOP = 10


def _rows(t: Row) -> int:
    # reltuples is -1 until the first ANALYZE; the live-row counter fills in meanwhile
    return max(int(t["reltuples"] or 0), int(t["n_live_tup"] or 0), 0)


@check("HC058", "sizes", "performance", facts=("tables", "indexes", "database"), informational=True)
def sizes(facts: Facts) -> Outcome:
    """The database size and the largest tables with their indexes (pages as of the last VACUUM).

    Why: growth is the first thing to watch; the largest tables are where indexes, vacuum and
    partitioning matter most.

    Fix: nothing to fix; this is an inventory.
    """
    db = facts.one("database")
    tables = facts.get("tables")
    table_bytes = sum(int(t["table_bytes"] or 0) for t in tables)
    index_bytes = sum(int(t["index_bytes"] or 0) for t in tables)
    out = Outcome(
        metrics={
            "database_bytes": db.get("database_bytes"),
            "table_bytes": table_bytes,
            "index_bytes": index_bytes,
        }
    )
    out.findings.append(
        info(
            str(db.get("database", "database")),
            f"database {size(db.get('database_bytes'))}: tables "
            f"{size(table_bytes)}, indexes {size(index_bytes)}",
        )
    )
    biggest = sorted(tables, key=lambda t: int(t["total_bytes"] or 0), reverse=True)[:TOP]
    for t in biggest:
        out.findings.append(
            info(
                qualified(t),
                f"about {size(t['total_bytes'])} "
                f"({size(t['table_bytes'])} table, {size(t['index_bytes'])} "
                f"indexes), about {_rows(t)} rows",
            )
        )
    return out
