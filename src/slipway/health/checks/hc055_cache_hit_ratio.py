"""HC055 cache-hit-ratio."""

from __future__ import annotations

from slipway.health.checks import Outcome, check, fail, info, warn
from slipway.health.facts import Facts


@check("HC055", "cache-hit-ratio", "performance", facts=("database", "stats"))
def cache_hit_ratio(facts: Facts) -> Outcome:
    """The share of block reads served from shared buffers for this database.

    Why: a low ratio means the working set does not fit in memory and queries wait on disk.

    Fix: raise shared_buffers (and the machine's memory), or find the queries that scan big
    tables (see HC056).
    """
    db = facts.one("database")
    th = facts.thresholds
    hit, read = facts.stats.database.blocks_hit, facts.stats.database.blocks_read
    total = hit + read
    target = str(db.get("database", "database"))
    ratio = hit / total if total else 1.0
    out = Outcome(metrics={"blks_hit": hit, "blks_read": read, "ratio": round(ratio, 4)})
    text = f"{ratio:.1%} of {total} block reads came from shared buffers"
    fix = "raise shared_buffers or reduce sequential scans of large tables"
    if total < th.cache_min_blocks:
        out.findings.append(info(target, f"{text}; too little activity to judge"))
    elif ratio < th.cache_hit_fail:
        out.findings.append(fail(target, text, fix))
    elif ratio < th.cache_hit_warn:
        out.findings.append(warn(target, text, fix))
    else:
        out.findings.append(info(target, text))
    return out
