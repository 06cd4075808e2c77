"""Every HTML page slipway writes (guide, schema docs, doctor report, lint findings), driven in
headless Chromium at two window widths: the diagrams are drawn, nothing sticks out sideways,
statuses are badges. Screenshots (and a printed PDF) go to $SLIPWAY_TEST_ARTIFACTS, or to
pytest's temporary folder."""

from __future__ import annotations

import base64
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest

from browser import CHROMIUM, Browser, artifacts_dir
from slipway.cli import app

RYLIE = Path(__file__).resolve().parents[3] / "src" / "slipway" / "examples" / "rylie"
CORPUS = Path(__file__).resolve().parents[2] / "unit" / "guide" / "corpus"
WIDTHS = (1400, 800)
DIAGRAMS = {"guide", "docs"}

pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="chromium is not installed (apt-get install -y chromium)"
)

# What the page looks like, measured in it: an element outside a scrolling frame (.scroll,
# .diagram, pre) must stay inside its card (its <details>, the contents or the page).
MEASURE = """(() => {
  const frames = ".scroll, .diagram, pre";
  const sticking = [];
  for (const el of document.body.querySelectorAll("*")) {
    if (el.parentElement.closest(frames) || ["SCRIPT", "STYLE"].includes(el.tagName)) continue;
    const card = el.parentElement.closest("details, nav, body");
    const r = el.getBoundingClientRect(), c = card.getBoundingClientRect();
    if (r.width > 0 && (r.right > c.right + 1 || r.left < c.left - 1))
      sticking.push(el.tagName + "." + el.className + ": " + el.textContent.slice(0, 60));
  }
  const diagrams = [...document.querySelectorAll("pre.mermaid")];
  return JSON.stringify({
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: innerWidth,
    sticking: sticking.slice(0, 5),
    diagrams: diagrams.length,
    nodes: diagrams.map(p => p.querySelectorAll("svg g.node").length),
    state: document.body.dataset.diagrams || "",
    source: ["flowchart", "erDiagram", "-->|", "--o{"].filter(s => document.body.innerText.includes(s)),
    badges: [...document.querySelectorAll(".badge")].map(b => b.textContent),
    cut: [...document.querySelectorAll(".scroll")].filter(s => s.scrollWidth > s.clientWidth + 1).length,
    toc: [...document.querySelectorAll("nav.toc a")].map(a => a.getAttribute("href")),
    anchors: [...document.querySelectorAll("[id]")].map(e => e.id),
    emoji: /[\\u2705\\u26a0\\u23f3\\u274c\\u2753\\u2754]/.test(document.body.innerText),
  });
})()"""


@pytest.fixture(scope="module")
def pages(rylie_url: str, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The guide, docs and doctor pages, written by the CLI for Rylie (applied and seeded)."""
    with psycopg.connect(rylie_url, autocommit=True) as conn:
        conn.execute((RYLIE / "data" / "seed.sql").read_text())
    out = tmp_path_factory.mktemp("pages")
    rylie = ["-d", rylie_url, "-m", str(RYLIE / "migrations")]
    for argv in (
        [*rylie, "-q", "guide", "-f", "html", "-o", str(out / "guide.html")],
        [*rylie, "-q", "docs", "-f", "html", "-o", str(out / "docs.html")],
        [*rylie, "-q", "doctor", "-f", "html", "-o", str(out / "doctor.html")],
    ):
        try:
            app.main(argv)
        except SystemExit as exc:  # the doctor exits 1 on failing checks; the page is written
            assert exc.code in (0, 1), argv
    return {p.stem: p for p in out.glob("*.html")}


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Browser]:
    with Browser(tmp_path_factory.mktemp("chromium")) as b:
        yield b


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return artifacts_dir(tmp_path_factory.getbasetemp() / "screenshots")


def load(browser: Browser, page: Path, width: int) -> dict[str, Any]:
    browser.open(page.as_uri(), width)
    ready = "document.readyState === 'complete' && !document.documentElement.dataset.stale"
    if page.stem in DIAGRAMS:
        ready += " && document.body.dataset.diagrams"
    assert browser.wait_for(ready), f"{page.name} did not finish loading"
    measured: dict[str, Any] = json.loads(browser.evaluate(MEASURE))
    return measured


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", ["guide", "docs", "doctor", "lint"])
def test_page_in_chromium(
    name: str,
    width: int,
    pages: dict[str, Path],
    browser: Browser,
    shots: Path,
    lint_page: Path,
) -> None:
    page = lint_page if name == "lint" else pages[name]
    seen = load(browser, page, width)
    shot = browser.screenshot(shots / f"{name}-{width}.png")
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"

    assert seen["scrollWidth"] <= seen["innerWidth"], seen
    assert seen["sticking"] == [], seen["sticking"]
    if name != "docs":  # the schema has no statuses
        assert seen["badges"], "no status or severity badge"
    assert not seen["emoji"], "an emoji where a badge belongs"
    if width == 1400 and name in ("doctor", "lint"):
        assert seen["cut"] == 0  # every column (the Fix column too) visible without scrolling
    if name in DIAGRAMS:
        assert seen["state"] == "drawn", seen["state"]
        assert seen["diagrams"] >= 2 and all(n > 0 for n in seen["nodes"]), seen["nodes"]
        assert seen["source"] == [], "Mermaid source visible instead of a picture"
        assert len(seen["toc"]) >= 5
        assert all(link[1:] in seen["anchors"] for link in seen["toc"])
        if width == 1400:
            browser.screenshot(shots / f"{name}-full.png", clip_height=12000)
    if name == "guide":
        assert "Complete" in seen["badges"]  # Rylie is applied: each migration complete


@pytest.fixture(scope="module")
def lint_page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`slipway lint -f html` on the guide's corpus (it has findings), from standard output."""
    done = subprocess.run(
        [sys.executable, "-m", "slipway", "lint", "-f", "html", "-m", str(CORPUS / "migrations")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.stdout.startswith("<!DOCTYPE html>"), done.stderr
    page = tmp_path_factory.mktemp("lint") / "lint.html"
    page.write_text(done.stdout, encoding="utf-8")
    return page


@pytest.mark.parametrize("name", ["guide", "doctor"])
def test_printed(name: str, pages: dict[str, Path], browser: Browser, shots: Path) -> None:
    """The print stylesheet: no contents box, every check open, the diagrams within the page."""
    load(browser, pages[name], 1000)
    browser.call("Emulation.setEmulatedMedia", media="print")
    try:
        hidden = browser.evaluate(
            "[...document.querySelectorAll('nav.toc')].every(n => getComputedStyle(n).display === 'none')"
        )
        closed = browser.evaluate(
            "[...document.querySelectorAll('details:not([open]) > :not(summary)')]"
            ".filter(e => !e.closest('nav') && e.getBoundingClientRect().height === 0)"
            ".map(e => e.outerHTML.slice(0, 200))"
        )
        wide = browser.evaluate(
            "[...document.querySelectorAll('.diagram svg')]"
            ".filter(s => s.getBoundingClientRect().width > document.body.clientWidth + 1).length"
        )
        pdf = browser.call("Page.printToPDF")["data"]
    finally:
        browser.call("Emulation.setEmulatedMedia", media="")
    (shots / f"{name}.pdf").write_bytes(base64.b64decode(pdf))
    assert hidden and closed == [] and wide == 0, closed


def test_a_big_schema_stays_readable(
    db_url: str, browser: Browser, shots: Path, tmp_path: Path
) -> None:
    """150 tables under one tenant table, in subtrees of five: the docs draw it in parts, each
    a picture a reader can follow (one diagram would be some 50,000 px wide)."""
    sql = ["CREATE TABLE tenants (id bigint PRIMARY KEY, name text);"]
    for tree in range(30):
        for level in range(5):
            parent = f", parent_id bigint REFERENCES t{tree}_{level - 1}" if level else ""
            sql.append(
                f"CREATE TABLE t{tree}_{level} (id bigint PRIMARY KEY, "
                f"tenant_id bigint NOT NULL REFERENCES tenants, note text{parent});"
            )
    with psycopg.connect(db_url, autocommit=True) as conn:
        conn.execute("\n".join(sql).encode())
    page = tmp_path / "docs.html"
    app.main(["-d", db_url, "-q", "docs", "-f", "html", "-o", str(page)])
    seen = load(browser, page, 1400)
    browser.screenshot(shots / "big-schema-1400.png")
    assert seen["state"] == "drawn" and seen["source"] == []
    assert seen["diagrams"] == 16  # the tenant table, then two subtrees (10 tables) a part
    sizes = browser.evaluate(
        "[...document.querySelectorAll('.diagram svg')].map(s => s.getBoundingClientRect())"
        ".map(r => [r.width, r.height])"
    )
    assert all(w <= 3000 and h <= 6000 for w, h in sizes), sizes
    assert seen["scrollWidth"] <= seen["innerWidth"] and seen["sticking"] == []
