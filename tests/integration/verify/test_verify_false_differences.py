"""`slipway verify` reports only real differences: what real migration folders (lemmy,
UPchieve) showed it getting wrong.

- 'now'::timestamp in a view or default is stored as the instant the view was created: a down
  that recreates the view exactly as it was has another instant in it, which is no difference;
  a literal written by hand that the down changes still is.
- A view over `t.*` lists t's columns in t's order: when the rollback leaves only t's columns in
  another order (not counted), the view's columns follow, and that is a column-order change too.
- A syntax error is a migration's own failure (up-failed), not `not-run` for an earlier one.
"""

from __future__ import annotations

import json
from pathlib import Path

from verify_helpers import Corpus, slipway, write_corpus

NOW_VIEW = (
    "CREATE VIEW recent AS SELECT id FROM t WHERE at < ('now'::timestamp - '1 day'::interval);\n"
)
FIXED_VIEW = "CREATE VIEW fixed AS SELECT id FROM t WHERE at < '2020-01-01 10:00:00'::timestamp;\n"
NOW_CORPUS: Corpus = {
    "0001_t": (
        "CREATE TABLE t (id int, at timestamp, seen timestamp DEFAULT 'now'::timestamp);\n"
        + NOW_VIEW
        + FIXED_VIEW,
        "DROP VIEW fixed;\nDROP VIEW recent;\nDROP TABLE t;\n",
        None,
    ),
    # The down recreates `recent` as it was (another 'now' instant) and `seen`'s default too.
    "0002_recreate": (
        (
            "DROP VIEW recent;\nALTER TABLE t ADD COLUMN note text;\n"
            "CREATE VIEW recent AS SELECT id, note FROM t"
            " WHERE at < ('now'::timestamp - '1 day'::interval);\n"
            "ALTER TABLE t ALTER COLUMN seen DROP DEFAULT;\n"
        ),
        "DROP VIEW recent;\nALTER TABLE t DROP COLUMN note;\n"
        + NOW_VIEW
        + "ALTER TABLE t ALTER COLUMN seen SET DEFAULT 'now'::timestamp;\n",
        None,
    ),
    # A literal written by hand that the down does not restore is a real difference.
    "0003_fixed_changed": (
        "DROP VIEW fixed;\nCREATE VIEW fixed AS SELECT id FROM t;\n",
        (
            "DROP VIEW fixed;\n"
            "CREATE VIEW fixed AS SELECT id FROM t WHERE at < '2021-01-01 10:00:00'::timestamp;\n"
        ),
        None,
    ),
}

VIEWS = (
    "CREATE VIEW everything AS SELECT * FROM t;\n"
    "CREATE VIEW over_view AS SELECT e.* FROM everything e;\n"
)
ORDER_CORPUS: Corpus = {
    "0001_t": (
        "CREATE TABLE t (a int, b int, c int);\n" + VIEWS,
        "DROP VIEW over_view;\nDROP VIEW everything;\nDROP TABLE t;\n",
        None,
    ),
    # The down re-adds b at the end; both views are recreated over the new order.
    "0002_drop_b": (
        "DROP VIEW over_view;\nDROP VIEW everything;\nALTER TABLE t DROP COLUMN b;\n" + VIEWS,
        "DROP VIEW over_view;\nDROP VIEW everything;\nALTER TABLE t ADD COLUMN b int;\n" + VIEWS,
        None,
    ),
    # Columns put in another order by the view's own text are a difference, not an order.
    "0003_view_reorders": (
        "CREATE TABLE w (id int);\n",
        (
            "DROP TABLE w;\nDROP VIEW over_view;\n"
            "CREATE VIEW over_view AS SELECT e.c, e.a FROM everything e;\n"
        ),
        None,
    ),
}

SYNTAX_CORPUS: Corpus = {
    "0001_broken": ("CREATE TABLE t (id int) oops;\n", "DROP TABLE t;\n", None),
    "0002_needs_t": ("ALTER TABLE t ADD COLUMN x int;\n", "ALTER TABLE t DROP COLUMN x;\n", None),
    "0003_broken_too": (
        "CREATE TABLE u (id int)\nALTER TABLE u ADD COLUMN y int;\n",
        "DROP TABLE u;\n",
        None,
    ),
}


def _verify(project: Path, pg_server: str, corpus: Corpus) -> dict[str, dict[str, object]]:
    write_corpus(project / "migrations", corpus)
    run = slipway(project, pg_server, "verify", "--format", "json")
    assert "Traceback" not in run.stderr, run.stderr
    return {e["version"]: e for e in json.loads(run.stdout)["results"]}


def test_now_frozen_at_creation_is_no_difference(pg_server: str, project: Path) -> None:
    entries = _verify(project, pg_server, NOW_CORPUS)
    got = {v: (e["verdict"], e["differences"]) for v, e in entries.items()}
    assert got["0001"] == ("ok", [])
    assert got["0002"] == ("ok", []), got["0002"]
    assert got["0003"] == ("rollback-incomplete", ["view fixed definition differs"])


def test_view_columns_in_the_tables_new_order_are_a_column_order(
    pg_server: str, project: Path
) -> None:
    entries = _verify(project, pg_server, ORDER_CORPUS)
    got = {v: (e["verdict"], e["differences"], e["column_order"]) for v, e in entries.items()}
    assert got["0002"] == (
        "ok",
        [],
        [
            "column order of t changed: a, c, b (was a, b, c)",
            "column order of view everything changed: a, c, b (was a, b, c)",
            "column order of view over_view changed: a, c, b (was a, b, c)",
        ],
    ), got["0002"]
    assert got["0003"][0] == "rollback-incomplete"
    assert set(got["0003"][1]) == {"view over_view definition differs"}
    assert got["0003"][2] == []


def test_a_syntax_error_is_up_failed_not_not_run(pg_server: str, project: Path) -> None:
    entries = _verify(project, pg_server, SYNTAX_CORPUS)
    got = {v: e["verdict"] for v, e in entries.items()}
    assert got == {"0001": "up-failed", "0002": "not-run", "0003": "up-failed"}
    assert "SQLSTATE 42601" in str(entries["0003"]["error"])
    assert "cannot be applied after" not in str(entries["0003"]["error"])
