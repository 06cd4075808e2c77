"""Self-contained HTML renderer: one file, inline CSS, no external assets (jinja2 template)."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from slipway.report.model import LABEL, Report

if TYPE_CHECKING:
    import jinja2

TEMPLATE_DIR = Path(__file__).parent / "templates"
MAX_FINDINGS = 500


@cache
def html_templates() -> jinja2.Environment:
    """The jinja2 environment of report/templates (HTML: every value escaped); built once."""
    import jinja2  # at run time: rendering is the only user
    import markupsafe

    from slipway.report.diagrams import mermaid_js, mermaid_version

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATE_DIR)),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )
    env.globals["mermaid_js"] = lambda: markupsafe.Markup(mermaid_js())
    env.globals["mermaid_version"] = mermaid_version
    return env


def render_html(report: Report) -> str:
    template = html_templates().get_template("health_report.html.j2")
    categories: list[str] = []
    for check in report.checks:
        if check.category not in categories:
            categories.append(check.category)
    return template.render(
        report=report, categories=categories, max_findings=MAX_FINDINGS, labels=LABEL
    )
