"""`slipway maintain` on mixed-case names (quoted once, correctly), and a summary that counts
a failed action as failed, never as done."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import psycopg
from test_cli import slipway

Conn = psycopg.Connection[Any]
TOML = """
[[maintain.partitions]]
table = '"Audit Log"'
interval = "month"
ahead = 1
retention = "2 months"
retention_mode = "detach"

[[maintain.views]]
name = 'public."Mat View"'
"""


def _setup(project: Path, db_conn: Conn, toml: str = TOML) -> None:
    (project / "slipway.toml").write_text(toml, encoding="utf-8")
    db_conn.execute("""
        CREATE TABLE "Audit Log" ("At" timestamptz NOT NULL, n int) PARTITION BY RANGE ("At");
        CREATE TABLE "Audit Log_old" PARTITION OF "Audit Log"
            FOR VALUES FROM ('2000-01-01') TO ('2000-02-01');
        CREATE TABLE "Audit Log_older" PARTITION OF "Audit Log"
            FOR VALUES FROM ('1999-12-01') TO ('2000-01-01');
        CREATE MATERIALIZED VIEW "Mat View" AS SELECT 1 AS "N";
        CREATE UNIQUE INDEX ON "Mat View" ("N");
    """)


def test_mixed_case_partitioned_tables_and_views(project: Path, db_url: str, db_conn: Conn) -> None:
    _setup(project, db_conn)
    done = slipway(project, db_url, "maintain", "--format", "json")
    assert done.returncode == 0, done.stdout + done.stderr
    result = json.loads(done.stdout)
    outcomes = {
        (a["task"], a["action"], a["outcome"]) for r in result["rules"] for a in r["actions"]
    }
    assert outcomes == {
        ("partitions", "create", "ok"),
        ("partitions", "detach", "ok"),
        ("views", "refresh", "ok"),
    }, result
    kinds = dict(
        db_conn.execute(
            "SELECT relname, relispartition::text FROM pg_class WHERE relname LIKE 'Audit Log%'"
            " AND relkind IN ('r', 'p')"
        ).fetchall()
    )
    assert kinds["Audit Log_older"] == "false"  # retired (the last old one stays: planned so)
    assert sum(v == "true" for v in kinds.values()) == 3  # it, this month and the next


def _forbid_tables(conn: Conn, like: str) -> None:
    conn.execute(f"""CREATE OR REPLACE FUNCTION boom() RETURNS event_trigger LANGUAGE plpgsql AS $$
        BEGIN IF EXISTS (SELECT 1 FROM pg_event_trigger_ddl_commands()
                         WHERE object_identity LIKE '{like}') THEN
            RAISE EXCEPTION 'no new tables today'; END IF; END $$""")
    conn.execute(
        "CREATE EVENT TRIGGER no_tables ON ddl_command_end WHEN TAG IN ('CREATE TABLE')"
        " EXECUTE FUNCTION boom()"
    )


def test_a_failed_action_is_counted_as_failed_and_exits_1(
    project: Path, db_url: str, db_conn: Conn
) -> None:
    _setup(project, db_conn)
    _forbid_tables(db_conn, "%")
    try:  # not even the runs table can be made: one line, nothing done
        blocked = slipway(project, db_url, "maintain")
    finally:
        db_conn.execute("DROP EVENT TRIGGER no_tables")
    assert blocked.returncode == 1 and "Traceback" not in blocked.stderr, blocked.stderr[-2000:]
    assert blocked.stderr.strip().count("\n") == 0 and "no new tables today" in blocked.stderr
    _forbid_tables(db_conn, "%Audit Log%")
    try:
        done = slipway(project, db_url, "maintain")
        again = slipway(project, db_url, "maintain", "partitions", "-f", "json")
    finally:
        db_conn.execute("DROP EVENT TRIGGER no_tables")
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stdout + done.stderr
    summary = done.stdout.strip().splitlines()[-1]
    assert summary == (
        "maintenance did: 1 partitions.detach, 1 views.refresh;"
        " failed: 2 partitions.create (1 rule(s) failed)"
    ), summary
    assert "no new tables today" in done.stdout
    data = json.loads(again.stdout)
    assert again.returncode == 1
    assert data["counts"] == {} and data["failed"] == {"partitions.create": 2}, data
