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
from slipway.guide.model import STATUSES
from slipway.guide.render import to_html
from slipway.report.diagrams import mermaid_js

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


def _body(page: str) -> str:
    """The page without the inlined Mermaid script (its code holds any string)."""
    return page.split("<script>", 1)[0]


def test_html_is_one_self_contained_page() -> None:
    page = docs_text(small_catalog(), "html", "Small <schema>")
    assert page.startswith("<!DOCTYPE html>")
    assert "<title>Small &lt;schema&gt;</title>" in page
    assert "<script src" not in page and "<link" not in page and "src=" not in _body(page)
    assert f"<script>{mermaid_js()}</script>" in page  # drawn offline by the vendored build
    assert '<div class="diagram"><pre class="mermaid">erDiagram' in page
    assert '<div class="scroll"><table>' in page
    guide = guide_text(load_settings(), "html")
    assert '<pre class="mermaid">flowchart LR' in guide
    assert guide.count("<script>") == 2


def test_html_badges_instead_of_emoji_and_markdown_keeps_them() -> None:
    guide = guide_text(load_settings(), "html")
    assert '<span class="badge s-unknown">Unknown</span>' in guide
    assert '(<span class="badge s-pass">Complete</span>)' in guide  # the checklist's (✅)
    assert re.search(r'<li><span class="badge s-(error|warning)">(error|warning)</span> ', guide)
    body = _body(guide)
    assert not any(emoji in body for emoji, _, _ in STATUSES.values())
    markdown = guide_text(load_settings(), "md")
    assert "| ❔ Unknown |" in markdown and "```mermaid" in markdown


def test_html_table_of_contents_links_every_section() -> None:
    page = docs_text(small_catalog(), "html", "Small schema")
    toc = page.split('<nav class="toc" id="toc">', 1)[1].split("</nav>", 1)[0]
    targets = re.findall(r'href="#([^"]+)"', toc)
    assert targets[:2] == ["tables", "entity-relationship-diagram"]
    assert "table-accounts" in targets and "view-open_projects" in targets
    assert "columns" not in targets  # under every table: an anchor, not a contents line
    for target in targets:
        assert f'id="{target}"' in page
    assert len(set(re.findall(r' id="([^"]+)"', _body(page)))) == len(
        re.findall(r' id="([^"]+)"', _body(page))
    )  # anchors are unique (the second "Columns" is columns-2)


def test_html_without_diagrams_carries_no_script() -> None:
    page = to_html("# t\n\n## a\n\n| x |\n|---|\n| 1 |\n\n## b\n", "t")
    assert "<script" not in page and '<a href="#a">a</a>' in page


def test_html_escapes_raw_html_in_markdown() -> None:
    page = _body(
        to_html("# t\n\n<img src=x onerror=alert(1)>\n\n```mermaid\nA-->B<script>\n```\n", "t")
    )
    assert "<img" not in page and "<script>" not in page
    assert re.search(r'<pre class="mermaid">A--&gt;B&lt;script&gt;', page)
