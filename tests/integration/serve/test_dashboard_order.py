"""The dashboard lists migrations newest first in the layout's own version order (the one
order of every command), not sorted again as text."""

from __future__ import annotations

from pathlib import Path

from serve_helpers import apply_all, fetch, running

from slipway.config import Settings
from slipway.serve import build_app

ORDER = ["1", "0002", "10"]  # golang-migrate: unsigned integers


def test_dashboard_rows_follow_the_layout_order(project: Path, serve_settings: Settings) -> None:
    for version in ORDER:
        (project / "migrations" / f"{version}_m.up.sql").write_text("SELECT 1;", encoding="utf-8")
    apply_all(serve_settings)
    with running(build_app(serve_settings, ttl=0.05)) as base:
        page = fetch(base + "/").text
    where = [page.index(f"<td>{v}</td>") for v in ORDER]
    assert where == sorted(where, reverse=True), page
