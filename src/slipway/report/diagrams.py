"""Mermaid diagrams in HTML pages: the vendored browser build, inlined so a page works offline.

vendor/mermaid.min.js is mermaid's single-file build at the version in vendor/mermaid.sha256
(scripts/update_mermaid.py re-fetches it). It is inlined, not linked: every HTML page slipway
writes is one file (stdout, `-o file`, serve's /guide and /docs), which a reader may mail or
archive alone; only pages with a diagram carry it (about 3.6 MB).
"""

from __future__ import annotations

import html
from functools import cache
from pathlib import Path

VENDOR = Path(__file__).parent / "vendor"


@cache
def mermaid_js() -> str:
    """The script, safe inside a <script> element (read once per process)."""
    text = (VENDOR / "mermaid.min.js").read_text(encoding="utf-8")
    return text.replace("</script", "<\\/script")  # update_mermaid.py refuses such a build


@cache
def mermaid_version() -> str:
    """`mermaid@11.17.2`, as recorded beside its sha256."""
    return (VENDOR / "mermaid.sha256").read_text(encoding="utf-8").split()[2]


def diagram_html(source: str) -> str:
    """A diagram's block: its source (shown as text until the script draws it) in a frame that
    scrolls when the picture is wider than the page."""
    return f'<div class="diagram"><pre class="mermaid">{html.escape(source)}</pre></div>\n'
