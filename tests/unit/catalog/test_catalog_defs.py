"""Definitions written from parts read like pg_get_indexdef() / pg_get_constraintdef().

The live tests compare every definition with the server's own text; these pin the format.
"""

from __future__ import annotations

from typing import Any

from slipway.catalog._defs import constraint_definition, index_definition

COLUMNS = {1: ("id", "id", 0), 2: ("Col A", '"Col A"', 100), 3: ("b", "b", 950)}


def _index(**kw: Any) -> dict[str, Any]:
    row = {"attnums": [1], "nkey": 1, "collations": [0], "unique": False, "quoted": "ix",
           "on_only": False, "quoted_method": "btree", "predicate": None}  # fmt: skip
    return {**row, **kw}


def test_index_definitions() -> None:
    table = "public.t"
    assert index_definition(_index(), table, COLUMNS) == (
        "CREATE INDEX ix ON public.t USING btree (id)"
    )
    full = _index(attnums=[2, 1, 3], nkey=2, collations=[100, 0], unique=True, on_only=True,
                  predicate="(id > 0)", quoted_method="hash")  # fmt: skip
    assert index_definition(full, table, COLUMNS) == (
        'CREATE UNIQUE INDEX ix ON ONLY public.t USING hash ("Col A", id) INCLUDE (b) '
        "WHERE (id > 0)"
    )
    # A "C" column indexed with the default collation says so, as PostgreSQL does.
    assert index_definition(_index(attnums=[3], collations=[100]), table, COLUMNS) == (
        'CREATE INDEX ix ON public.t USING btree (b COLLATE "default")'
    )


def _constraint(**kw: Any) -> dict[str, Any]:
    row = {"type": "p", "attnums": [1], "deferrable": False, "deferred": False,
           "validated": True, "ref_names": None, "ref_quoted": None, "match": "s",
           "on_update": "a", "on_delete": "a"}  # fmt: skip
    return {**row, **kw}


def test_constraint_definitions() -> None:
    assert constraint_definition(_constraint(), COLUMNS) == "PRIMARY KEY (id)"
    assert constraint_definition(_constraint(type="u", attnums=[2, 1]), COLUMNS) == (
        'UNIQUE ("Col A", id)'
    )
    fk = _constraint(type="f", attnums=[1, 2], ref_quoted="audit.events",
                     ref_names=[["id", "id"], ["Key", '"Key"']], match="f", on_update="c",
                     on_delete="n", deferrable=True, deferred=True, validated=False)  # fmt: skip
    assert constraint_definition(fk, COLUMNS) == (
        'FOREIGN KEY (id, "Col A") REFERENCES audit.events(id, "Key") MATCH FULL '
        "ON UPDATE CASCADE ON DELETE SET NULL DEFERRABLE INITIALLY DEFERRED NOT VALID"
    )
    plain = _constraint(type="f", ref_quoted="t", ref_names=[["id", "id"]], on_delete="r")
    assert constraint_definition(plain, COLUMNS) == (
        "FOREIGN KEY (id) REFERENCES t(id) ON DELETE RESTRICT"
    )
