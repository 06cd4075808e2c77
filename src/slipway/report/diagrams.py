"""Mermaid diagrams in HTML pages: the vendored browser build, inlined so a page works offline.

vendor/mermaid/mermaid.min.js is mermaid's single-file build at the version in its VERSION
file (scripts/vendor.py re-fetches it). It is inlined, not linked: every HTML page slipway
writes is one file (stdout, `-o file`, serve's /guide and /docs), which a reader may mail or
archive alone; only pages with a diagram carry it (about 3.6 MB).
"""

from __future__ import annotations

import html
from functools import cache
from pathlib import Path

VENDOR = Path(__file__).parent / "vendor" / "mermaid"


@cache
def mermaid_js() -> str:
    """The script, safe inside a <script> element (read once per process)."""
    text = (VENDOR / "mermaid.min.js").read_text(encoding="utf-8")
    return text.replace("</script", "<\\/script")  # scripts/vendor.py refuses such a build


@cache
def mermaid_version() -> str:
    """`mermaid@11.17.2`, as recorded beside the build."""
    return "mermaid@" + (VENDOR / "VERSION").read_text(encoding="utf-8").strip()


def diagram_html(source: str) -> str:
    """A diagram's block: its source (shown as text until the script draws it) in a frame that
    scrolls when the picture is wider than the page."""
    return f'<div class="diagram"><pre class="mermaid">{html.escape(source)}</pre></div>\n'
