"""The README's table of slipway.toml settings names every key the schema accepts."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel

from slipway.config_errors import model_inside
from slipway.config_schema import SlipwayConfig

README = Path(__file__).parents[2] / "README.md"


def _keys(model: type[BaseModel], path: str) -> list[tuple[str, str]]:
    out = []
    for name, field in model.model_fields.items():
        inner = model_inside(field.annotation)
        out += _keys(inner, f"{path}.{name}") if inner else [(path, name)]
    return out


def test_every_key_is_documented() -> None:
    text = README.read_text(encoding="utf-8")
    table = text[text.index("### Every setting of slipway.toml") : text.index("## Commands")]
    missing = [
        f"{section}.{key}"
        for section, key in _keys(SlipwayConfig, "")
        if f"`{key}`" not in table and f"{section[1:]}.{key}]`" not in table
    ]
    assert missing == []
