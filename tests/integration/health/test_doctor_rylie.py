"""The doctor on the Rylie reference platform, built from its migrations."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pglast
import psycopg
import pytest
from health_support import Built, create_database, doctor, drop_database, url_for

from slipway.report import FORMATS, render
from slipway.report.model import LABEL

RYLIE = Path(__file__).resolve().parents[3] / "src" / "slipway" / "examples" / "rylie"


def _up_scripts() -> list[Path]:
    folder = RYLIE / "migrations"
    return sorted(
        p for p in folder.glob("*.sql") if not p.name.endswith((".down.sql", ".verify.sql"))
    )


@pytest.fixture(scope="module")
def rylie(pg_server: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Built]:
    if not _up_scripts():
        pytest.skip("examples/rylie has no migrations yet")
    name = create_database("hc")
    url = url_for(name)
    project = tmp_path_factory.mktemp("rylie")
    # the tenancy settings of Rylie, without its migrations folder (applied by hand below)
    (project / "slipway.toml").write_text(
        (RYLIE / "slipway.toml")
        .read_text()
        .replace('directory = "migrations"', 'directory = "none"'),
        encoding="utf-8",
    )
    try:
        with psycopg.connect(url, autocommit=True) as conn:
            for script in _up_scripts():
                # statement by statement: CREATE INDEX CONCURRENTLY refuses a transaction block
                for statement in pglast.split(script.read_text(encoding="utf-8")):
                    conn.execute(statement)
            conn.execute("ANALYZE")
        yield Built(url=url, project=project, report=doctor(url, project))
    finally:
        drop_database(name)


def test_rylie_tenant_root_and_tree(rylie: Built) -> None:
    root = rylie.report.check("HC002")
    assert root.details[0] == "public.dealerships (tenant root)"
    assert len(root.details) > 10
    assert root.metrics["tenant_tables"] >= 10


def test_rylie_tenant_isolation_holds(rylie: Built) -> None:
    report = rylie.report
    for code in ("HC040", "HC041", "HC042", "HC044", "HC045"):
        check = report.check(code)
        assert check.status == "pass", (code, [(f.target, f.message) for f in check.findings])


def test_rylie_crud_runs_below_the_root(rylie: Built) -> None:
    crud = rylie.report.check("HC080")
    assert crud.details and crud.details[0].startswith("inserted test rows in ")
    inserted, total = (int(n) for n in crud.details[0].split()[4:7:2])
    assert inserted >= total // 2, crud.details
    assert not [f for f in crud.findings if LABEL[f.severity] == "fail"], crud.findings
    with psycopg.connect(rylie.url) as conn:
        assert conn.execute("SELECT count(*) FROM dealerships").fetchone() == (0,)


def test_rylie_report_renders(rylie: Built) -> None:
    crashed = [
        f for c in rylie.report.checks for f in c.findings if f.message.startswith("check crashed")
    ]
    assert crashed == []
    for fmt in FORMATS:
        if fmt in ("sarif", "github"):  # only findings that warn or fail, none on the root
            continue
        assert "public.dealerships" in render(rylie.report, fmt)
    problems = [f for c in rylie.report.checks for f in c.findings if f.severity != "info"]
    sarif = json.loads(render(rylie.report, "sarif"))
    assert len(sarif["runs"][0]["results"]) == len(problems)
    assert len(render(rylie.report, "github").splitlines()) == len(problems)
