"""Fixtures for maintenance tests (helpers live in maint_helpers.py)."""

from __future__ import annotations

from typing import Any

import pytest

from slipway.maintain.config import MaintainConfig, parse_maintain


@pytest.fixture
def make_cfg() -> Any:
    def build(**raw: Any) -> MaintainConfig:
        raw.setdefault("lock_timeout", "1s")
        raw.setdefault("lock_retries", 1)
        return parse_maintain(raw)

    return build
