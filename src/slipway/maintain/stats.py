"""ANALYZE where many rows changed since the last analyze; VACUUM (ANALYZE) where many are dead.

`decide()` is pure: it sees table statistics and the thresholds and says what to do and why.
Partitioned parents are included because autovacuum never analyzes them: a parent never
analyzed gets ANALYZE once its partitions hold rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from psycopg import sql

from slipway.db import Conn
from slipway.maintain.config import MaintainConfig, StatsRule
from slipway.maintain.ddl import with_lock_retry
from slipway.maintain.model import Action, Verb

_STATS_SQL = """
SELECT s.schemaname, s.relname, s.n_live_tup, s.n_dead_tup, s.n_mod_since_analyze,
       c.reltuples::bigint, false AS partitioned
FROM pg_stat_user_tables s JOIN pg_class c ON c.oid = s.relid
WHERE s.schemaname = ANY(%(schemas)s) AND c.relkind = 'r'
UNION ALL
SELECT n.nspname, c.relname, coalesce(sum(l.n_live_tup), 0)::bigint, 0, 0,
       c.reltuples::bigint, true
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN LATERAL pg_partition_tree(c.oid) t ON t.isleaf
LEFT JOIN pg_stat_user_tables l ON l.relid = t.relid
WHERE c.relkind = 'p' AND NOT c.relispartition AND n.nspname = ANY(%(schemas)s)
GROUP BY n.nspname, c.relname, c.reltuples
"""


@dataclass(frozen=True)
class TableStats:
    schema: str
    name: str
    live: int
    dead: int
    modified: int  # n_mod_since_analyze
    reltuples: int  # -1 (PG14+) or 0 when never analyzed
    partitioned: bool = False


def gather(conn: Conn, rule: StatsRule) -> list[TableStats]:
    conn.execute("SELECT pg_stat_clear_snapshot()")
    rows = conn.execute(_STATS_SQL, {"schemas": list(rule.schemas)}).fetchall()
    stats = [TableStats(*r) for r in rows]
    if rule.tables:
        wanted = set(rule.tables)
        stats = [s for s in stats if s.name in wanted or f"{s.schema}.{s.name}" in wanted]
    return stats


def decide(stats: list[TableStats], rule: StatsRule) -> list[Action]:
    """Pure: which tables to VACUUM (ANALYZE) or ANALYZE, with the numbers that say why."""
    actions = []
    for t in sorted(stats, key=lambda s: (s.schema, s.name)):
        target = f"{t.schema}.{t.name}"
        base = {"live": t.live, "dead": t.dead, "modified": t.modified, "reltuples": t.reltuples}
        total = t.live + t.dead
        dead_frac = t.dead / total if total else 0.0
        if t.partitioned:
            if t.reltuples < 1 and t.live >= rule.min_rows:
                actions.append(
                    _action(
                        target,
                        "analyze",
                        "partitioned parent never analyzed"
                        f" (autovacuum skips parents); {t.live} rows",
                        base,
                    )
                )
        elif t.dead >= rule.min_rows and dead_frac >= rule.vacuum_threshold:
            reason = (
                f"{t.dead} dead tuples = {dead_frac:.0%} of rows"
                f" >= vacuum_threshold {rule.vacuum_threshold:.0%}"
            )
            actions.append(_action(target, "vacuum", reason, base))
        else:
            size = t.reltuples if t.reltuples > 0 else t.live
            frac = t.modified / size if size else float("inf")
            if t.modified >= rule.min_rows and frac >= rule.analyze_threshold:
                shown = "all" if frac == float("inf") else f"{frac:.0%}"
                reason = (
                    f"{t.modified} rows changed since last analyze = {shown} of"
                    f" ~{size} >= analyze_threshold {rule.analyze_threshold:.0%}"
                )
                actions.append(_action(target, "analyze", reason, base))
    return actions


def _action(target: str, kind: Verb, reason: str, details: dict[str, Any]) -> Action:
    stmt = "VACUUM (ANALYZE) " if kind == "vacuum" else "ANALYZE "
    return Action("stats", target, kind, reason, sql=[stmt + target], details=dict(details))


def plan(conn: Conn, rule: StatsRule) -> list[Action]:
    return decide(gather(conn, rule), rule)


def apply(conn: Conn, action: Action, cfg: MaintainConfig) -> None:
    verb = sql.SQL("VACUUM (ANALYZE)" if action.action == "vacuum" else "ANALYZE")
    stmt = sql.SQL("{} {}").format(verb, sql.Identifier(*action.target.split(".")))
    # VACUUM cannot run inside a transaction block: session-level lock_timeout instead.
    with_lock_retry(
        conn,
        lambda: conn.execute(stmt),
        lock_timeout=cfg.lock_timeout,
        retries=cfg.lock_retries,
        transactional=False,
        what=f"{action.action} {action.target}",
    )
