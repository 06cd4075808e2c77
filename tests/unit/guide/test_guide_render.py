"""Golden files for the guide and docs Markdown; the HTML page is self-contained.

Regenerate after an intended change with SLIPWAY_UPDATE_GOLDEN=1.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from guide_support import CORPUS

from slipway.catalog.model import (
    Catalog,
    Column,
    Constraint,
    EnumType,
    Function,
    Index,
    Policy,
    Schema,
    Table,
    Trigger,
    View,
)
from slipway.config import load_settings
from slipway.guide import docs_text, guide_text
from slipway.guide.render import to_html

GOLDEN = Path(__file__).parent / "golden"


@pytest.fixture(autouse=True)
def _offline(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("SLIPWAY_CACHE_DIR", str(tmp_path))
    monkeypatch.chdir(CORPUS)


def check_golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("SLIPWAY_UPDATE_GOLDEN"):
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8")


def small_catalog() -> Catalog:
    accounts = Table(
        "public",
        "accounts",
        columns=(
            Column("id", "bigint", nullable=False, identity="a", ordinal=1),
            Column("name", "text", nullable=False, ordinal=2, comment="Shown | everywhere"),
        ),
        constraints=(Constraint("accounts_pkey", "p", "PRIMARY KEY (id)", ("id",)),),
        indexes=(
            Index(
                "accounts_pkey",
                "CREATE UNIQUE INDEX accounts_pkey ON public.accounts USING btree (id)",
                ("id",),
                unique=True,
                primary=True,
            ),
        ),
        comment="One row per customer account.",
    )
    projects = Table(
        "public",
        "projects",
        kind="partitioned",
        columns=(
            Column("id", "bigint", nullable=False, ordinal=1),
            Column("account_id", "bigint", nullable=False, ordinal=2),
            Column("state", "project_state", default="'open'::project_state", ordinal=3),
        ),
        constraints=(
            Constraint(
                "projects_account_fkey",
                "f",
                "FOREIGN KEY (account_id) REFERENCES accounts(id)",
                ("account_id",),
                "public",
                "accounts",
                ("id",),
                validated=False,
            ),
        ),
        policies=(Policy("by_account", "SELECT", using="(account_id = 1)"),),
        triggers=(
            Trigger(
                "projects_touch",
                "CREATE TRIGGER projects_touch BEFORE UPDATE ON public.projects FOR EACH ROW EXECUTE FUNCTION touch()",
            ),
        ),
        rls_enabled=True,
        partition_strategy="list",
        partition_key="LIST (account_id)",
    )
    part = Table(
        "public",
        "projects_1",
        columns=projects.columns,
        parent=("public", "projects"),
        partition_bound="FOR VALUES IN ('1')",
    )
    return Catalog(
        server_version=150004,
        schemas=(Schema("public"),),
        tables=(accounts, projects, part),
        views=(
            View(
                "public", "open_projects", " SELECT id FROM projects;", ("security_invoker=true",)
            ),
        ),
        functions=(Function("public", "touch", "", result="trigger", language="plpgsql"),),
        enums=(EnumType("public", "project_state", ("open", "closed")),),
    )


def test_guide_markdown_golden() -> None:
    text = guide_text(load_settings(), "md")
    check_golden("guide.md", text)
    assert "offline: no database configured" in text
    assert "All migrations are currently independent" not in text


def test_docs_markdown_golden() -> None:
    text = docs_text(small_catalog(), "md", "Small schema")
    check_golden("docs.md", text)
    assert "Shown \\| everywhere" in text  # a pipe cannot break the table
    assert "FOREIGN KEY (NOT VALID)" in text
    assert "| projects_1 | `FOR VALUES IN ('1')` |" in text
    assert "| projects | projects_account_fkey | account_id | id |" in text  # referenced-by


def test_generated_timestamp_is_injected() -> None:
    assert "- **Generated**: 2030-01-02 03:04 UTC" in docs_text(
        small_catalog(), "md", "x", "2030-01-02 03:04 UTC"
    )
    assert "Generated" not in docs_text(small_catalog(), "md", "x").split("---")[0]


def test_html_is_one_self_contained_page() -> None:
    page = docs_text(small_catalog(), "html", "Small <schema>")
    assert page.startswith("<!DOCTYPE html>")
    assert "<title>Small &lt;schema&gt;</title>" in page
    assert "<script" not in page and "src=" not in page and "<link" not in page
    assert '<pre class="mermaid">erDiagram' in page
    assert "<table>" in page
    guide = guide_text(load_settings(), "html")
    assert '<pre class="mermaid">flowchart TD' in guide
    assert "<script" not in guide


def test_html_escapes_raw_html_in_markdown() -> None:
    page = to_html("# t\n\n<img src=x onerror=alert(1)>\n\n```mermaid\nA-->B<script>\n```\n", "t")
    assert "<img" not in page and "<script>" not in page
    assert re.search(r'<pre class="mermaid">A--&gt;B&lt;script&gt;', page)
