"""Render the guide and the docs: Markdown from templates, HTML from that Markdown.

The Markdown keeps Mermaid sources in ```mermaid fences (GitHub draws them). The HTML is one
self-contained file (report/templates/document.html.j2: inline CSS, nothing fetched): the
vendored Mermaid script inside it draws the diagrams, statuses are CSS badges rather than
emoji, headings get anchors and a table of contents, and wide tables scroll in their frame.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from slipway.guide.docs import CONSTRAINT_TYPES
from slipway.guide.model import STATUSES
from slipway.report.diagrams import diagram_html

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


@cache
def _markdown_it() -> Any:
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"html": False}).enable("table").enable("strikethrough")
    renderer: Any = md.renderer  # RendererHTML; its protocol type does not declare `rules`
    default_fence = renderer.rules["fence"]

    def fence(self: Any, tokens: Any, idx: int, options: Any, env: Any) -> str:
        token = tokens[idx]
        if token.info.strip() == "mermaid":
            return diagram_html(token.content)
        return str(default_fence(tokens, idx, options, env))

    md.add_render_rule("fence", fence)
    md.add_render_rule("table_open", lambda *_: '<div class="scroll"><table>\n')
    md.add_render_rule("table_close", lambda *_: "</table></div>\n")
    return md


@dataclass
class TocItem:
    text: str
    id: str
    children: list[TocItem] = field(default_factory=list)


def _slug(text: str, seen: Counter[str]) -> str:
    base = re.sub(r"[^\w]+", "-", text.lower()).strip("-") or "section"
    seen[base] += 1
    return base if seen[base] == 1 else f"{base}-{seen[base]}"


def _anchor(tokens: list[Any]) -> list[TocItem]:
    """Give every h2 and h3 an id; the contents list the h2s and, under them, the h3s whose
    text is their own (a docs page's "Columns" under each table would only repeat)."""
    heads = [(t, tokens[i + 1].content) for i, t in enumerate(tokens) if t.type == "heading_open"]
    repeated = Counter(text for t, text in heads if t.tag == "h3")
    seen: Counter[str] = Counter()
    toc: list[TocItem] = []
    for token, text in heads:
        if token.tag not in ("h2", "h3"):
            continue
        item = TocItem(text, _slug(text, seen))
        token.attrSet("id", item.id)
        if token.tag == "h2":
            toc.append(item)
        elif toc and repeated[text] == 1:
            toc[-1].children.append(item)
    return toc


_RISK = re.compile(r"<li>(error|warning|info) (?=[\w-]+ \()")


def _badges(body: str) -> str:
    """Statuses and lint severities as CSS badges: an emoji needs a font the reader may lack."""
    for emoji, words, tone in STATUSES.values():
        badge = f'<span class="badge s-{tone}">{words}</span>'
        body = body.replace(f"{emoji} {words}", badge).replace(f"({emoji})", f"({badge})")
    return _RISK.sub(r'<li><span class="badge s-\1">\1</span> ', body)


def to_html(markdown: str, title: str) -> str:
    """One self-contained HTML page for a Markdown document."""
    import markupsafe

    from slipway.report.render_html import html_templates

    md = _markdown_it()
    tokens = md.parse(markdown)
    toc = _anchor(tokens)
    body = _badges(md.renderer.render(tokens, md.options, {}))
    head, h2, rest = body.partition("<h2")
    page = html_templates().get_template("document.html.j2")
    return str(
        page.render(
            title=title,
            head=markupsafe.Markup(head),
            rest=markupsafe.Markup(h2 + rest),
            toc=toc if len(toc) > 1 else [],
            diagrams='<pre class="mermaid">' in body,
        )
    )


def render(template: str, fmt: str, title: str, **context: Any) -> str:
    """`fmt` md or html."""
    text = render_markdown(template, **context)
    return text if fmt == "md" else to_html(text, title)
