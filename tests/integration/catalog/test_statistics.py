"""The statistics model read from a live database, and its JSON form."""

from __future__ import annotations

import json

import psycopg
import pytest

from slipway.catalog.stats import FORMAT, Statistics, read_statistics
from slipway.errors import ConfigError

Conn = psycopg.Connection[tuple[object, ...]]


def _schema(conn: Conn) -> None:
    conn.execute(
        "CREATE TABLE t (id int PRIMARY KEY, v text);"
        "INSERT INTO t SELECT g, repeat('x', 100) FROM generate_series(1, 2000) g;"
        "DELETE FROM t WHERE id <= 500;"
        "CREATE INDEX t_v ON t (v);"
        "CREATE TABLE plain (id int);"  # no index
        "CREATE MATERIALIZED VIEW mv AS SELECT count(*) AS n FROM t;"
        "CREATE TABLE p (at date NOT NULL) PARTITION BY RANGE (at);"
        "CREATE TABLE p1 PARTITION OF p FOR VALUES FROM ('2026-01-01') TO ('2026-02-01');"
        "ANALYZE p; SELECT count(*) FROM t WHERE id = 700; SELECT pg_stat_force_next_flush();"
    )


@pytest.mark.parametrize("sizes", ["estimated", "exact"])
def test_statistics_per_table_and_index(db_conn: Conn, sizes: str) -> None:
    _schema(db_conn)
    stats = read_statistics(db_conn, sizes=sizes)  # type: ignore[arg-type]
    assert stats.sizes == sizes and stats.server_version == db_conn.info.server_version
    t = stats.table("public", "t")
    assert t is not None and t.kind == "ordinary"
    assert (t.live_tuples, t.dead_tuples, t.inserted, t.deleted) == (1500, 500, 2000, 500)
    assert t.idx_scan is not None and t.idx_scan >= 1
    pkey, by_v = stats.index("public", "t_pkey"), stats.index("public", "t_v")
    assert pkey is not None and by_v is not None and pkey.table == "t" and pkey.scans >= 1
    # a table's index figures are those of its indexes
    assert t.index_bytes == pkey.bytes + by_v.bytes > 0
    assert t.total_bytes == t.table_bytes + t.index_bytes
    expected_table = db_conn.execute(
        "SELECT pg_table_size('t') FROM pg_class WHERE %s = 'exact'"
        " UNION ALL SELECT pg_relation_size('t') WHERE %s = 'estimated'",
        (sizes, sizes),
    ).fetchone()
    assert expected_table is not None and t.table_bytes == expected_table[0]
    if sizes == "exact":
        indexes_size = db_conn.execute("SELECT pg_indexes_size('t')").fetchone()
        assert indexes_size is not None and t.index_bytes == indexes_size[0]
    plain = stats.table("public", "plain")
    assert plain is not None and plain.idx_scan is None and plain.index_bytes == 0
    mv, parent = stats.table("public", "mv"), stats.table("public", "p")
    assert mv is not None and mv.kind == "matview" and mv.live_tuples == 1
    assert parent is not None and parent.kind == "partitioned" and parent.table_bytes == 0
    db_name = db_conn.execute("SELECT current_database()").fetchone()
    assert db_name is not None and stats.database.name == db_name[0]
    assert stats.database.bytes > 0 and stats.database.xid_age > 0
    assert stats.database.cache_hit_ratio is not None and 0 < stats.database.cache_hit_ratio <= 1
    assert stats.collected_at is not None and stats.collected_at.tzinfo is not None
    only_database = read_statistics(db_conn, relations=False)
    assert only_database.tables == () and only_database.indexes == ()
    assert only_database.database.name == stats.database.name


def test_json_round_trip_is_stable_and_versioned(db_conn: Conn) -> None:
    _schema(db_conn)
    stats = read_statistics(db_conn)
    data = stats.to_dict()
    assert (data["format"], data["version"]) == (FORMAT, 1)
    text = json.dumps(data, sort_keys=True)
    back = Statistics.from_dict(json.loads(text))
    assert back == stats and json.dumps(back.to_dict(), sort_keys=True) == text
    assert [t["name"] for t in data["tables"]] == ["mv", "p", "p1", "plain", "t"]
    row = next(t for t in data["tables"] if t["name"] == "t")
    assert {"estimated_rows", "table_bytes", "index_bytes", "live_tuples"} <= set(row)
    assert {"schema", "table", "name", "scans", "bytes"} == set(data["indexes"][0])
    # a newer slipway's extra keys are ignored; a missing key takes its default
    data["tables"][0]["from_the_future"] = 1
    del data["tables"][0]["dead_tuples"]
    assert Statistics.from_dict(data).tables[0].dead_tuples == 0


def test_sequences_report_how_far_they_have_come_where_they_can_run_out(db_conn: Conn) -> None:
    db_conn.execute(
        "CREATE SEQUENCE small MAXVALUE 100; SELECT setval('small', 95);"
        "CREATE SEQUENCE fresh MAXVALUE 100;"  # never called
        "CREATE TABLE narrow (id integer GENERATED ALWAYS AS IDENTITY, v int);"
        "INSERT INTO narrow (v) VALUES (1), (2);"
        "CREATE TABLE wide (id bigint GENERATED ALWAYS AS IDENTITY);"
        "INSERT INTO wide DEFAULT VALUES;"
    )
    stats = read_statistics(db_conn)
    values = {(s.name, s.last_value) for s in stats.sequences}
    # a bigint sequence feeding a bigint column cannot run out in practice: not opened
    assert values == {("small", 95), ("fresh", None), ("narrow_id_seq", 2), ("wide_id_seq", None)}
    back = Statistics.from_dict(json.loads(json.dumps(stats.to_dict())))
    assert back.sequence("public", "small") == stats.sequence("public", "small")
    assert back.sequence("public", "small") is not None


@pytest.mark.parametrize(
    ("data", "words"),
    [
        ({"format": "slipway-catalog", "version": 1}, "not a slipway statistics snapshot"),
        ({"format": FORMAT, "version": 99}, "version 99 is newer than this slipway"),
        ({"format": FORMAT, "version": 1, "tables": [{"name": "x"}]}, "malformed statistics"),
    ],
)
def test_bad_snapshots_are_one_line_errors(data: dict[str, object], words: str) -> None:
    with pytest.raises(ConfigError, match=words):
        Statistics.from_dict(data)
