"""Terminal renderer (rich): the checklist, the verdict, then each check that has something to say."""

from __future__ import annotations

import io

from slipway.report.model import LABEL, CheckResult, Report

MAX_FINDINGS = 20
MAX_QUIET = 3  # a passing check shows its informational findings only when this few
_STYLE = {"pass": "green", "warn": "yellow", "fail": "bold red", "info": "blue"}


def _badge(status: str) -> str:
    return f"[{_STYLE[status]}]{status.upper():<4}[/]"


def _check_block(check: CheckResult, verbose: bool) -> list[str]:
    label = "info" if check.informational and check.status == "pass" else check.status
    lines = [f"{_badge(label)} [bold]{check.code}[/] {check.name}: {_esc(check.summary)}"]
    lines += [f"       [dim]note: {_esc(n)}[/]" for n in check.notes]
    lines += [f"       {_esc(d)}" for d in check.details]
    quiet = check.status == "pass" and not verbose and not check.informational
    if quiet and len(check.findings) > MAX_QUIET:
        return lines  # a passing check's long list of facts stays in md/html/json
    shown = check.findings[:MAX_FINDINGS]
    for f in shown:
        lines.append(f"       {_badge(LABEL[f.severity])} {_esc(f.target)}: {_esc(f.message)}")
        if f.hint and f.severity != "info":
            lines.append(f"              [dim]fix: {_esc(f.hint)}[/]")
    if len(check.findings) > len(shown):
        lines.append(f"       ... and {len(check.findings) - len(shown)} more (--format json)")
    return lines


def _esc(text: str) -> str:
    from rich.markup import escape

    return escape(text)


def render_text(
    report: Report, color: bool = False, width: int = 110, verbose: bool = False
) -> str:
    from rich.console import Console

    buf = io.StringIO()
    con = Console(
        file=buf,
        width=width,
        no_color=not color,
        force_terminal=color,
        highlight=False,
        soft_wrap=True,
    )
    con.print(
        f"[bold]{_esc(report.title)}[/]  {_esc(report.database)}  "
        f"({_esc(report.server_version)}, {report.duration_s:.2f} s)"
    )
    for note in report.notes:
        con.print(f"[dim]note: {_esc(note)}[/]")
    con.print("\n[bold]Readiness checklist[/]")
    for item in report.checklist:
        con.print(f"  {_badge(item.status)} {item.title}: {_esc(item.reason)}")
        if item.status != "pass" and item.fix:
            con.print(f"         [dim]fix: {_esc(item.fix)}[/]")
    category = None
    for check in report.checks:
        if check.category != category:
            category = check.category
            con.print(f"\n[bold underline]{category.capitalize()}[/]")
        for line in _check_block(check, verbose):
            con.print(line)
    con.print(f"\n[bold]Verdict:[/] [{_STYLE[report.status]}]{report.verdict}[/]")
    return buf.getvalue()
