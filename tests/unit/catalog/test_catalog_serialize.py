"""Catalog JSON snapshots: exact round trip, stable text, clear errors on bad input."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest
from catalog_samples import sample

from slipway.catalog.diff import diff
from slipway.catalog.model import Catalog
from slipway.catalog.serialize import (
    FORMAT,
    VERSION,
    dumps,
    from_dict,
    load_snapshot,
    save_snapshot,
    to_dict,
)
from slipway.errors import ConfigError


def test_round_trip_is_exact() -> None:
    cat = sample()
    data = json.loads(json.dumps(to_dict(cat)))  # through real JSON text
    back = from_dict(data)
    assert back == cat
    assert back.table("leads_2024").parent == ("public", "leads")  # type: ignore[union-attr]
    assert isinstance(back.tables[0].columns, tuple)
    assert back.table("customers") is not None  # the lookup index is rebuilt
    assert diff(cat, back) == []


def test_header_and_shape() -> None:
    data = to_dict(sample())
    assert data["format"] == FORMAT and data["version"] == VERSION
    assert data["server_version"] == 150004
    assert "_tables_by_key" not in data
    customers = next(t for t in data["tables"] if t["name"] == "customers")
    assert customers["columns"][0] == {
        "name": "id",
        "type": "bigint",
        "nullable": False,
        "default": None,
        "identity": "a",
        "generated": None,
        "comment": None,
        "ordinal": 1,
        "collation": None,
        "grants": [],
    }


def test_order_is_canonical_but_meaningful_order_is_kept() -> None:
    cat = sample()
    shuffled = dataclasses.replace(
        cat,
        tables=tuple(reversed(cat.tables)),
        schemas=tuple(reversed(cat.schemas)),
    )
    assert dumps(shuffled) == dumps(cat)
    customers = next(t for t in to_dict(cat)["tables"] if t["name"] == "customers")
    # Columns keep their table order, not alphabetical order.
    assert [c["name"] for c in customers["columns"]] == [
        "id",
        "dealership_id",
        "email",
        "opted_out_at",
    ]
    assert to_dict(cat)["enums"][0]["labels"] == ["open", "waiting", "closed"]


def test_unknown_keys_are_ignored_and_missing_ones_default() -> None:
    data = to_dict(sample())
    data["future_field"] = 1
    data["tables"][0]["future_field"] = {"x": 1}
    del data["tables"][0]["reloptions"]
    back = from_dict(data)
    assert back.tables[0].reloptions == ()
    minimal = from_dict({"format": FORMAT, "version": 1})
    assert minimal == Catalog()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"version": 1}, "not a slipway catalog snapshot"),
        ([], "not a slipway catalog snapshot"),
        ({"format": FORMAT, "version": 99}, "newer than this slipway"),
        ({"format": FORMAT}, "version None"),
        ({"format": FORMAT, "version": 1, "tables": [{"schema": "public"}]}, "malformed"),
        ({"format": FORMAT, "version": 1, "tables": [3]}, "malformed"),
    ],
)
def test_bad_input_raises_config_error(data: object, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        from_dict(data)  # type: ignore[arg-type]


def test_save_and_load_snapshot(tmp_path: Path) -> None:
    path = tmp_path / "catalog.json"
    save_snapshot(sample(), path)
    assert load_snapshot(path) == sample()
    assert load_snapshot(str(path)) == sample()
    assert path.read_text(encoding="utf-8") == dumps(sample())


def test_load_snapshot_errors(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read catalog snapshot"):
        load_snapshot(tmp_path / "missing.json")
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(ConfigError, match="is not valid JSON"):
        load_snapshot(bad)
    other = tmp_path / "other.json"
    other.write_text('{"hello": 1}', encoding="utf-8")
    with pytest.raises(ConfigError, match="not a slipway catalog snapshot"):
        load_snapshot(other)
