"""Partitions kept ahead across month and year boundaries, rescued from DEFAULT, retired."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import psycopg
import pytest
from maint_helpers import partitions_of, relations
from psycopg import errors as pgerrors

from slipway.maintain.runner import run_maintenance

MESSAGES = """
CREATE TABLE messages (
    id bigint GENERATED ALWAYS AS IDENTITY,
    conversation_id bigint NOT NULL,
    body text,
    body_len int GENERATED ALWAYS AS (length(body)) STORED,
    created_at timestamptz NOT NULL,
    PRIMARY KEY (id, created_at)
) PARTITION BY RANGE (created_at);
CREATE INDEX messages_conv_idx ON messages (conversation_id, created_at);
"""
Conn = psycopg.Connection[Any]


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def run(conn: Conn, cfg: Any, now: str, **kw: Any) -> Any:
    return run_maintenance(conn, cfg, tasks=("partitions",), only_due=False, now=at(now), **kw)


def rule(**kw: Any) -> dict[str, Any]:
    return {"table": "messages", "interval": "month", "ahead": 3} | kw


def test_month_partitions_ahead_cross_the_year(db_conn: Conn, make_cfg: Any) -> None:
    db_conn.execute(MESSAGES)
    cfg = make_cfg(partitions=[rule()])
    result = run(db_conn, cfg, "2025-11-15 10:00:00")
    assert result.ok, result.to_dict()
    assert partitions_of(db_conn, "messages") == {
        "messages_p2025_11": "FOR VALUES FROM ('2025-11-01 00:00:00+00') TO ('2025-12-01 00:00:00+00')",
        "messages_p2025_12": "FOR VALUES FROM ('2025-12-01 00:00:00+00') TO ('2026-01-01 00:00:00+00')",
        "messages_p2026_01": "FOR VALUES FROM ('2026-01-01 00:00:00+00') TO ('2026-02-01 00:00:00+00')",
        "messages_p2026_02": "FOR VALUES FROM ('2026-02-01 00:00:00+00') TO ('2026-03-01 00:00:00+00')",
    }
    # A month later only the one missing month is added; running twice changes nothing.
    assert [a.details["partition"] for a in run(db_conn, cfg, "2025-12-31 23:59:59").actions] == [
        "messages_p2026_03"
    ]
    assert run(db_conn, cfg, "2025-12-31 23:59:59").actions == []
    # Each partition got the parent's indexes (primary key and the conversation index).
    idx = db_conn.execute(
        "SELECT count(*) FROM pg_index i JOIN pg_inherits h ON h.inhrelid = i.indexrelid"
        " JOIN pg_class c ON c.oid = i.indrelid WHERE c.relname = 'messages_p2026_03'"
    ).fetchone()
    assert idx == (2,)


def test_day_and_week_intervals_across_the_year(db_conn: Conn, make_cfg: Any) -> None:
    db_conn.execute("CREATE TABLE d (at date NOT NULL) PARTITION BY RANGE (at)")
    db_conn.execute("CREATE TABLE w (at timestamp NOT NULL) PARTITION BY RANGE (at)")
    cfg = make_cfg(
        partitions=[
            {"table": "d", "interval": "day", "ahead": 3},
            {"table": "w", "interval": "week", "ahead": 1},
        ]
    )
    assert run(db_conn, cfg, "2025-12-30 12:00:00").ok
    assert sorted(partitions_of(db_conn, "d")) == [
        "d_p2025_12_30",
        "d_p2025_12_31",
        "d_p2026_01_01",
        "d_p2026_01_02",
    ]
    # 2025-12-30 is a Tuesday: weeks start on Monday 29 December and 5 January.
    assert partitions_of(db_conn, "w") == {
        "w_p2025_12_29": "FOR VALUES FROM ('2025-12-29 00:00:00') TO ('2026-01-05 00:00:00')",
        "w_p2026_01_05": "FOR VALUES FROM ('2026-01-05 00:00:00') TO ('2026-01-12 00:00:00')",
    }


def test_rows_in_default_are_rescued(db_conn: Conn, make_cfg: Any) -> None:
    db_conn.execute(MESSAGES)
    db_conn.execute("CREATE TABLE messages_default PARTITION OF messages DEFAULT")
    db_conn.execute(
        "INSERT INTO messages (conversation_id, body, created_at) SELECT g % 7, 'm' || g,"
        " timestamptz '2025-12-01 00:00:00+00' + g * interval '1 minute'"
        " FROM generate_series(0, 999) g"
    )
    db_conn.execute(
        "INSERT INTO messages (conversation_id, body, created_at)"
        " VALUES (1, 'far future', '2030-01-01 00:00:00+00')"
    )
    # The plain CREATE fails: this is the situation being rescued.
    with pytest.raises(pgerrors.CheckViolation, match="default partition"):
        db_conn.execute(
            "CREATE TABLE probe PARTITION OF messages"
            " FOR VALUES FROM ('2025-12-01 00:00:00+00') TO ('2026-01-01 00:00:00+00')"
        )
    cfg = make_cfg(partitions=[rule(ahead=1)])
    result = run(db_conn, cfg, "2025-11-20 00:00:00")
    assert result.ok, result.to_dict()
    by_part = {a.details["partition"]: a for a in result.actions}
    assert by_part["messages_p2025_11"].action == "create"
    assert by_part["messages_p2025_12"].action == "rescue"
    assert by_part["messages_p2025_12"].details["rows_moved"] == 1000
    counts = dict(
        db_conn.execute(
            "SELECT tableoid::regclass::text, count(*) FROM messages GROUP BY 1"
        ).fetchall()
    )
    assert counts == {"messages_p2025_12": 1000, "messages_default": 1}
    # Generated column recomputed, identity values preserved, and the index attached.
    assert db_conn.execute(
        "SELECT min(id), max(id), sum(body_len) FROM messages_p2025_12"
    ).fetchone() == (1, 1000, sum(len(f"m{g}") for g in range(1000)))
    assert db_conn.execute(
        "SELECT count(*) FROM pg_indexes WHERE tablename = 'messages_p2025_12'"
    ).fetchone() == (2,)


def _monthly(conn: Conn, first_year: int, months: int) -> None:
    conn.execute(MESSAGES)
    for i in range(months):
        y, m = divmod(first_year * 12 + i, 12)
        y2, m2 = divmod(first_year * 12 + i + 1, 12)
        conn.execute(
            f"CREATE TABLE messages_p{y}_{m + 1:02d} PARTITION OF messages FOR VALUES"
            f" FROM ('{y}-{m + 1:02d}-01 00:00:00+00') TO ('{y2}-{m2 + 1:02d}-01 00:00:00+00')"
        )


@pytest.mark.parametrize("mode", ["drop", "detach"])
def test_retention_retires_exactly_the_old_ones(db_conn: Conn, make_cfg: Any, mode: str) -> None:
    _monthly(db_conn, 2024, 23)  # 2024-01 .. 2025-11
    cfg = make_cfg(partitions=[rule(ahead=0, retention="12 months", retention_mode=mode)])
    result = run(db_conn, cfg, "2025-11-15 00:00:00")
    assert result.ok, result.to_dict()
    retired = sorted(a.details["partition"] for a in result.actions)
    assert retired == [f"messages_p2024_{m:02d}" for m in range(1, 11)]
    assert all(a.details["concurrently"] for a in result.actions)  # PG14+, no DEFAULT
    left = sorted(partitions_of(db_conn, "messages"))
    assert left[0] == "messages_p2024_11" and left[-1] == "messages_p2025_11" and len(left) == 13
    standalone = [r for r, k in relations(db_conn) if r in retired and k == "r"]
    assert standalone == (retired if mode == "detach" else [])


def test_retention_never_removes_the_last_partition(db_conn: Conn, make_cfg: Any) -> None:
    db_conn.execute("CREATE TABLE ev (n bigint NOT NULL) PARTITION BY RANGE (n)")
    db_conn.execute("CREATE TABLE ev_old1 PARTITION OF ev FOR VALUES FROM (0) TO (10)")
    db_conn.execute("CREATE TABLE ev_old2 PARTITION OF ev FOR VALUES FROM (10) TO (20)")
    db_conn.execute("CREATE TABLE ev_default PARTITION OF ev DEFAULT")
    db_conn.execute("INSERT INTO ev VALUES (5), (15)")
    cfg = make_cfg(partitions=[{"table": "ev", "interval": 10, "ahead": 0, "retention": 1}])
    # Rows up to 15: current range [10, 20) exists; cutoff 14 retires [0, 10) only.
    result = run(db_conn, cfg, "2025-01-01 00:00:00")
    assert [
        (a.action, a.details["partition"], a.details["concurrently"]) for a in result.actions
    ] == [("drop", "ev_old1", False)]  # DEFAULT: not CONCURRENTLY
    assert sorted(partitions_of(db_conn, "ev")) == ["ev_default", "ev_old2"]
    db_conn.execute("DELETE FROM ev")
    db_conn.execute("INSERT INTO ev_default VALUES (500)")  # DEFAULT only; no range is current
    cfg = make_cfg(partitions=[{"table": "ev", "interval": 10, "ahead": 0, "retention": 1}])
    result = run(db_conn, cfg, "2025-01-01 00:00:00")
    assert result.ok, result.to_dict()
    assert "ev_old2" in partitions_of(db_conn, "ev")


def test_integer_ranges_follow_the_data(db_conn: Conn, make_cfg: Any) -> None:
    db_conn.execute("CREATE TABLE ev (n bigint NOT NULL) PARTITION BY RANGE (n)")
    cfg = make_cfg(partitions=[{"table": "ev", "interval": 1000, "ahead": 2}])
    run(db_conn, cfg, "2025-01-01 00:00:00")
    assert sorted(partitions_of(db_conn, "ev")) == ["ev_p0", "ev_p1000", "ev_p2000"]
    db_conn.execute("INSERT INTO ev VALUES (2500)")
    run(db_conn, cfg, "2025-01-01 00:00:00")
    assert sorted(partitions_of(db_conn, "ev")) == [
        "ev_p0",
        "ev_p1000",
        "ev_p2000",
        "ev_p3000",
        "ev_p4000",
    ]


def test_dry_run_changes_nothing(db_conn: Conn, make_cfg: Any) -> None:
    _monthly(db_conn, 2024, 3)
    before = relations(db_conn)
    cfg = make_cfg(partitions=[rule(retention="1 month")])
    result = run(db_conn, cfg, "2025-11-15 00:00:00", dry_run=True)
    assert {a.action for a in result.actions} == {"create", "drop"}
    assert all(a.outcome == "planned" and a.sql for a in result.actions)
    assert relations(db_conn) == before  # not even the runs table


def test_lock_timeout_gives_up_and_reports(db_url: str, db_conn: Conn, make_cfg: Any) -> None:
    db_conn.execute(MESSAGES)
    with psycopg.connect(db_url) as holder:
        holder.execute("LOCK TABLE messages IN ACCESS EXCLUSIVE MODE")
        cfg = make_cfg(lock_timeout="100ms", lock_retries=1, partitions=[rule(ahead=0)])
        started = datetime.now(UTC)
        result = run(db_conn, cfg, "2025-11-15 00:00:00")
        elapsed = (datetime.now(UTC) - started).total_seconds()
    assert not result.ok
    (action,) = result.actions
    assert action.outcome == "failed" and "could not get its lock" in (action.error or "")
    assert elapsed < 5
    recorded = db_conn.execute(
        "SELECT action, outcome FROM slipway_maintenance_runs ORDER BY id"
    ).fetchall()
    assert recorded == [("create", "failed"), ("run", "failed")]


def wait_for(condition: Any, seconds: float = 30) -> None:
    import time

    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.01)


def test_rescue_while_writers_insert_loses_nothing(
    db_url: str, db_conn: Conn, make_cfg: Any
) -> None:
    """Writers keep inserting into the month being rescued; every row ends up exactly once."""
    import threading

    db_conn.execute(MESSAGES)
    db_conn.execute("CREATE TABLE messages_default PARTITION OF messages DEFAULT")
    db_conn.execute(
        "INSERT INTO messages (conversation_id, body, created_at) SELECT g, 'old',"
        " timestamptz '2025-12-10 00:00:00+00' FROM generate_series(1, 20000) g"
    )
    stop = threading.Event()
    written = [0, 0]
    errors: list[BaseException] = []

    def writer(i: int) -> None:
        try:
            with psycopg.connect(db_url, autocommit=True) as conn:
                while not stop.is_set():
                    conn.execute(
                        "INSERT INTO messages (conversation_id, body, created_at)"
                        " VALUES (0, 'live', '2025-12-15 00:00:00+00')"
                    )
                    written[i] += 1
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    try:
        wait_for(lambda: sum(written) >= 50 or bool(errors))
        cfg = make_cfg(lock_timeout="2s", partitions=[rule(ahead=1)])
        result = run(db_conn, cfg, "2025-11-20 00:00:00")
        before_stop = sum(written)
        # Writers carry on after the attach.
        wait_for(lambda: sum(written) >= before_stop + 50 or bool(errors))
    finally:
        stop.set()
        for t in threads:
            t.join(30)
    assert not errors and result.ok, (errors, result.to_dict())
    counts = dict(
        db_conn.execute(
            "SELECT tableoid::regclass::text, count(*) FROM messages GROUP BY 1"
        ).fetchall()
    )
    assert counts == {"messages_p2025_12": 20000 + sum(written)}
