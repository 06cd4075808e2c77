"""Views refreshed (concurrently when possible) with their age recorded; stats; cleanup; due."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import psycopg
import pytest
from maint_helpers import relations

from slipway.errors import ConfigError
from slipway.maintain import runs
from slipway.maintain.runner import run_maintenance

Conn = psycopg.Connection[Any]
NOW = datetime(2025, 11, 15, 3, 0, tzinfo=UTC)

SCHEMA = """
CREATE TABLE feedback (id int PRIMARY KEY, message_id int, rating int);
INSERT INTO feedback SELECT g, g % 50, CASE WHEN g % 3 = 0 THEN -1 ELSE 1 END
FROM generate_series(1, 1000) g;
CREATE MATERIALIZED VIEW summary AS
  SELECT message_id, count(*) AS n, sum(rating) AS score FROM feedback GROUP BY message_id;
CREATE UNIQUE INDEX summary_pk ON summary (message_id);
CREATE MATERIALIZED VIEW plain AS SELECT count(*) AS n FROM feedback;
CREATE MATERIALIZED VIEW empty_mv AS SELECT 1 AS x WITH NO DATA;
CREATE UNIQUE INDEX empty_mv_x ON empty_mv (x);
"""


def test_views_refreshed_concurrently_and_age_recorded(
    db_url: str, db_conn: Conn, make_cfg: Any
) -> None:
    db_conn.execute(SCHEMA)
    db_conn.execute("INSERT INTO feedback VALUES (5000, 7, 1)")
    cfg = make_cfg(views=[{"name": "summary"}, {"name": "plain"}, {"name": "empty_mv"}])
    # A reader holds summary open: CONCURRENTLY must not wait for it.
    with psycopg.connect(db_url) as reader:
        reader.execute("SELECT * FROM summary")  # AccessShareLock held in an open transaction
        result = run_maintenance(db_conn, cfg, tasks=("views",), only_due=False, now=NOW)
    assert result.ok, result.to_dict()
    how = {a.target: a.details["concurrently"] for a in result.actions}
    assert how == {"summary": True, "plain": False, "empty_mv": False}
    assert db_conn.execute("SELECT n FROM summary WHERE message_id = 7").fetchone() == (21,)
    assert db_conn.execute("SELECT x FROM empty_mv").fetchone() == (1,)
    refreshed = runs.last_refreshes(db_conn)
    assert set(refreshed) == {"summary", "plain", "empty_mv"}
    age = datetime.now(UTC) - refreshed["summary"]
    assert timedelta(0) <= age < timedelta(minutes=1)


def test_view_errors_are_clear(db_conn: Conn, make_cfg: Any) -> None:
    db_conn.execute(SCHEMA)
    cfg = make_cfg(views=[{"name": "feedback"}, {"name": "plain", "concurrently": True}])
    result = run_maintenance(db_conn, cfg, tasks=("views",), only_due=False, now=NOW)
    errors = {r.target: r.error for r in result.rules}
    assert errors == {
        "feedback": "[maintain] views: feedback is not a materialized view",
        "plain": "plain: concurrently = true but it has no plain unique index",
    }


def test_stats_decides_and_reports_why(db_conn: Conn, make_cfg: Any) -> None:
    for name in ("hot", "churn", "calm"):
        db_conn.execute(
            f"CREATE TABLE {name} (id int PRIMARY KEY, v int) WITH (autovacuum_enabled = false)"
        )
        db_conn.execute(f"INSERT INTO {name} SELECT g, g FROM generate_series(1, 2000) g")
    db_conn.execute("SELECT pg_stat_force_next_flush()")  # inserts counted before ANALYZE
    db_conn.execute("ANALYZE hot, churn, calm")
    db_conn.execute("UPDATE hot SET v = v + 1 WHERE id <= 400")  # 20% modified, 20% dead
    db_conn.execute("DELETE FROM churn WHERE id <= 1000")  # 50% dead
    db_conn.execute("UPDATE calm SET v = 0 WHERE id <= 10")  # below min_rows
    db_conn.execute("SELECT pg_stat_force_next_flush()")
    db_conn.execute("SELECT 1")  # the flush happens at the end of a transaction
    cfg = make_cfg(stats={"analyze_threshold": 0.1, "vacuum_threshold": 0.3, "min_rows": 50})
    result = run_maintenance(db_conn, cfg, tasks=("stats",), only_due=False, now=NOW)
    assert result.ok, result.to_dict()
    got = {a.target: (a.action, a.reason) for a in result.actions}
    assert set(got) == {"public.hot", "public.churn"}, got
    assert got["public.churn"][0] == "vacuum" and "1000 dead tuples = 50%" in got["public.churn"][1]
    assert got["public.hot"][0] == "analyze" and "400 rows changed" in got["public.hot"][1]
    db_conn.execute("SELECT pg_stat_clear_snapshot()")
    dead = db_conn.execute(
        "SELECT n_dead_tup, vacuum_count FROM pg_stat_user_tables WHERE relname = 'churn'"
    ).fetchone()
    assert dead == (0, 1)


def test_cleanup_deletes_in_batches_one_commit_each(db_conn: Conn, make_cfg: Any) -> None:
    db_conn.execute(
        "CREATE TABLE cache (id int PRIMARY KEY, expires_at timestamptz NOT NULL);"
        "INSERT INTO cache SELECT g, CASE WHEN g <= 12000 THEN now() - interval '1 day'"
        " ELSE now() + interval '1 day' END FROM generate_series(1, 15000) g;"
        # Each DELETE statement logs its transaction id: distinct ids = separate commits.
        "CREATE TABLE xacts (xid bigint);"
        "CREATE FUNCTION log_xact() RETURNS trigger LANGUAGE plpgsql AS"
        " $$ BEGIN INSERT INTO xacts VALUES (txid_current()); RETURN NULL; END $$;"
        "CREATE TRIGGER t AFTER DELETE ON cache FOR EACH STATEMENT EXECUTE FUNCTION log_xact();"
    )
    cfg = make_cfg(cleanup=[{"table": "cache", "where": "expires_at < now()", "batch": 5000}])
    ticks: list[tuple[str, int, int]] = []
    result = run_maintenance(
        db_conn,
        cfg,
        tasks=("cleanup",),
        only_due=False,
        now=NOW,
        progress=lambda t, d, n: ticks.append((t, d, n)),
    )
    assert result.ok, result.to_dict()
    (action,) = result.actions
    assert {k: action.details[k] for k in ("matching", "deleted", "batches")} == {
        "matching": 12000,
        "deleted": 12000,
        "batches": 3,
    }
    assert ticks == [("cache", 5000, 12000), ("cache", 10000, 12000), ("cache", 12000, 12000)]
    assert db_conn.execute("SELECT count(*), min(id) FROM cache").fetchone() == (3000, 12001)
    assert db_conn.execute("SELECT count(DISTINCT xid), count(*) FROM xacts").fetchone() == (3, 3)


def test_cleanup_stops_at_max_batches(db_conn: Conn, make_cfg: Any) -> None:
    db_conn.execute(
        "CREATE TABLE cache (id int PRIMARY KEY, old bool NOT NULL);"
        "INSERT INTO cache SELECT g, g <= 300 FROM generate_series(1, 400) g;"
    )
    cfg = make_cfg(cleanup=[{"table": "cache", "where": "old", "batch": 100, "max_batches": 2}])
    result = run_maintenance(db_conn, cfg, tasks=("cleanup",), only_due=False, now=NOW)
    assert result.actions[0].details["batches"] == 2
    assert db_conn.execute("SELECT count(*) FROM cache WHERE old").fetchone() == (100,)


def test_cleanup_rejects_smuggled_statements(db_conn: Conn, make_cfg: Any) -> None:
    db_conn.execute("CREATE TABLE cache (id int)")
    cfg = make_cfg(cleanup=[{"table": "cache", "where": "true; DROP TABLE cache"}])
    result = run_maintenance(db_conn, cfg, tasks=("cleanup",), only_due=False, now=NOW)
    assert "must be one condition" in (result.rules[0].error or "")
    assert ("cache", "r") in relations(db_conn)
    with pytest.raises(ConfigError, match="batch: must be more than 0, got 0"):
        make_cfg(cleanup=[{"table": "cache", "where": "true", "batch": 0}])


def test_only_due_rules_run_and_dry_run_records_nothing(db_conn: Conn, make_cfg: Any) -> None:
    db_conn.execute(SCHEMA)
    cfg = make_cfg(
        views=[{"name": "summary", "schedule": "daily"}, {"name": "plain", "schedule": "weekly"}]
    )
    dry = run_maintenance(db_conn, cfg, dry_run=True, now=NOW)
    assert [r.target for r in dry.rules] == ["summary", "plain"]
    assert not runs.table_exists(db_conn, "slipway_maintenance_runs")
    first = run_maintenance(db_conn, cfg, now=datetime.now(UTC))
    assert [r.target for r in first.rules] == ["summary", "plain"]
    again = run_maintenance(db_conn, cfg, now=datetime.now(UTC))
    assert again.rules == [] and len(again.skipped) == 2
    tomorrow = run_maintenance(db_conn, cfg, now=datetime.now(UTC) + timedelta(days=1))
    assert [r.target for r in tomorrow.rules] == ["summary"]
    weekly = run_maintenance(db_conn, cfg, schedule="weekly", only_due=False)
    assert [r.target for r in weekly.rules] == ["plain"]


def test_cleanup_refuses_when_rls_hides_rows(db_url: str, db_conn: Conn, make_cfg: Any) -> None:
    import uuid

    from psycopg.conninfo import conninfo_to_dict, make_conninfo

    role = f"slipway_owner_{uuid.uuid4().hex[:8]}"
    db_conn.execute(f"CREATE ROLE {role} LOGIN")
    try:
        db_conn.execute(
            "CREATE TABLE tokens (tenant int, expires_at timestamptz);"
            "INSERT INTO tokens SELECT g % 3, now() - interval '1 day' FROM generate_series(1, 30) g;"
            "ALTER TABLE tokens ENABLE ROW LEVEL SECURITY; ALTER TABLE tokens FORCE ROW LEVEL SECURITY;"
            "CREATE POLICY t ON tokens USING (tenant = current_setting('app.tenant', true)::int);"
            f"ALTER TABLE tokens OWNER TO {role}; GRANT CREATE ON SCHEMA public TO {role};"
        )
        info = conninfo_to_dict(db_url) | {"user": role}
        cfg = make_cfg(cleanup=[{"table": "tokens", "where": "expires_at < now()"}])
        with psycopg.connect(make_conninfo(**info), autocommit=True) as owner:
            result = run_maintenance(owner, cfg, tasks=("cleanup",), only_due=False, now=NOW)
        assert result.rules[0].error == (
            f"tokens: row level security hides rows from role {role}, so cleanup would see only"
            " some of them; run maintenance as a role with BYPASSRLS (or a superuser)"
        )
        assert db_conn.execute("SELECT count(*) FROM tokens").fetchone() == (30,)
        # A superuser (or BYPASSRLS role) sees every row: all 30 go.
        result = run_maintenance(db_conn, cfg, tasks=("cleanup",), only_due=False, now=NOW)
        assert result.actions[0].details["deleted"] == 30
    finally:
        db_conn.execute("DROP TABLE IF EXISTS tokens, slipway_maintenance_runs")
        db_conn.execute(f"REVOKE ALL ON SCHEMA public FROM {role}")
        db_conn.execute(f"DROP ROLE {role}")


def test_cleanup_on_a_partitioned_table_deletes_only_matching_rows(
    db_conn: Conn, make_cfg: Any
) -> None:
    # Both partitions hold rows at the same ctids: (0,1), (0,2), ... A ctid-only batch
    # would delete the twins in the other partition too.
    db_conn.execute(
        "CREATE TABLE ev (n int NOT NULL, old bool NOT NULL) PARTITION BY RANGE (n);"
        "CREATE TABLE ev_a PARTITION OF ev FOR VALUES FROM (0) TO (100);"
        "CREATE TABLE ev_b PARTITION OF ev FOR VALUES FROM (100) TO (200);"
        "INSERT INTO ev SELECT g, false FROM generate_series(0, 49) g;"
        "INSERT INTO ev SELECT g, true FROM generate_series(100, 149) g;"
    )
    cfg = make_cfg(cleanup=[{"table": "ev", "where": "old", "batch": 20}])
    result = run_maintenance(db_conn, cfg, tasks=("cleanup",), only_due=False, now=NOW)
    assert result.actions[0].details["deleted"] == 50
    assert db_conn.execute("SELECT count(*), bool_or(old) FROM ev").fetchone() == (50, False)


def test_maintenance_waits_for_a_running_migration(
    db_url: str, db_conn: Conn, project: Any
) -> None:
    from slipway.config import load_settings
    from slipway.errors import Refused
    from slipway.maintain import run_once
    from slipway.migrations.lock import MigrationLock

    settings = load_settings(database_url=db_url, project_dir=project)
    with (
        MigrationLock(db_conn, settings.table, wait=1),
        pytest.raises(Refused, match="a migration is running"),
    ):
        run_once(settings)
    assert run_once(settings, dry_run=True).ok  # a dry run only reads: allowed
    assert run_once(settings).summary_line() == "maintenance did: nothing"


def test_a_mixed_case_runs_table_is_found_again(db_conn: Conn, make_cfg: Any) -> None:
    # Created as written ("MaintRuns"); looking it up unquoted found nothing, so every run
    # tried to create it again and `only_due` never saw the last run.
    db_conn.execute("CREATE TABLE cache (id int, expires_at timestamptz NOT NULL)")
    cfg = make_cfg(
        runs_table="MaintRuns", cleanup=[{"table": "cache", "where": "expires_at < now()"}]
    )
    for _ in range(2):
        assert run_maintenance(db_conn, cfg, tasks=("cleanup",), only_due=False, now=NOW).ok
    assert runs.table_exists(db_conn, "MaintRuns")
    assert db_conn.execute('SELECT count(*) FROM "MaintRuns"').fetchone() == (2,)
    assert runs.last_runs(db_conn, "MaintRuns")


def test_cleanup_of_a_table_whose_name_needs_quotes(db_conn: Conn, make_cfg: Any) -> None:
    db_conn.execute(
        'CREATE TABLE "Audit Log" (id int, at timestamptz NOT NULL);'
        """INSERT INTO "Audit Log" VALUES (1, now() - interval '2 days'), (2, now())"""
    )
    cfg = make_cfg(cleanup=[{"table": '"Audit Log"', "where": "at < now() - interval '1 day'"}])
    result = run_maintenance(db_conn, cfg, tasks=("cleanup",), only_due=False, now=NOW)
    assert result.ok, result.to_dict()
    assert db_conn.execute('SELECT id FROM "Audit Log"').fetchall() == [(2,)]
