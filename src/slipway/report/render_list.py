"""A list of findings (lint's, the tenancy test's) as text, JSON, Markdown or HTML.

Text is one `where severity name message` line per finding, its hint below, then the
summary line the caller gives (lint: "1 error, 2 warnings, 0 infos in 3 files").
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from slipway.report.finding import Finding
from slipway.report.json_formats import versioned
from slipway.report.render_md import md_cell

__all__ = ["render_html", "render_json", "render_md", "render_text"]

_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}


def _esc(text: str) -> str:
    return text.replace("[", "\\[")


def render_text(findings: Sequence[Finding], summary: str, color: bool = False) -> str:
    """Plain lines, or rich markup with `color` (the caller prints it through a Console)."""
    lines = []
    for f in findings:
        if color:
            lines.append(
                f"[bold]{_esc(f.where)}[/] [{_STYLE[f.severity]}]{f.severity}[/] "
                f"[magenta]{f.name}[/] {_esc(f.message)}"
            )
            if f.hint:
                lines.append(f"  [dim]help: {_esc(f.hint)}[/]")
        else:
            lines.append(f"{f.where} {f.severity} {f.name} {f.message}")
            if f.hint:
                lines.append(f"  help: {f.hint}")
    lines.append(summary)
    return "\n".join(lines) + "\n"


def render_json(findings: Sequence[Finding], output: str = "lint") -> str:
    """`{"version", "findings": [Finding.to_dict(), ...]}`; `output` names the format
    (report.json_formats)."""
    body = {"findings": [f.to_dict() for f in findings]}
    return json.dumps(versioned(output, body), indent=2) + "\n"


def render_md(findings: Sequence[Finding], title: str, summary: str) -> str:
    """A table to paste into a pull request or a ticket."""
    lines = [f"# {title}", "", summary, ""]
    if findings:
        lines += ["| severity | where | rule | finding | hint |", "|---|---|---|---|---|"]
        for f in findings:
            lines.append(
                f"| {f.severity} | `{md_cell(f.where)}` | {f.code} `{md_cell(f.name)}` "
                f"| {md_cell(f.message)} | {md_cell(f.hint)} |"
            )
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def render_html(findings: Sequence[Finding], title: str, summary: str) -> str:
    """One self-contained page: inline CSS, no external assets, every value escaped."""
    from slipway.report.render_html import html_templates

    return (
        html_templates()
        .get_template("findings.html.j2")
        .render(title=title, summary=summary, findings=findings)
    )
