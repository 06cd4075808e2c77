"""Cascades, partition routing, triggers, materialized views and the functions of the Rylie
schema, on the seeded database (each test rolls back)."""

from __future__ import annotations

from datetime import UTC, datetime

import psycopg
import pytest

from .conftest import as_app, as_owner, as_tenant

Conn = psycopg.Connection[tuple[object, ...]]


def one(conn: Conn, query: str, params: tuple[object, ...] = ()) -> object:
    row = conn.execute(query, params).fetchone()
    assert row is not None, query
    return row[0]


def num(conn: Conn, query: str, params: tuple[object, ...] = ()) -> int:
    return int(str(one(conn, query, params)))


def partition_of(conn: Conn, message_id: object) -> str:
    return str(
        one(conn, "SELECT tableoid::regclass::text FROM messages WHERE id = %s", (message_id,))
    )


def add_message(conn: Conn, conversation: int, created_at: str, dealership: int = 1) -> object:
    return one(
        conn,
        """INSERT INTO messages (dealership_id, conversation_id, content, role, created_at)
                        VALUES (%s, %s, 'hello', 'customer', %s) RETURNING id""",
        (dealership, conversation, created_at),
    )


def conversation_of(conn: Conn, dealership: int = 1) -> int:
    return int(
        str(one(conn, "SELECT min(id) FROM conversations WHERE dealership_id = %s", (dealership,)))
    )


# --- cascades -------------------------------------------------------------------------------


@pytest.mark.parametrize("dealership", [1, 3])
def test_deleting_a_dealership_cascades_to_every_tenant_table(conn: Conn, dealership: int) -> None:
    # rows written in the same transaction are re-checked by foreign keys even when their keys
    # do not change: the BEFORE DELETE triggers on users must not touch them mid-cascade
    agent = one(
        conn, "SELECT min(id) FROM users WHERE dealership_id = %s AND role = 'user'", (dealership,)
    )
    as_tenant(conn, dealership)
    conn.execute(
        """INSERT INTO messages (dealership_id, conversation_id, content, role, sender_user_id)
                    SELECT %s, min(id), 'x', 'agent', %s FROM conversations WHERE dealership_id = %s""",
        (dealership, agent, dealership),
    )
    conn.execute(
        "SELECT increment_usage_metrics(%s, %s::bigint, current_date, 1, 1, 1, 0)",
        (dealership, agent),
    )
    conn.execute(
        "SELECT increment_usage_metrics(%s, NULL, current_date, 1, 1, 1, 0)", (dealership,)
    )
    as_tenant(conn, None)
    tables = [
        str(r[0])
        for r in conn.execute(
            """SELECT table_name FROM information_schema.columns
           WHERE table_schema = 'public' AND column_name = 'dealership_id'
             AND table_name NOT LIKE 'messages\\_%%' AND table_name NOT LIKE '%%summary'
             AND table_name <> 'current_day_usage'"""
        ).fetchall()
    ]
    others = one(conn, "SELECT count(*) FROM vehicles WHERE dealership_id = 2")
    assert one(conn, "SELECT count(*) FROM vehicles WHERE dealership_id = %s", (dealership,)) == 3
    conn.execute("DELETE FROM dealerships WHERE id = %s", (dealership,))
    for table in tables:
        assert (
            one(conn, f"SELECT count(*) FROM {table} WHERE dealership_id = %s", (dealership,)) == 0
        ), table
    assert one(conn, "SELECT count(*) FROM vehicles WHERE dealership_id = 2") == others


def test_deleting_a_lead_or_customer_deletes_its_conversations(conn: Conn) -> None:
    lead, conv = conn.execute(
        "SELECT lead_id, id FROM conversations WHERE dealership_id = 1 AND lead_id IS NOT NULL ORDER BY id LIMIT 1"
    ).fetchone() or (None, None)
    assert one(conn, "SELECT count(*) FROM messages WHERE conversation_id = %s", (conv,)) == 6
    conn.execute("DELETE FROM leads WHERE id = %s", (lead,))
    assert one(conn, "SELECT count(*) FROM conversations WHERE id = %s", (conv,)) == 0
    assert one(conn, "SELECT count(*) FROM messages WHERE conversation_id = %s", (conv,)) == 0

    customer, conv2 = conn.execute(
        "SELECT customer_id, id FROM conversations WHERE dealership_id = 2 ORDER BY id LIMIT 1"
    ).fetchone() or (None, None)
    conn.execute("DELETE FROM customers WHERE id = %s", (customer,))
    assert one(conn, "SELECT count(*) FROM conversations WHERE id = %s", (conv2,)) == 0
    assert one(conn, "SELECT count(*) FROM leads WHERE customer_id = %s", (customer,)) == 0


def test_deleting_a_user_sets_references_null_and_keeps_usage(conn: Conn) -> None:
    manager = one(conn, "SELECT id FROM users WHERE dealership_id = 1 AND role = 'manager'")
    escalated = one(
        conn, "SELECT count(*) FROM conversations WHERE escalated_to_user_id = %s", (manager,)
    )
    assert escalated and one(
        conn, "SELECT count(*) FROM message_feedback WHERE user_id = %s", (manager,)
    )
    agent = one(conn, "SELECT min(id) FROM users WHERE dealership_id = 1 AND role = 'user'")
    usage = "SELECT sum(message_count), sum(total_tokens), sum(estimated_cost) FROM usage_metrics WHERE dealership_id = 1"
    before = conn.execute(usage).fetchone()
    as_app(conn, 1)  # the application deletes users of its own tenant
    conn.execute("DELETE FROM users WHERE id = ANY(%s)", ([manager, agent],))
    as_owner(conn)
    assert (
        one(
            conn,
            "SELECT count(*) FROM conversations WHERE dealership_id = 1 AND status = 'escalated'",
        )
        == escalated
    )
    assert (
        one(
            conn,
            "SELECT count(*) FROM conversations WHERE escalated_to_user_id IS NOT NULL AND dealership_id = 1",
        )
        == 0
    )
    assert (
        num(
            conn,
            "SELECT count(*) FROM message_feedback WHERE dealership_id = 1 AND user_id IS NULL",
        )
        > 0
    )
    assert (
        num(conn, "SELECT count(*) FROM handovers WHERE dealership_id = 1 AND to_user_id IS NULL")
        > 0
    )
    assert conn.execute(usage).fetchone() == before
    actions = conn.execute(
        "SELECT action, count(*) FROM audit_logs WHERE table_name = 'users' AND action = 'DELETE' "
        "AND dealership_id = 1 GROUP BY 1"
    ).fetchall()
    assert actions == [("DELETE", 2)]


def test_deleting_an_agent_clears_their_messages_sender(conn: Conn) -> None:
    agent = one(
        conn,
        "SELECT DISTINCT sender_user_id FROM messages WHERE dealership_id = 3 AND sender_user_id IS NOT NULL",
    )
    sent = one(conn, "SELECT count(*) FROM messages WHERE sender_user_id = %s", (agent,))
    assert sent == 18
    as_app(conn, 3)
    conn.execute("DELETE FROM users WHERE id = %s", (agent,))
    assert (
        one(conn, "SELECT count(*) FROM messages WHERE role = 'agent' AND sender_user_id IS NULL")
        == sent
    )


def test_constraint_definitions_survive_partitions_with_other_column_numbers(conn: Conn) -> None:
    """After a column drop, new partitions number their columns differently from the parent;
    no cloned constraint may then break pg_get_constraintdef (and so pg_dump)."""
    conn.execute("ALTER TABLE messages ADD COLUMN scratch integer")
    conn.execute("ALTER TABLE messages DROP COLUMN scratch")
    conn.execute("SELECT create_messages_partition('2031-01-01')")
    conn.execute("""INSERT INTO messages (dealership_id, conversation_id, content, role, created_at)
                    SELECT 1, min(id), 'x', 'customer', '2031-02-03' FROM conversations WHERE dealership_id = 1""")
    conn.execute("SELECT create_messages_partition('2031-02-01')")  # the split path (LIKE + ATTACH)
    defs = conn.execute(
        "SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE connamespace = 'public'::regnamespace"
    )
    assert len(defs.fetchall()) > 100


# --- partitions -----------------------------------------------------------------------------


def test_messages_route_to_their_month_or_the_default(conn: Conn) -> None:
    conv = conversation_of(conn)
    for month in ("01", "02", "03"):
        assert (
            partition_of(conn, add_message(conn, conv, f"2025-{month}-15 12:00+00"))
            == f"messages_2025_{month}"
        )
    assert (
        partition_of(conn, add_message(conn, conv, "2025-01-31 23:59:59+00")) == "messages_2025_01"
    )
    assert (
        partition_of(conn, add_message(conn, conv, "2025-02-01 00:00:00+00")) == "messages_2025_02"
    )
    assert partition_of(conn, add_message(conn, conv, "2024-06-01 00:00+00")) == "messages_default"
    now = datetime.now(UTC)
    assert partition_of(conn, add_message(conn, conv, now.isoformat())) == f"messages_{now:%Y_%m}"
    stats = {r[0]: r[4] for r in conn.execute("SELECT * FROM get_messages_stats(true)").fetchall()}
    assert stats["messages_2025_01"] == 38 and stats["messages_default"] == 37


def test_create_partition_splits_rows_out_of_the_default(conn: Conn) -> None:
    conv = conversation_of(conn)
    early, late = (
        add_message(conn, conv, "2030-05-02 00:00+00"),
        add_message(conn, conv, "2030-06-01 00:00+00"),
    )
    feedback = one(
        conn,
        """INSERT INTO message_feedback (dealership_id, conversation_id, message_id, message_created_at, rating)
                            VALUES (1, %s, %s, '2030-05-02 00:00+00', 1) RETURNING id""",
        (conv, early),
    )
    assert one(conn, "SELECT create_messages_partition('2030-05-20')") == "messages_2030_05"
    assert (
        partition_of(conn, early) == "messages_2030_05"
        and partition_of(conn, late) == "messages_default"
    )
    assert one(conn, "SELECT count(*) FROM message_feedback WHERE id = %s", (feedback,)) == 1
    # idempotent, and the new partition routes new rows
    assert one(conn, "SELECT create_messages_partition('2030-05-01')") == "messages_2030_05"
    assert partition_of(conn, add_message(conn, conv, "2030-05-31 23:00+00")) == "messages_2030_05"
    bounds = conn.execute(
        "SELECT range_start, range_end FROM get_messages_stats() WHERE partition_name = 'messages_2030_05'"
    ).fetchone()
    assert bounds == (datetime(2030, 5, 1, tzinfo=UTC), datetime(2030, 6, 1, tzinfo=UTC))
    with pytest.raises(psycopg.errors.NullValueNotAllowed):
        conn.execute("SELECT create_messages_partition(NULL)")


def test_maintain_creates_ahead_and_drops_past_retention(conn: Conn) -> None:
    assert (
        conn.execute("SELECT * FROM maintain_messages_partitions(3)").fetchall() == []
    )  # migration made them
    created = conn.execute("SELECT * FROM maintain_messages_partitions(5)").fetchall()
    assert [r[0] for r in created] == ["created", "created"]
    dropped = conn.execute("SELECT * FROM maintain_messages_partitions(0, 12)").fetchall()
    assert dropped == [
        ("dropped", "messages_2025_01"),
        ("dropped", "messages_2025_02"),
        ("dropped", "messages_2025_03"),
    ]
    assert (
        one(
            conn,
            "SELECT count(*) FROM messages WHERE created_at >= '2025-01-01' AND created_at < '2025-04-01'",
        )
        == 0
    )
    assert (
        one(conn, "SELECT count(*) FROM messages_default") == 36
    )  # default partition is never dropped
    with pytest.raises(psycopg.errors.InvalidParameterValue), conn.transaction():
        conn.execute("SELECT * FROM maintain_messages_partitions(-1)")
    with pytest.raises(psycopg.errors.InvalidParameterValue), conn.transaction():
        conn.execute("SELECT * FROM maintain_messages_partitions(1, 0)")


def test_maintenance_functions_are_not_for_the_app(conn: Conn) -> None:
    as_app(conn, 1)
    for call in (
        "SELECT create_messages_partition('2031-01-01')",
        "SELECT * FROM maintain_messages_partitions()",
        "SELECT cleanup_expired_jwt_tokens()",
        "SELECT * FROM get_database_stats()",
        "SELECT * FROM get_messages_stats()",
    ):
        with pytest.raises(psycopg.errors.InsufficientPrivilege), conn.transaction():
            conn.execute(call)


# --- triggers -------------------------------------------------------------------------------


def test_updated_at_is_kept_current(conn: Conn) -> None:
    old = one(conn, "SELECT updated_at FROM customers WHERE id = 1")
    as_app(conn, 1)
    conn.execute("UPDATE customers SET city = 'Round Rock' WHERE id = 1")
    new = one(conn, "SELECT updated_at FROM customers WHERE id = 1")
    assert new == one(conn, "SELECT now()") and new != old


def test_new_messages_bump_their_conversations(conn: Conn) -> None:
    convs = [
        int(str(r[0]))
        for r in conn.execute(
            "SELECT id FROM conversations WHERE dealership_id = 1 ORDER BY id LIMIT 3"
        )
    ]
    conn.commit()  # a fresh transaction: now() moves past the seed's timestamps
    as_app(conn, 1)
    conn.execute(
        """INSERT INTO messages (dealership_id, conversation_id, content, role)
                    SELECT 1, c, 'hi', 'customer' FROM unnest(%s::bigint[]) c, generate_series(1, 2)""",
        (convs[:2],),
    )
    now = one(conn, "SELECT now()")
    rows = {
        r[0]: r[1]
        for r in conn.execute(
            "SELECT id, updated_at = %s FROM conversations WHERE id = ANY(%s)", (now, convs)
        )
    }
    assert rows == {convs[0]: True, convs[1]: True, convs[2]: False}


def test_feedback_must_point_at_an_existing_message(conn: Conn) -> None:
    conv = conversation_of(conn)
    as_app(conn, 1)
    with pytest.raises(psycopg.errors.ForeignKeyViolation, match="does not exist"):
        conn.execute(
            """INSERT INTO message_feedback (dealership_id, conversation_id, message_id, message_created_at, rating)
                        VALUES (1, %s, 999999, now(), 1)""",
            (conv,),
        )


def test_one_default_persona_per_dealership(conn: Conn) -> None:
    as_app(conn, 2)
    with pytest.raises(psycopg.errors.UniqueViolation):
        conn.execute("UPDATE personas SET is_default = true WHERE dealership_id = 2")


def test_audit_log_records_changed_column_names_only(conn: Conn) -> None:
    as_app(conn, 1)
    as_tenant(conn, 1)
    conn.execute(
        "SELECT set_config('app.current_user_id', (SELECT min(id) FROM users)::text, true)"
    )
    conn.execute(
        "UPDATE api_keys SET description = 'rotated', is_active = false WHERE dealership_id = 1"
    )
    row = conn.execute(
        "SELECT action, changed_fields, user_id IS NOT NULL FROM audit_logs "
        "WHERE table_name = 'api_keys' AND action = 'UPDATE'"
    ).fetchone()
    assert row == ("UPDATE", ["description", "is_active"], True)


# --- materialized views -----------------------------------------------------------------------


def test_summaries_refresh_concurrently(conn: Conn) -> None:
    total = "SELECT sum(total_feedback) FROM message_feedback_summary"
    assert one(conn, total) == 54
    message = conn.execute(
        "SELECT id, created_at, conversation_id FROM messages WHERE dealership_id = 1 AND role = 'customer' LIMIT 1"
    ).fetchone()
    assert message is not None
    conn.execute(
        """INSERT INTO message_feedback (dealership_id, conversation_id, message_id, message_created_at, rating)
                    VALUES (1, %s, %s, %s, -1)""",
        (message[2], message[0], message[1]),
    )
    as_tenant(conn, 1)
    conn.execute("SELECT increment_usage_metrics(1, NULL, '2025-01-20', 100, 1, 1, 1)")
    conn.execute("REFRESH MATERIALIZED VIEW CONCURRENTLY message_feedback_summary")
    conn.execute("REFRESH MATERIALIZED VIEW CONCURRENTLY monthly_usage_summary")
    assert one(conn, total) == 55
    assert (
        one(
            conn,
            "SELECT negative_count FROM message_feedback_summary WHERE message_id = %s",
            (message[0],),
        )
        == 1
    )
    assert (
        one(
            conn,
            "SELECT total_messages FROM monthly_usage_summary WHERE dealership_id = 1 AND month = '2025-01-01'",
        )
        == 112
    )


# --- functions --------------------------------------------------------------------------------


def test_increment_usage_metrics_accumulates(conn: Conn) -> None:
    agent = one(conn, "SELECT min(id) FROM users WHERE dealership_id = 1 AND role = 'user'")
    as_app(conn, 1)
    # psycopg sends Python ints as the smallest type: the casts pick the function's signature
    call = "SELECT message_count, total_tokens, estimated_cost FROM increment_usage_metrics(1, %s::bigint, '2026-01-02', %s::int, %s::bigint, %s::bigint, %s::numeric)"
    assert conn.execute(call, (agent, 2, 100, 50, 0.5)).fetchone() == (2, 150, pytest.approx(0.5))
    assert conn.execute(call, (agent, 1, 10, 5, 0.25)).fetchone() == (3, 165, pytest.approx(0.75))
    conn.execute(call, (None, 1, 1, 1, 0))
    assert conn.execute(call, (None, 1, 1, 1, 0)).fetchone()[0] == 2  # type: ignore[index]
    assert one(conn, "SELECT count(*) FROM usage_metrics WHERE metric_date = '2026-01-02'") == 2
    with pytest.raises(psycopg.errors.InvalidParameterValue), conn.transaction():
        conn.execute(call, (agent, -1, 0, 0, 0))
    with (
        pytest.raises(psycopg.errors.InsufficientPrivilege, match="row-level security"),
        conn.transaction(),
    ):
        conn.execute("SELECT increment_usage_metrics(2, NULL, '2026-01-02', 1, 1, 1, 0)")


def test_cleanup_removes_only_expired_rows(conn: Conn) -> None:
    expired = one(conn, "SELECT count(*) FROM conversation_contexts WHERE expires_at < now()")
    kept = one(conn, "SELECT count(*) FROM conversation_contexts WHERE expires_at >= now()")
    assert expired and kept
    as_tenant(conn, 3)  # the caller's tenant setting survives the per-tenant loop
    assert one(conn, "SELECT cleanup_expired_conversation_contexts()") == expired
    assert one(conn, "SELECT cleanup_expired_conversation_contexts()") == 0
    assert one(conn, "SELECT count(*) FROM conversation_contexts") == kept
    assert one(conn, "SELECT current_setting('app.current_dealership_id')") == "3"
    assert one(conn, "SELECT cleanup_expired_jwt_tokens()") == 6
    assert one(conn, "SELECT count(*) FROM jwt_tokens WHERE expires_at < now()") == 0
    assert one(conn, "SELECT count(*) FROM jwt_tokens") == 6


def test_database_stats_cover_every_table(conn: Conn) -> None:
    rows = {r[0]: r for r in conn.execute("SELECT * FROM get_database_stats()").fetchall()}
    assert {
        "dealerships",
        "messages",
        "vehicles",
        "usage_metrics",
        "monthly_usage_summary",
    } <= rows.keys()
    assert not any(
        str(name).startswith("messages_") for name in rows
    )  # partitions roll up into messages
    partitions = one(conn, "SELECT sum(total_bytes) FROM get_messages_stats()")
    assert rows["messages"][1] == "partitioned table" and rows["messages"][3] == partitions
    stats = conn.execute(
        "SELECT partition_name, is_default, row_count FROM get_messages_stats(true)"
    ).fetchall()
    assert stats[-1] == ("messages_default", True, 36)
    assert ("messages_2025_01", False, 36) in stats and sum(int(str(r[2])) for r in stats) == 108


def test_recent_messages_are_tenant_scoped(conn: Conn) -> None:
    conv, phone = conn.execute(
        "SELECT id, customer_phone FROM conversations WHERE dealership_id = 1 ORDER BY id LIMIT 1"
    ).fetchone() or (0, "")
    as_app(conn, 1)
    assert (
        conn.execute("SELECT * FROM get_recent_messages(1, %s)", (phone,)).fetchall() == []
    )  # seed is old
    new = add_message(conn, int(str(conv)), datetime.now(UTC).isoformat())
    recent = conn.execute(
        "SELECT message_id, conversation_id FROM get_recent_messages(1, %s, 5)", (phone,)
    ).fetchall()
    assert recent == [(new, conv)]
    old = conn.execute(
        "SELECT count(*) FROM get_recent_messages(1, %s, 100, '10 years')", (phone,)
    ).fetchone()
    assert old == (7,)
    as_tenant(conn, 2)
    assert (
        conn.execute("SELECT * FROM get_recent_messages(1, %s, 5, '10 years')", (phone,)).fetchall()
        == []
    )


# --- secrets ----------------------------------------------------------------------------------


def test_api_keys_store_no_plaintext(conn: Conn) -> None:
    columns = {
        str(r[0])
        for r in conn.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = 'api_keys'"
        ).fetchall()
    }
    assert columns == {
        "id",
        "dealership_id",
        "key_hash",
        "key_prefix",
        "description",
        "is_active",
        "created_at",
        "last_used_at",
    }
    with pytest.raises(psycopg.errors.CheckViolation):
        conn.execute(
            "INSERT INTO api_keys (dealership_id, key_hash, key_prefix) VALUES (1, 'ryl_live_plaintext_key', 'ryl_')"
        )


# --- structure --------------------------------------------------------------------------------


def test_every_foreign_key_has_a_covering_index(conn: Conn) -> None:
    """An index whose leading columns are the FK columns (in any order); a partial index
    is accepted when its predicate only excludes NULL FK values."""
    missing = conn.execute(
        """SELECT c.conrelid::regclass::text, c.conname
           FROM pg_constraint c
           JOIN pg_class r ON r.oid = c.conrelid
           WHERE c.contype = 'f' AND r.relnamespace = 'public'::regnamespace
             AND NOT EXISTS (
                 SELECT 1 FROM pg_index i
                 WHERE i.indrelid = c.conrelid
                   AND (i.indkey::int2[])[0:cardinality(c.conkey) - 1] @> c.conkey
                   AND (i.indpred IS NULL OR pg_get_expr(i.indpred, i.indrelid) ~ '^\\(\\w+ IS NOT NULL\\)$'))"""
    ).fetchall()
    assert missing == []
    assert (
        num(
            conn,
            "SELECT count(*) FROM pg_constraint WHERE contype = 'f' AND connamespace = 'public'::regnamespace",
        )
        > 60
    )


def test_vehicles_match_the_feed_importer_contract(conn: Conn) -> None:
    expected = {
        "id": "bigint",
        "dealership_id": "integer",
        "vin": "text",
        "stock_number": "text",
        "make": "text",
        "model": "text",
        "year": "integer",
        "trim": "text",
        "exterior_color": "text",
        "interior_color": "text",
        "mileage": "integer",
        "price": "numeric(12,2)",
        "msrp": "numeric(12,2)",
        "body_style": "text",
        "transmission": "text",
        "engine": "text",
        "fuel_type": "text",
        "drivetrain": "text",
        "features": "jsonb",
        "description": "text",
        "images": "jsonb",
        "status": "text",
        "is_active": "boolean",
        "extra_attributes": "jsonb",
        "created_at": "timestamp with time zone",
        "updated_at": "timestamp with time zone",
        "first_seen_at": "timestamp with time zone",
        "last_seen_at": "timestamp with time zone",
        "deactivated_at": "timestamp with time zone",
        "sold_at": "timestamp with time zone",
    }
    actual = {
        r[0]: r[1]
        for r in conn.execute(
            """SELECT a.attname, format_type(a.atttypid, a.atttypmod) FROM pg_attribute a
           WHERE a.attrelid = 'public.vehicles'::regclass AND a.attnum > 0 AND NOT a.attisdropped"""
        )
    }
    assert actual == expected
    indexes = {
        str(r[0])
        for r in conn.execute(
            "SELECT pg_get_indexdef(indexrelid) FROM pg_index WHERE indrelid = 'public.vehicles'::regclass AND indisunique"
        )
    }
    assert (
        "CREATE UNIQUE INDEX vehicles_dealership_vin_key ON public.vehicles USING btree (dealership_id, vin) "
        "WHERE (vin IS NOT NULL)" in indexes
    )
    assert any(
        "(dealership_id, stock_number) WHERE ((vin IS NULL) AND (stock_number IS NOT NULL))" in i
        for i in indexes
    )
    with pytest.raises(psycopg.errors.CheckViolation):
        conn.execute(
            "INSERT INTO vehicles (dealership_id, vin, status) VALUES (1, 'SHORTVIN', 'active')"
        )
