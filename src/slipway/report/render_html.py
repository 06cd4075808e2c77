"""Self-contained HTML renderer: one file, inline CSS, no external assets (jinja2 template)."""

from __future__ import annotations

from pathlib import Path

from slipway.report.model import LABEL, Report

TEMPLATE_DIR = Path(__file__).parent / "templates"
MAX_FINDINGS = 500


def render_html(report: Report) -> str:
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATE_DIR)),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )
    template = env.get_template("health_report.html.j2")
    categories: list[str] = []
    for check in report.checks:
        if check.category not in categories:
            categories.append(check.category)
    return template.render(
        report=report, categories=categories, max_findings=MAX_FINDINGS, labels=LABEL
    )
