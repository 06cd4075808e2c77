"""View.reads and MatView.reads on live views: the relations a view's query reads (what
`slipway doctor` HC046 checks for row-level security), and `shared`."""

from __future__ import annotations

import psycopg

from slipway.catalog.introspect import introspect


def test_views_know_the_relations_they_read(db_url: str) -> None:
    with psycopg.connect(db_url, autocommit=True) as conn:
        conn.execute(
            "CREATE SCHEMA audit; CREATE TABLE a (id int); CREATE TABLE audit.b (id int);"
            "CREATE VIEW v AS SELECT a.id FROM a JOIN audit.b USING (id);"
            "CREATE VIEW vv AS SELECT id FROM v;"
            "CREATE MATERIALIZED VIEW m AS SELECT count(*) FROM a;"
            "CREATE VIEW constant AS SELECT 1 AS one;"
            "GRANT SELECT ON m TO PUBLIC;"
        )
        cat = introspect(conn, kinds="vm", members=())
    views = {v.name: v for v in (*cat.views, *cat.matviews)}
    assert views["v"].reads == (("audit", "b"), ("public", "a"))
    assert views["vv"].reads == (("public", "v"),)
    assert views["m"].reads == (("public", "a"),)
    assert views["constant"].reads == ()
    assert views["m"].shared and not views["v"].shared
