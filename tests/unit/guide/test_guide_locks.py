"""The statement -> PostgreSQL lock level table."""

from __future__ import annotations

import pytest

from slipway.guide.locks import BLOCKS, LEVELS, Lock, statement_locks, strongest
from slipway.sql import parse_statements


def locks_of(sql: str) -> list[tuple[str, str]]:
    ((kind, node),) = parse_statements(sql)[0]["stmt"].items()
    return [(lock.mode, lock.relation) for lock in statement_locks(kind, node)]


@pytest.mark.parametrize(
    ("sql", "expected"),
    [
        ("ALTER TABLE t ADD COLUMN c int", [("ACCESS EXCLUSIVE", "t")]),
        ("ALTER TABLE t ALTER COLUMN c TYPE bigint", [("ACCESS EXCLUSIVE", "t")]),
        ("ALTER TABLE t ENABLE ROW LEVEL SECURITY", [("ACCESS EXCLUSIVE", "t")]),
        ("ALTER TABLE t VALIDATE CONSTRAINT c", [("SHARE UPDATE EXCLUSIVE", "t")]),
        ("ALTER TABLE t SET (fillfactor = 70)", [("SHARE UPDATE EXCLUSIVE", "t")]),
        ("ALTER TABLE t DISABLE TRIGGER tg", [("SHARE ROW EXCLUSIVE", "t")]),
        (
            "ALTER TABLE t ADD CONSTRAINT f FOREIGN KEY (p) REFERENCES p (id) NOT VALID",
            [("SHARE ROW EXCLUSIVE", "t"), ("SHARE ROW EXCLUSIVE", "p")],
        ),
        (
            "ALTER TABLE p ATTACH PARTITION c FOR VALUES IN (1)",
            [("SHARE UPDATE EXCLUSIVE", "p"), ("ACCESS EXCLUSIVE", "c")],
        ),
        ("ALTER TABLE p DETACH PARTITION c", [("ACCESS EXCLUSIVE", "p")]),
        ("ALTER TABLE p DETACH PARTITION c CONCURRENTLY", [("SHARE UPDATE EXCLUSIVE", "p")]),
        ("CREATE INDEX i ON t (c)", [("SHARE", "t")]),
        ("CREATE INDEX CONCURRENTLY i ON t (c)", [("SHARE UPDATE EXCLUSIVE", "t")]),
        ("DROP INDEX i", [("ACCESS EXCLUSIVE", "i")]),
        ("DROP INDEX CONCURRENTLY i", [("SHARE UPDATE EXCLUSIVE", "i")]),
        ("DROP TABLE a, b", [("ACCESS EXCLUSIVE", "a"), ("ACCESS EXCLUSIVE", "b")]),
        ("DROP POLICY p ON t", [("ACCESS EXCLUSIVE", "t")]),
        ("DROP TRIGGER tg ON t", [("ACCESS EXCLUSIVE", "t")]),
        (
            "CREATE TRIGGER tg BEFORE UPDATE ON t FOR EACH ROW EXECUTE FUNCTION f()",
            [("SHARE ROW EXCLUSIVE", "t")],
        ),
        ("CREATE POLICY p ON t USING (true)", [("ACCESS EXCLUSIVE", "t")]),
        (
            "CREATE TABLE c (id int, p_id int REFERENCES p (id))",
            [("SHARE ROW EXCLUSIVE", "p"), ("ACCESS EXCLUSIVE", "c")],
        ),
        (
            "CREATE TABLE m_1 PARTITION OF m FOR VALUES IN (1)",
            [("ACCESS EXCLUSIVE", "m"), ("ACCESS EXCLUSIVE", "m_1")],
        ),
        ("INSERT INTO t VALUES (1)", [("ROW EXCLUSIVE", "t")]),
        ("UPDATE t SET c = 1", [("ROW EXCLUSIVE", "t")]),
        ("DELETE FROM t", [("ROW EXCLUSIVE", "t")]),
        ("TRUNCATE a, b", [("ACCESS EXCLUSIVE", "a"), ("ACCESS EXCLUSIVE", "b")]),
        ("ALTER TABLE t RENAME TO u", [("ACCESS EXCLUSIVE", "t")]),
        ("REFRESH MATERIALIZED VIEW v", [("ACCESS EXCLUSIVE", "v")]),
        ("REFRESH MATERIALIZED VIEW CONCURRENTLY v", [("EXCLUSIVE", "v")]),
        ("VACUUM t", [("SHARE UPDATE EXCLUSIVE", "t")]),
        ("VACUUM FULL t", [("ACCESS EXCLUSIVE", "t")]),
        ("REINDEX TABLE t", [("SHARE", "t")]),
        ("REINDEX TABLE CONCURRENTLY t", [("SHARE UPDATE EXCLUSIVE", "t")]),
        ("LOCK TABLE t IN SHARE MODE", [("SHARE", "t")]),
        ("COMMENT ON COLUMN t.c IS 'x'", [("SHARE UPDATE EXCLUSIVE", "t")]),
        ("ALTER TABLE audit.t ADD COLUMN c int", [("ACCESS EXCLUSIVE", "audit.t")]),
        ("SELECT 1", []),
        ("CREATE FUNCTION f() RETURNS int LANGUAGE sql AS 'select 1'", []),
    ],
)
def test_statement_locks(sql: str, expected: list[tuple[str, str]]) -> None:
    assert locks_of(sql) == expected


def test_levels_are_ordered_and_explained() -> None:
    assert LEVELS[0] == "ACCESS SHARE" and LEVELS[-1] == "ACCESS EXCLUSIVE"
    assert set(BLOCKS) == set(LEVELS)


def test_strongest() -> None:
    locks = [Lock("SHARE", "a"), Lock("ACCESS EXCLUSIVE", "b"), Lock("ROW EXCLUSIVE", "c")]
    assert strongest(locks) == Lock("ACCESS EXCLUSIVE", "b")
    assert strongest([]) is None
