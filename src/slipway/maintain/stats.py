"""ANALYZE where many rows changed since the last analyze; VACUUM (ANALYZE) where many are dead.

`decide()` is pure: it sees table statistics (the statistics model's TableStats) and the
thresholds and says what to do and why.
Partitioned parents are included because autovacuum never analyzes them: a parent never
analyzed gets ANALYZE once its partitions hold rows.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from psycopg import sql

from slipway.catalog.introspect import introspect as read_catalog
from slipway.catalog.model import Catalog, Table
from slipway.catalog.stats import TableStats, read_statistics
from slipway.db import Conn
from slipway.maintain.config import MaintainConfig, StatsRule
from slipway.maintain.ddl import with_lock_retry
from slipway.maintain.model import Action, Verb


def gather(conn: Conn, rule: StatsRule) -> list[TableStats]:
    """The statistics of the rule's tables, fresh (this session's stats snapshot cleared):
    ordinary tables and partitions, and partitioned parents, whose live rows are their leaf
    partitions' (the statistics model's numbers, the Catalog's partition tree)."""
    conn.execute("SELECT pg_stat_clear_snapshot()")
    stats = read_statistics(conn)
    tree = read_catalog(conn, exclude_tables=(), kinds="p", members=())
    schemas = set(rule.schemas)
    out = [t for t in stats.tables if t.kind == "ordinary" and t.schema in schemas]
    for parent in tree.tables:
        own = stats.table(parent.schema, parent.name)
        if parent.is_partition or not parent.is_partitioned or own is None:
            continue
        if parent.schema in schemas:
            leaves = (stats.table(t.schema, t.name) for t in _leaves(tree, parent))
            live = sum(t.live_tuples for t in leaves if t is not None)
            out.append(replace(own, live_tuples=live, dead_tuples=0, modified_since_analyze=0))
    if rule.tables:
        wanted = set(rule.tables)
        out = [s for s in out if s.name in wanted or s.qualified in wanted]
    return out


def _leaves(tree: Catalog, parent: Table) -> list[Table]:
    found = []
    for child in tree.partitions(parent):
        found.extend(_leaves(tree, child) if child.is_partitioned else [child])
    return found


def decide(stats: list[TableStats], rule: StatsRule) -> list[Action]:
    """Pure: which tables to VACUUM (ANALYZE) or ANALYZE, with the numbers that say why."""
    actions = []
    for t in sorted(stats, key=lambda s: (s.schema, s.name)):
        target = t.qualified
        live, dead, modified = t.live_tuples, t.dead_tuples, t.modified_since_analyze
        reltuples = int(t.estimated_rows)
        base = {"live": live, "dead": dead, "modified": modified, "reltuples": reltuples}
        total = live + dead
        dead_frac = dead / total if total else 0.0
        if t.kind == "partitioned":
            if reltuples < 1 and live >= rule.min_rows:
                actions.append(
                    _action(
                        target,
                        "analyze",
                        "partitioned parent never analyzed"
                        f" (autovacuum skips parents); {live} rows",
                        base,
                    )
                )
        elif dead >= rule.min_rows and dead_frac >= rule.vacuum_threshold:
            reason = (
                f"{dead} dead tuples = {dead_frac:.0%} of rows"
                f" >= vacuum_threshold {rule.vacuum_threshold:.0%}"
            )
            actions.append(_action(target, "vacuum", reason, base))
        else:
            size = reltuples if reltuples > 0 else live
            frac = modified / size if size else float("inf")
            if modified >= rule.min_rows and frac >= rule.analyze_threshold:
                shown = "all" if frac == float("inf") else f"{frac:.0%}"
                reason = (
                    f"{modified} rows changed since last analyze = {shown} of"
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
