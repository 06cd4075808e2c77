"""`slipway verify`: a rollback that leaves only the columns of a table in another order
(PostgreSQL cannot put a re-added column back in place) is named as such and is not
rollback-incomplete, unless --strict-column-order."""

from __future__ import annotations

import json
from pathlib import Path

from verify_helpers import Corpus, slipway, write_corpus

CORPUS: Corpus = {
    "0001_tables": (
        "CREATE TABLE t (a int, b int, c int);\nCREATE TABLE u (a int, b int, c int);\n",
        "DROP TABLE u;\nDROP TABLE t;\n",
        None,
    ),
    # The down re-adds b, at the end: t is (a, c, b) after it, not (a, b, c).
    "0002_replace_b": (
        "ALTER TABLE t ADD COLUMN d int;\nALTER TABLE t DROP COLUMN b;\n",
        "ALTER TABLE t ADD COLUMN b int;\nALTER TABLE t DROP COLUMN d;\n",
        None,
    ),
    # The same, step by step outside a transaction (the committed way).
    "0003_replace_b_committed": (
        "-- slipway: no-transaction\nALTER TABLE u ADD COLUMN d int;\nALTER TABLE u DROP COLUMN b;\n",
        "-- slipway: no-transaction\nALTER TABLE u ADD COLUMN b int;\nALTER TABLE u DROP COLUMN d;\n",
        None,
    ),
    # A real difference beside the column order: rollback-incomplete either way.
    "0004_index_left": (
        "ALTER TABLE t DROP COLUMN a;\nALTER TABLE t ADD COLUMN a int;\nCREATE INDEX IF NOT EXISTS t_c ON t (c);\n",
        "ALTER TABLE t DROP COLUMN a;\nALTER TABLE t ADD COLUMN a int;\n",
        None,
    ),
    "0005_after": ("CREATE TABLE v (id int);\n", "DROP TABLE v;\n", None),
}
T_ORDER = "column order of t changed: a, c, b (was a, b, c)"
U_ORDER = "column order of u changed: a, c, b (was a, b, c)"
T4_ORDER = "column order of t changed: c, d, a (was a, c, d)"
INDEX_LEFT = "index t_c left behind"


def _verify(project: Path, pg_server: str, *flags: str) -> tuple[int, dict[str, dict[str, object]]]:
    write_corpus(project / "migrations", CORPUS)
    run = slipway(project, pg_server, "verify", "--format", "json", *flags)
    assert "Traceback" not in run.stderr, run.stderr
    return run.returncode, {e["version"]: e for e in json.loads(run.stdout)["results"]}


def test_column_order_alone_is_not_rollback_incomplete(pg_server: str, project: Path) -> None:
    code, entries = _verify(project, pg_server)
    got = {v: (e["verdict"], e["differences"], e["column_order"]) for v, e in entries.items()}
    assert got == {
        "0001": ("ok", [], []),
        "0002": ("ok", [], [T_ORDER]),
        "0003": ("ok", [], [U_ORDER]),
        "0004": ("rollback-incomplete", [INDEX_LEFT], [T4_ORDER]),
        "0005": ("ok", [], []),
    }
    assert code == 1  # 0004 only


def test_strict_column_order_makes_it_rollback_incomplete(pg_server: str, project: Path) -> None:
    code, entries = _verify(project, pg_server, "--strict-column-order")
    got = {v: (e["verdict"], e["differences"], e["column_order"]) for v, e in entries.items()}
    assert got == {
        "0001": ("ok", [], []),
        "0002": ("rollback-incomplete", [T_ORDER], []),
        "0003": ("rollback-incomplete", [U_ORDER], []),
        "0004": ("rollback-incomplete", [T4_ORDER, INDEX_LEFT], []),
        "0005": ("ok", [], []),
    }
    assert code == 1


def test_text_names_the_column_order_and_the_run_passes(pg_server: str, project: Path) -> None:
    corpus = {k: v for k, v in CORPUS.items() if k != "0004_index_left"}
    write_corpus(project / "migrations", corpus)
    run = slipway(project, pg_server, "verify")
    assert run.returncode == 0, run.stdout + run.stderr
    assert "0002 replace_b ... ok (" in run.stdout
    assert f"    ~ {T_ORDER} (not counted; --strict-column-order counts it)" in run.stdout
    assert (
        "4 of 4 migration(s) verified: 4 ok; column order changed in 2, not counted" in run.stdout
    ), run.stdout
    strict = slipway(project, pg_server, "verify", "--strict-column-order")
    assert strict.returncode == 1, strict.stdout + strict.stderr
    assert "0002 replace_b ... rollback-incomplete (" in strict.stdout
    assert f"    - {T_ORDER}" in strict.stdout
    assert "2 ok, 2 rollback-incomplete" in strict.stdout, strict.stdout
