"""The doctor on PostgreSQL 16 (the embedded server in pgserver's wheel): same findings."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from hc_planted import EXPECTED, plant
from health_support import doctor

from slipway.report.model import LABEL

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def pg16_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    pgserver = pytest.importorskip("pgserver")
    server = pgserver.get_server(tmp_path_factory.mktemp("pg16"), cleanup_mode="stop")
    try:
        yield str(server.get_uri())
    finally:
        server.cleanup()


def test_planted_problems_found_on_16(pg16_url: str, tmp_path: Path) -> None:
    with psycopg.connect(pg16_url, autocommit=True) as conn:
        version = conn.execute("SHOW server_version_num").fetchone()
        assert version and int(str(version[0])) >= 160000
        plant(conn, "hc16_bypass")
    report = doctor(pg16_url, tmp_path, load_clients=2, load_seconds=0.5)
    crashed = [f for c in report.checks for f in c.findings if "crashed" in f.message]
    assert crashed == []
    found = {(c.code, f.target, LABEL[f.severity]) for c in report.checks for f in c.findings}
    # migration and config-threshold plants need the planted project; the rest must match
    wanted = [
        (code, target.format(role="hc16_bypass"), level)
        for code, target, level in EXPECTED
        if not target[0].isdigit()
        and "{" not in target.replace("{role}", "")
        and code not in ("HC032", "HC033", "HC034", "HC061")
    ]
    assert [w for w in wanted if w not in found] == []
    assert report.check("HC090").metrics["errors"] > 0  # pool_guard refuses pooled writes
