"""Index.key_specs on live indexes: what makes two indexes' keys answer the same queries
(column, operator class, collation, ordering), as `slipway doctor` HC051/HC052 compare them."""

from __future__ import annotations

import psycopg

from slipway.catalog.introspect import introspect


def test_key_specs_name_opclass_collation_and_ordering(db_url: str) -> None:
    with psycopg.connect(db_url, autocommit=True) as conn:
        conn.execute(
            'CREATE TABLE t (a int, b text, "we,ird)" text, c int);'
            "CREATE INDEX t_plain ON t (a, b);"
            'CREATE INDEX t_fancy ON t (a DESC NULLS LAST, b COLLATE "C" text_pattern_ops, '
            '"we,ird)") INCLUDE (c);'
            "CREATE INDEX t_expr ON t (lower(b), (a + 1)) WHERE c > 0;"
            "CREATE INDEX t_hash ON t USING hash (b);"
        )
        table = introspect(conn, members=("indexes",)).table("t")
    assert table is not None
    specs = {ix.name: ix.key_specs for ix in table.indexes}
    assert specs == {
        "t_plain": ("a", "b"),
        "t_fancy": ("a DESC NULLS LAST", 'b COLLATE "C" text_pattern_ops', '"we,ird)"'),
        "t_expr": ("lower(b)", "((a + 1))"),
        "t_hash": ("b",),
    }
