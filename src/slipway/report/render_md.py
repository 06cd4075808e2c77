"""Markdown renderer: a report you can paste into a ticket or a pull request."""

from __future__ import annotations

from slipway.report.model import LABEL, CheckResult, Report

MAX_FINDINGS = 50
_ICON = {"pass": "PASS", "warn": "WARN", "fail": "FAIL", "info": "info"}


def md_cell(text: str) -> str:
    """Text that stays inside one Markdown table cell."""
    return text.replace("|", "\\|").replace("\n", " ")


def _check_lines(check: CheckResult) -> list[str]:
    label = "info" if check.informational and check.status == "pass" else check.status
    lines = [f"### {_ICON[label]} {check.code} `{check.name}`", "", check.summary, ""]
    lines += [f"> note: {n}" for n in check.notes]
    if check.notes:
        lines.append("")
    if check.details:
        lines += ["```", *check.details, "```", ""]
    if check.findings:
        lines += ["| level | target | finding | fix |", "|---|---|---|---|"]
        for f in check.findings[:MAX_FINDINGS]:
            lines.append(
                f"| {LABEL[f.severity]} | `{md_cell(f.target)}` | {md_cell(f.message)} | "
                f"{md_cell(f.hint)} |"
            )
        extra = len(check.findings) - MAX_FINDINGS
        if extra > 0:
            lines.append(f"| | | ... and {extra} more (see `--format json`) | |")
        lines.append("")
    return lines


def render_md(report: Report) -> str:
    lines = [
        f"# {report.title}",
        "",
        f"- database: `{report.database}`",
        f"- server: {report.server_version}",
        f"- generated: {report.generated_at} in {report.duration_s:.2f} s",
        f"- **verdict: {report.verdict}** ({report.status})",
        "",
        "## Readiness checklist",
        "",
        "| | area | reason | fix |",
        "|---|---|---|---|",
    ]
    for item in report.checklist:
        lines.append(
            f"| {_ICON[item.status]} | {item.title} | {md_cell(item.reason)} | "
            f"{md_cell(item.fix)} |"
        )
    lines.append("")
    if report.notes:
        lines += [f"> note: {n}" for n in report.notes] + [""]
    category = None
    for check in report.checks:
        if check.category != category:
            category = check.category
            lines += [f"## {category.capitalize()}", ""]
        lines += _check_lines(check)
    return "\n".join(lines).rstrip() + "\n"
