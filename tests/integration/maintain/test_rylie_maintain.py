"""The proposed Rylie [maintain] section run against the real Rylie migrations and seed."""

from __future__ import annotations

import tomllib
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psycopg

from slipway.maintain.config import parse_maintain
from slipway.maintain.runner import run_maintenance
from slipway.maintain.runs import last_refreshes

RYLIE = Path(__file__).resolve().parents[3] / "src" / "slipway" / "examples" / "rylie"
Conn = psycopg.Connection[Any]


def _apply_rylie(url: str) -> None:
    """The Rylie migrations through slipway's own engine, then the seed data."""
    from slipway.config import load_settings
    from slipway.db import connect
    from slipway.migrations.layouts import load_folder
    from slipway.migrations.runner import Engine

    settings = load_settings(database_url=url, project_dir=RYLIE)
    with connect(settings) as conn:
        Engine(conn, settings, load_folder(settings.migrations_dir)).up()
        seed = RYLIE / "data" / "seed.sql"
        if seed.exists():
            with conn.transaction():
                conn.execute(seed.read_text(encoding="utf-8").encode())


def test_rylie_maintenance_end_to_end(db_url: str, db_conn: Conn) -> None:
    _apply_rylie(db_url)
    raw = tomllib.loads((RYLIE / "slipway.toml").read_text(encoding="utf-8"))["maintain"]
    cfg = parse_maintain(raw)
    now = datetime.now(UTC)
    wanted = [
        f"messages_{now.year + (now.month - 1 + i) // 12}_{(now.month - 1 + i) % 12 + 1:02d}"
        for i in range(4)
    ]
    # Rows for the third month ahead already sit in messages_default: they must be rescued.
    db_conn.execute(f"DROP TABLE IF EXISTS {wanted[3]}")
    db_conn.execute(
        "INSERT INTO messages (dealership_id, conversation_id, content, role, created_at)"
        " SELECT dealership_id, id, 'early', 'customer',"
        " date_trunc('month', now()) + interval '3 months 2 days' FROM conversations LIMIT 5"
    )
    db_conn.execute(
        "UPDATE conversation_contexts SET expires_at = now() - interval '1 hour'"
        " WHERE id IN (SELECT id FROM conversation_contexts ORDER BY id LIMIT 3)"
    )
    expired = db_conn.execute(
        "SELECT (SELECT count(*) FROM conversation_contexts"
        " WHERE expires_at < now()), (SELECT count(*) FROM jwt_tokens"
        " WHERE expires_at < now())"
    ).fetchone()
    total_messages = db_conn.execute("SELECT count(*) FROM messages").fetchone()
    result = run_maintenance(db_conn, cfg, only_due=False, now=now)
    assert result.ok, [a.summary for a in result.actions] + [r.error for r in result.rules]
    rescued = [a for a in result.actions if a.action == "rescue"]
    assert [(a.details["partition"], a.details["rows_moved"]) for a in rescued] == [(wanted[3], 5)]
    parts = {
        r[0]
        for r in db_conn.execute(
            "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid"
            " WHERE i.inhparent = 'messages'::regclass"
        ).fetchall()
    }
    assert set(wanted) <= parts
    # Every message is still there: attached, or in a month retired by detaching it.
    retired = [a.details["partition"] for a in result.actions if a.action == "detach"]
    kept = sum(db_conn.execute(f"SELECT count(*) FROM {name}").fetchone()[0] for name in retired)
    assert retired and not parts & set(retired)
    assert total_messages is not None
    assert db_conn.execute("SELECT count(*) FROM messages").fetchone() == (
        total_messages[0] - kept,
    )
    assert db_conn.execute(
        "SELECT count(*) FROM messages_default WHERE created_at >= date_trunc('month', now())"
        " AND created_at < date_trunc('month', now()) + interval '4 months'"
    ).fetchone() == (0,)
    views = {a.target: a.details["concurrently"] for a in result.actions if a.task == "views"}
    assert set(views) == {"message_feedback_summary", "monthly_usage_summary"}
    assert set(last_refreshes(db_conn)) == set(views)
    deleted = {a.target: a.details["deleted"] for a in result.actions if a.task == "cleanup"}
    assert expired is not None and expired[0] >= 3
    assert deleted.get("conversation_contexts", 0) == expired[0]
    assert deleted.get("jwt_tokens", 0) == expired[1]
    # The platform's own function agrees with what slipway created: nothing left to do.
    assert db_conn.execute("SELECT count(*) FROM maintain_messages_partitions(3)").fetchone() == (
        0,
    )
