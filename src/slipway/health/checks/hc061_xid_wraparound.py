"""HC061 xid-wraparound."""

from __future__ import annotations

from slipway.health.checks import Outcome, check, fail, info, warn
from slipway.health.facts import Facts

WRAP = 2_147_483_648


@check("HC061", "xid-wraparound", "maintenance", facts=("database", "catalog", "stats"))
def xid_wraparound(facts: Facts) -> Outcome:
    """Transaction ID age of the database and its oldest tables (wraparound risk).

    Why: at about 2 billion transactions PostgreSQL stops accepting writes to protect the data
    until the database is vacuumed; that is an outage.

    Fix: VACUUM (FREEZE) the oldest tables; find what blocks autovacuum (long transactions,
    abandoned replication slots or prepared transactions).
    """
    db = facts.one("database")
    th = facts.thresholds
    age = facts.stats.database.xid_age
    target = str(db.get("database", "database"))
    out = Outcome(metrics={"xid_age": age, "percent_to_wraparound": round(100 * age / WRAP, 2)})
    text = (
        f"oldest unfrozen transaction ID is {age:,} transactions old ({age / WRAP:.1%} of "
        "the way to wraparound)"
    )
    fix = "VACUUM (FREEZE) the oldest tables and remove what holds back autovacuum"
    if age >= th.xid_age_fail:
        out.findings.append(fail(target, text, fix))
    elif age >= th.xid_age_warn:
        out.findings.append(warn(target, text, fix))
    else:
        out.findings.append(info(target, text))
    for t in facts.catalog.tables:
        table_age = facts.table_stats(t).xid_age or 0
        if table_age >= th.xid_age_warn:
            level = fail if table_age >= th.xid_age_fail else warn
            out.findings.append(
                level(
                    t.qualified,
                    f"relfrozenxid is {table_age:,} transactions old",
                    f"VACUUM (FREEZE) {t.qualified};",
                )
            )
    return out
