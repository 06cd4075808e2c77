"""Fixtures for engine tests (helpers live in engine_helpers.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from engine_helpers import Cli


@pytest.fixture
def cli(db_url: str, capsys: pytest.CaptureFixture[str], project: Path) -> Cli:
    return Cli(db_url, capsys, project)
