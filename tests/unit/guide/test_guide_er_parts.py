"""The ER model in readable parts: Rylie's 38 tables all reference the tenant table."""

from __future__ import annotations

import re

import pytest
from guide_support import RYLIE

from slipway.catalog.model import Catalog, Column, Constraint, Schema, Table
from slipway.config import load_settings
from slipway.guide.er_parts import er_parts
from slipway.guide.mermaid import er_diagram, er_diagrams
from slipway.lint.catalog import to_catalog
from slipway.lint.config import LintConfig
from slipway.lint.engine import lint
from slipway.migrations.layouts import load_folder


@pytest.fixture(scope="module")
def rylie() -> Catalog:
    result = lint(
        load_folder(RYLIE / "migrations").migrations,
        LintConfig.from_settings(load_settings(project_dir=RYLIE)),
    )
    assert result.state is not None
    return to_catalog(result.state)


def _fk(table: str, parent: str) -> Constraint:
    column = f"{parent}_id"
    return Constraint(f"{table}_{column}_fkey", "f", "", (column,), "public", parent, ("id",))


def _table(name: str, *parents: str, schema: str = "public") -> Table:
    columns = (Column("id", "bigint", nullable=False, ordinal=1),) + tuple(
        Column(f"{p}_id", "bigint", ordinal=n) for n, p in enumerate(parents, 2)
    )
    pk = Constraint(f"{name}_pkey", "p", "PRIMARY KEY (id)", ("id",))
    return Table(schema, name, columns=columns, constraints=(pk, *(_fk(name, p) for p in parents)))


def test_every_table_in_exactly_one_part_of_at_most_the_limit(rylie: Catalog) -> None:
    tables = [t.key for t in rylie.tables if not t.is_partition]
    parts = er_parts(rylie, max_tables=12)
    assert len(parts) > 1
    drawn = [t.key for p in parts for t in p.tables]
    assert sorted(drawn) == sorted(tables)
    assert all(len(p.tables) <= 12 for p in parts)
    # the tenant table, referenced from every other table, is drawn once and left out elsewhere
    hub = rylie.table("dealerships")
    assert hub is not None and hub in parts[0].tables
    assert all(hub in p.hubs for p in parts[1:] if any(t.foreign_keys for t in p.tables))


def test_each_foreign_key_drawn_once_unless_it_points_at_a_hub(rylie: Catalog) -> None:
    parts = er_parts(rylie, max_tables=12)
    sources = [er_diagram(rylie, part=p) for p in parts]
    drawn = [line for s in sources for line in s.splitlines() if "--o{" in line]
    hubs = {h.name for p in parts for h in p.hubs}
    expected = [
        fk
        for t in rylie.tables
        if not t.is_partition
        for fk in t.foreign_keys
        if fk.ref_table not in hubs or t in parts[0].tables
    ]
    assert len(drawn) == len(expected)
    assert len(drawn) == len(set(drawn))
    for part, source in zip(parts, sources, strict=True):
        for stub in part.stubs:  # referenced here, columns elsewhere: a bare entity
            assert re.search(rf"^    {stub.display}$", source, re.MULTILINE)


def test_a_small_schema_is_one_diagram_and_schemas_are_apart() -> None:
    small = Catalog(
        schemas=(Schema("public"),), tables=(_table("accounts"), _table("projects", "accounts"))
    )
    (only,) = er_diagrams(small)
    assert only.title == "" and only.note == ""
    assert only.source == er_diagram(small)
    two = Catalog(
        schemas=(Schema("public"), Schema("audit")),
        tables=tuple(_table(f"t{n}") for n in range(3))
        + tuple(_table(f"a{n}", schema="audit") for n in range(14)),
    )
    diagrams = er_diagrams(two, max_tables=12)
    assert [d.title.split(":")[0] for d in diagrams] == [
        "Part 1 of 3",
        "Part 2 of 3",
        "Part 3 of 3",
    ]
    assert diagrams[1].title.endswith("(schema audit)")
    assert "direction LR" in diagrams[1].source  # unlinked tables: a column, not a 12-wide row


def test_a_group_too_big_for_one_part_is_cut_and_linked_by_stubs() -> None:
    chain = [_table("c0")] + [_table(f"c{n}", f"c{n - 1}") for n in range(1, 20)]
    catalog = Catalog(schemas=(Schema("public"),), tables=tuple(chain))
    first, second = er_parts(catalog, max_tables=12)
    assert len(first.tables) == 12 and len(second.tables) == 8
    assert [s.name for s in second.stubs] == ["c11"]  # c12's parent, drawn in part 1
