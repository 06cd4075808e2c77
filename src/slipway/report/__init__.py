"""Findings and reports: the one Finding (report.finding), the health Report (report.model)
and every renderer of both."""

from __future__ import annotations

from slipway.report.finding import SEVERITIES, Finding, Location, RuleInfo, Severity
from slipway.report.model import ChecklistItem, CheckResult, Report, worst

FORMATS = ("text", "md", "html", "json")

__all__ = ["FORMATS", "SEVERITIES", "CheckResult", "ChecklistItem", "Finding", "Location", "Report",
           "RuleInfo", "Severity", "render", "worst"]


def render(report: Report, fmt: str, color: bool = False) -> str:
    """The report as text in one of FORMATS."""
    if fmt == "json":
        from slipway.report.render_json import render_json

        return render_json(report)
    if fmt == "md":
        from slipway.report.render_md import render_md

        return render_md(report)
    if fmt == "html":
        from slipway.report.render_html import render_html

        return render_html(report)
    if fmt == "text":
        from slipway.report.render_text import render_text

        return render_text(report, color=color)
    raise ValueError(f"unknown report format {fmt!r}; use one of {', '.join(FORMATS)}")
