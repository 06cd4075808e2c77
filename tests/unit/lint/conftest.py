"""Lint tests never share the user's lint cache; `app` is the lint command alone, for CliRunner."""

from __future__ import annotations

from pathlib import Path

import pytest
import typer

from slipway.cli import lint as lint_cli


@pytest.fixture(autouse=True)
def _private_lint_cache(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    folder = tmp_path_factory.mktemp("lint-cache")
    monkeypatch.setenv("SLIPWAY_CACHE_DIR", str(folder))
    return folder


@pytest.fixture
def app() -> typer.Typer:
    root = typer.Typer()

    @root.callback()
    def _root(ctx: typer.Context) -> None:
        ctx.obj = {}

    lint_cli.register(root)
    return root
