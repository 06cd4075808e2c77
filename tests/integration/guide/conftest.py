"""A database with every Rylie migration applied by `slipway up`, shared by this folder's tests.

The tests only read it. The root COMMANDS table gains `deps`, `guide` and `docs` for the CLI
tests (until the lead adds them to slipway.cli.app).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from pg_fixtures import create_database, drop_database, url_for
from slipway.cli import app

RYLIE = Path(__file__).resolve().parents[3] / "src" / "slipway" / "examples" / "rylie"


@pytest.fixture(scope="module")
def rylie_url(pg_server: str) -> Iterator[str]:
    name = create_database("guide")
    url = url_for(name)
    try:
        app.main(["--database-url", url, "--migrations", str(RYLIE / "migrations"), "up", "-q"])
        yield url
    finally:
        drop_database(name)


@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch) -> None:
    for command in ("deps", "guide", "docs"):
        if command not in app.COMMANDS:
            monkeypatch.setitem(app.COMMANDS, command, ("guide", command))


@pytest.fixture(autouse=True)
def _no_env_database(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("SLIPWAY_CACHE_DIR", str(tmp_path / "cache"))
