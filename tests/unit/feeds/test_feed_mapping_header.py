"""Feed mappings (TOML) and header matching (pure, no database)."""

from __future__ import annotations

from pathlib import Path

import pytest

from slipway.errors import ConfigError
from slipway.feeds.errors import FeedRejected
from slipway.feeds.header import plan_header
from slipway.feeds.mapping import find_mapping, load_mapping, normalize

RYLIE_FEEDS = Path(__file__).parents[3] / "src" / "slipway" / "examples" / "rylie" / "feeds"
MAPPING = RYLIE_FEEDS / "vehicles.toml"


def test_rylie_mapping_declares_seed_001_aliases() -> None:
    m = load_mapping(MAPPING)
    assert (m.table, m.tenant_column, m.identity) == (
        "vehicles",
        "dealership_id",
        ("vin", "stock_number"),
    )
    aliases = {c.name: c.aliases for c in m.columns}
    assert aliases["stock_number"] == ("Stock", "StockNumber")
    assert aliases["exterior_color"] == ("ExteriorColor", "Color")
    assert aliases["body_style"] == ("BodyStyle", "Body")
    assert aliases["fuel_type"] == ("FuelType", "Fuel")
    assert aliases["drivetrain"] == ("Drivetrain", "DriveType")
    assert m.column("price").fallback == "msrp"
    assert m.column("features").kind == m.column("images").kind == "list"
    assert m.extra_column == "extra_attributes"
    assert m.lifecycle and m.lifecycle.missing_status == "inactive"
    assert (
        m.log and m.log.table == "inventory_imports" and m.log.columns["tenant"] == "dealership_id"
    )
    assert "deactivated_at" in m.target_columns()


@pytest.mark.parametrize(
    "header", ["Stock Number", "stock_number", "STOCKNUMBER", " stock-number "]
)
def test_normalize_ignores_case_spaces_and_punctuation(header: str) -> None:
    assert normalize(header) == "stocknumber"


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "m.toml"
    path.write_text(text)
    return path


BASE = """
[target]
table = "items"
tenant_column = "tenant_id"
identity = ["sku"]
[columns.sku]
aliases = ["SKU"]
"""


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ('[columns.qty]\ntype = "float"\n', "type must be one of"),
        ('[columns.qty]\nfallback = "nope"\n', "fallback names undeclared column nope"),
        ('[log]\ntable = "l"\n[log.columns]\nbogus = "x"\n', "log.columns.bogus"),
        ("[columns.Bad-Name]\n", "lower-case SQL name"),
    ],
)
def test_mapping_mistakes_are_config_errors(tmp_path: Path, extra: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        load_mapping(write(tmp_path, BASE + extra))


def test_mapping_without_target_or_bad_toml(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="target"):
        load_mapping(write(tmp_path, "[columns.a]\n"))
    with pytest.raises(ConfigError, match="invalid TOML"):
        load_mapping(write(tmp_path, "[target\n"))


def test_find_mapping_by_name_path_or_not_at_all(tmp_path: Path) -> None:
    assert find_mapping("vehicles", RYLIE_FEEDS) == RYLIE_FEEDS / "vehicles.toml"
    assert find_mapping(str(MAPPING), tmp_path) == MAPPING
    with pytest.raises(ConfigError, match="known: vehicles"):
        find_mapping("trucks", RYLIE_FEEDS)
    with pytest.raises(ConfigError, match="does not exist"):
        find_mapping(str(tmp_path / "x.toml"), tmp_path)


def test_header_plan_binds_aliases_fallbacks_and_unknown_columns() -> None:
    m = load_mapping(MAPPING)
    plan = plan_header(
        m, ["\ufeffvin", "Stock Number", "Make", "Model", "Year", "Price", "MSRP", "Lot"], "f"
    )
    bound = {b.spec.name: b.sources for b in plan.bound}
    assert bound["vin"] == (0,) and bound["stock_number"] == (1,)
    assert bound["price"] == (5, 6) and bound["msrp"] == (6,)  # Price, else MSRP
    assert [b.spec.name for b in plan.identity] == ["vin", "stock_number"]
    assert plan.unknown == ((7, "Lot"),)
    assert plan.width == 8


def test_header_rejections_say_what_is_wrong() -> None:
    m = load_mapping(MAPPING)
    with pytest.raises(FeedRejected, match="not a header"):
        plan_header(m, ["1HGCM82633A004352", "S1", "Honda", "Accord", "2021"], "f")
    with pytest.raises(FeedRejected, match="no identity column .VIN or Stock."):
        plan_header(m, ["Make", "Model", "Year"], "f")
    with pytest.raises(FeedRejected, match="lacks required column.s. Year"):
        plan_header(m, ["Stock", "Make", "Model"], "f")
