"""Golden tests of the report renderers: text, md, html and json of one fixed report.

Regenerate after an intended change with: UPDATE_GOLDEN=1 pytest tests/unit/health
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from slipway.report import FORMATS, ChecklistItem, CheckResult, Finding, Report, render

GOLDEN = Path(__file__).parent / "golden"
EXT = {
    "text": "txt",
    "md": "md",
    "html": "html",
    "json": "json",
    "sarif": "sarif",
    "github": "github",
}


def sample() -> Report:
    rls = CheckResult(
        "HC040",
        "tenant-rls-enabled",
        "security",
        "Tenant tables without RLS.",
        why="Without RLS one missing WHERE shows every tenant's rows.",
        fix="Enable it.",
        findings=[
            Finding(
                "HC040",
                "tenant-rls-enabled",
                "error",
                "has dealership_id but row-level security is off",
                "public.leads",
                "ALTER TABLE public.leads ENABLE ROW LEVEL SECURITY;",
            ),
            Finding(
                "HC040",
                "tenant-rls-enabled",
                "warning",
                "message with <script>alert(1)</script> and [bold]markup[/bold]",
                'public."odd|name"',
                "fix & more",
            ),
        ],
    )
    tree = CheckResult(
        "HC002",
        "tenant-root",
        "schema",
        "The tenant root and its tree.",
        details=[
            "public.dealerships (tenant root)",
            ("`-- public.leads (dealership_id -> dealerships.id, ON DELETE CASCADE)"),
        ],
        findings=[
            Finding(
                "HC002",
                "tenant-root",
                "info",
                "tenant root: 1 tables carry dealership_id",
                "public.dealerships",
            )
        ],
    )
    inventory = CheckResult(
        "HC001",
        "tables-per-schema",
        "schema",
        "Tables per schema.",
        informational=True,
        notes=["a note"],
        findings=[Finding("HC001", "tables-per-schema", "info", "2 tables, 16.0 kB", "public")],
    )
    many = CheckResult(
        "HC010",
        "foreign-keys",
        "relationships",
        "Every foreign key.",
        informational=True,
        findings=[
            Finding("HC010", "foreign-keys", "info", "ON DELETE CASCADE", f"public.t{i}.fk")
            for i in range(60)
        ],
    )
    return Report(
        title="slipway doctor",
        database="postgresql://app:***@db/app",
        generated_at="2026-11-22T02:00:00+00:00",
        server_version="PostgreSQL 15.4",
        duration_s=1.234,
        checks=[inventory, tree, many, rls],
        checklist=[
            ChecklistItem("schema", "Schema and tenant root", "pass", "2 checks pass"),
            ChecklistItem(
                "security",
                "Security and tenant isolation",
                "fail",
                "HC040 tenant-rls-enabled: 1 problem",
                "HC040 (public.leads): ALTER TABLE ...",
            ),
        ],
        notes=["connected without pg_read_all_stats"],
    )


@pytest.mark.parametrize("fmt", FORMATS)
def test_golden(fmt: str) -> None:
    text = render(sample(), fmt)
    if fmt == "sarif":  # the tool's version changes with every release
        log = json.loads(text)
        log["runs"][0]["tool"]["driver"]["version"] = "X"
        text = json.dumps(log, indent=2) + "\n"
    path = GOLDEN / f"report.{EXT[fmt]}"
    if os.environ.get("UPDATE_GOLDEN"):
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8")


def test_json_shape() -> None:
    data = json.loads(render(sample(), "json"))
    assert data["status"] == "fail" and data["verdict"] == "not ready"
    rls = data["checks"][3]
    assert (rls["code"], rls["name"], rls["status"]) == ("HC040", "tenant-rls-enabled", "fail")
    assert [f["target"] for f in rls["findings"]] == ["public.leads", 'public."odd|name"']
    # a finding has the one shape lint and verify --tenancy print, with its severity (a
    # check's status is pass/warn/fail, a finding's severity error/warning/info)
    assert rls["findings"][0] == {
        "code": "HC040",
        "name": "tenant-rls-enabled",
        "severity": "error",
        "target": "public.leads",
        "message": "has dealership_id but row-level security is off",
        "hint": "ALTER TABLE public.leads ENABLE ROW LEVEL SECURITY;",
        "location": None,
    }
    assert len(data["checks"][2]["findings"]) == 60  # json is never truncated


def test_escaping() -> None:
    html = render(sample(), "html")
    assert "<script>alert" not in html and "&lt;script&gt;alert" in html
    text = render(sample(), "text")
    assert "[bold]markup[/bold]" in text  # rich markup in data is shown, not interpreted
    md = render(sample(), "md")
    assert '`public."odd\\|name"`' in md
    assert "... and 10 more" in md and "... and 40 more" in text


def test_unknown_format() -> None:
    with pytest.raises(ValueError, match="unknown report format 'pdf'"):
        render(sample(), "pdf")
