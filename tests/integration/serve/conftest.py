"""Fixtures for the serve tests (helpers live in serve_helpers.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from slipway.config import Settings, load_settings


@pytest.fixture
def serve_settings(project: Path, db_url: str) -> Settings:
    return load_settings(database_url=db_url, project_dir=project)
