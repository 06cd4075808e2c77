"""`file:line:col severity rule message` lines, each followed by its help, then a summary."""

from __future__ import annotations

from slipway.lint.findings import LintResult

_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}


def render(result: LintResult, color: bool = False) -> str:
    lines = []
    for f in result.findings:
        where = f"{f.file}:{f.line}:{f.column}"
        if color:
            style = _STYLE[f.severity]
            lines.append(
                f"[bold]{_esc(where)}[/] [{style}]{f.severity}[/] [magenta]{f.rule}[/] "
                f"{_esc(f.message)}"
            )
            if f.help:
                lines.append(f"  [dim]help: {_esc(f.help)}[/]")
        else:
            lines.append(f"{where} {f.severity} {f.rule} {f.message}")
            if f.help:
                lines.append(f"  help: {f.help}")
    lines.append(result.summary())
    return "\n".join(lines) + "\n"


def _esc(text: str) -> str:
    return text.replace("[", "\\[")
