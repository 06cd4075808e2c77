"""Lint tests never share the user's lint cache."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def _private_lint_cache(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    folder = tmp_path_factory.mktemp("lint-cache")
    monkeypatch.setenv("SLIPWAY_CACHE_DIR", str(folder))
    return folder
