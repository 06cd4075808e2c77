"""Render the guide and the docs: Markdown from templates, HTML from that Markdown.

The HTML is one self-contained file (inline CSS, no scripts, nothing fetched): Mermaid sources
stay readable in `<pre class="mermaid">` blocks, which GitHub, mermaid-cli or a page that
loads mermaid.js turn into diagrams.
"""

from __future__ import annotations

import html
from functools import cache
from pathlib import Path
from typing import Any

from slipway.guide.docs import CONSTRAINT_TYPES

TEMPLATES = Path(__file__).parent / "templates"


def _cell(value: object) -> str:
    """Text safe inside a Markdown table cell."""
    return " ".join(str(value).split()).replace("|", "\\|")


def _code(value: object) -> str:
    """An inline code span for a table cell ("" stays empty)."""
    text = _cell(value or "")
    if not text:
        return ""
    fence = "``" if "`" in text else "`"
    return f"{fence} {text} {fence}" if fence == "``" else f"`{text}`"


def _first_word(value: str) -> str:
    return value.split(":", 1)[0]


@cache
def _env() -> Any:
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=False,  # Markdown; the HTML comes from markdown-it, which escapes
        keep_trailing_newline=True,
        trim_blocks=False,
        undefined=jinja2.StrictUndefined,
    )
    env.filters["cell"] = _cell
    env.filters["first_word"] = _first_word
    env.filters["code"] = _code
    env.filters["constraint_type"] = lambda t: CONSTRAINT_TYPES.get(str(t), str(t))
    return env


def render_markdown(template: str, **context: Any) -> str:
    text = str(_env().get_template(template).render(**context))
    return _tidy(text)


def _tidy(text: str) -> str:
    """At most one blank line in a row outside code fences, and one final newline."""
    out: list[str] = []
    fenced = False
    for line in text.splitlines():
        if line.startswith("```"):
            fenced = not fenced
        if not fenced and not line.strip() and out and not out[-1].strip():
            continue
        out.append(line.rstrip() if not fenced else line)
    return "\n".join(out).strip() + "\n"


def _markdown_it() -> Any:
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"html": False}).enable("table").enable("strikethrough")
    renderer: Any = md.renderer  # RendererHTML; its protocol type does not declare `rules`
    default_fence = renderer.rules["fence"]

    def fence(self: Any, tokens: Any, idx: int, options: Any, env: Any) -> str:
        token = tokens[idx]
        if token.info.strip() == "mermaid":
            return f'<pre class="mermaid">{html.escape(token.content)}</pre>\n'
        return str(default_fence(tokens, idx, options, env))

    md.add_render_rule("fence", fence)
    return md


def to_html(markdown: str, title: str) -> str:
    """One self-contained HTML page for a Markdown document."""
    body = _markdown_it().render(markdown)
    page = _env().get_template("page.html.j2")
    return str(page.render(title=html.escape(title), body=body))


def render(template: str, fmt: str, title: str, **context: Any) -> str:
    """`fmt` md or html."""
    text = render_markdown(template, **context)
    return text if fmt == "md" else to_html(text, title)
