"""Findings and reports: the one Finding (report.finding), the health Report (report.model)
and every renderer of both."""

from __future__ import annotations

TYPE_CHECKING = False  # the models load on first use: a warm `slipway lint` needs none
if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from typing import Any

    from slipway.report.finding import SEVERITIES, Finding, Location, RuleInfo, Severity
    from slipway.report.model import ChecklistItem, CheckResult, Report, worst
    from slipway.report.render_list import SourceLines

FORMATS = ("text", "md", "html", "json", "sarif", "github")  # of a health Report
FINDING_FORMATS = ("text", "json", "sarif", "github", "md", "html")  # of a list of findings

__all__ = [
    "FINDING_FORMATS",
    "FORMATS",
    "SEVERITIES",
    "CheckResult",
    "ChecklistItem",
    "Finding",
    "Location",
    "Report",
    "RuleInfo",
    "Severity",
    "render",
    "render_findings",
    "worst",
]


_MODELS = {
    "SEVERITIES": "finding", "Finding": "finding", "Location": "finding", "RuleInfo": "finding",
    "Severity": "finding", "ChecklistItem": "model", "CheckResult": "model", "Report": "model",
    "worst": "model",
}  # fmt: skip


def __getattr__(name: str) -> Any:
    """The models (report.finding, report.model), imported when first asked for."""
    if name in _MODELS:
        from importlib import import_module

        return getattr(import_module(f"slipway.report.{_MODELS[name]}"), name)
    raise AttributeError(f"module 'slipway.report' has no attribute {name!r}")


def render(report: Report, fmt: str, color: bool = False) -> str:
    """The report as text in one of FORMATS.

    SARIF and GitHub annotations carry the findings that make a check warn or fail; the
    informational ones (facts such as table sizes) stay in the other formats.
    """
    if fmt in ("sarif", "github"):
        problems = [f for c in report.checks for f in c.findings if f.severity != "info"]
        return render_findings(
            problems, fmt, title=report.title, summary=report.verdict, rules=report.rules()
        )
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


def render_findings(
    findings: Sequence[Finding],
    fmt: str,
    *,
    title: str,
    summary: str,
    rules: Sequence[RuleInfo] = (),
    color: bool = False,
    source: SourceLines | None = None,
    docs: Callable[[Finding], str] | None = None,
    compact: bool = False,
) -> str:
    """A list of findings as text in one of FINDING_FORMATS. `summary` ends the text and heads
    md and html; `rules` describe the codes for SARIF. Text only: `color` gives it rich
    markup, `source` shows the code under each finding (render_list.FileLines), `docs` gives
    a finding's docs link, `compact` one line and the hint per finding."""
    if fmt == "sarif":
        from slipway.report.render_sarif import render_sarif

        return render_sarif(findings, rules)
    if fmt == "github":
        from slipway.report.render_github import render_github

        return render_github(findings)
    from slipway.report import render_list

    if fmt == "json":
        return render_list.render_json(findings)
    if fmt == "md":
        return render_list.render_md(findings, title, summary)
    if fmt == "html":
        return render_list.render_html(findings, title, summary)
    if fmt == "text":
        return render_list.render_text(
            findings, summary, color, source=source, docs=docs, compact=compact
        )
    raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(FINDING_FORMATS)}")
