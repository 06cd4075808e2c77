"""exclude_tables patterns: shell globs on name or schema.name, literals by set lookup."""

from __future__ import annotations

import time

import pytest

from slipway.catalog._assemble import TableFilter


def _row(schema: str, name: str, relkind: str = "r") -> dict[str, str]:
    return {"schema": schema, "name": name, "relkind": relkind}


@pytest.mark.parametrize(
    ("schema", "name", "relkind", "excluded"),
    [
        ("public", "slipway_history", "r", True),
        ("audit", "slipway_lock", "p", True),
        ("public", "Slipway_x", "r", False),  # case-sensitive, like PostgreSQL names
        ("public", "slipway_view", "v", False),  # only tables are excluded
        ("public", "users", "r", True),  # literal qualified name
        ("audit", "users", "r", False),
        ("audit", "ev*nts", "r", True),  # [*]-escaped literal
        ("audit", "events", "r", False),
        ("x", "xzy", "r", True),  # ? glob
        ("sales", "orders", "f", True),  # schema glob
    ],
)
def test_patterns(schema: str, name: str, relkind: str, excluded: bool) -> None:
    keep_out = TableFilter({"slipway_*", "public.users", "audit.ev[*]nts", "x?y", "sales.*"})
    assert keep_out(_row(schema, name, relkind)) is excluded


def test_no_patterns_excludes_nothing() -> None:
    assert not TableFilter(())(_row("public", "slipway_history"))


def test_thousands_of_literal_names_stay_fast() -> None:
    names = {f"public.t{i}" for i in range(5000)}
    keep_out = TableFilter(names | {"slipway_*"})
    start = time.perf_counter()
    hits = sum(keep_out(_row("public", f"t{i}")) for i in range(10000))
    assert hits == 5000
    assert time.perf_counter() - start < 0.5
