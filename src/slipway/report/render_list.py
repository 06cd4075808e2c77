"""A list of findings (lint's, the tenancy test's) as text, JSON, Markdown or HTML.

Text is one `where severity name message` line per finding, the code it points at with a
caret under the column, its hint and docs link, then the summary line the caller gives
(lint: "1 error, 2 warnings, 0 infos in 3 files").
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from slipway.report.finding import Finding

__all__ = ["FileLines", "SourceLines", "render_html", "render_json", "render_md", "render_text"]

_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}
GUTTER = 4  # width of the line numbers' column (wider for a line number of 5 digits or more)
SHOWN = 120  # characters of a long line shown around the column
_NOT_TAB = re.compile(r"[^\t]")

# A file's lines (None: not readable), for the code under a finding.
SourceLines = Callable[[str], Sequence[str] | None]


def _esc(text: str) -> str:
    """`text` shown as it is through rich markup (a backslash before `[` included)."""
    from rich.markup import escape

    return escape(text)


def render_text(
    findings: Sequence[Finding],
    summary: str,
    color: bool = False,
    *,
    source: SourceLines | None = None,
    docs: Callable[[Finding], str] | None = None,
    compact: bool = False,
) -> str:
    """Plain lines, or rich markup with `color` (the caller prints it through a Console).

    Each finding is its `where severity name message` line, then (from `source`) the line of
    code it points at with a caret under its column, then `= help:` and (from `docs`) `= docs:`
    lines, and a blank line. `compact`: the first line and `  help:` only (lint -q).
    """
    lines = []
    for f in findings:
        if color:
            lines.append(
                f"[bold]{_esc(f.where)}[/] [{_STYLE[f.severity]}]{f.severity}[/] "
                f"[magenta]{f.name}[/] {_esc(f.message)}"
            )
        else:
            lines.append(f"{f.where} {f.severity} {f.name} {f.message}")
        if compact:
            if f.hint:
                lines.append(f"  [dim]help: {_esc(f.hint)}[/]" if color else f"  help: {f.hint}")
            continue
        code = source(f.file) if source is not None and f.location else None
        width = max(GUTTER, len(str(f.line)))
        lines += _snippet(f, code, width, color)
        notes = [("help", f.hint), ("docs", docs(f) if docs else "")]
        for label, text in notes:
            if text:
                note = f"{'':>{width - 1}}= {label}: "
                lines.append(f"[dim]{note}{_esc(text)}[/]" if color else note + text)
        lines.append("")
    lines.append(summary)
    return "\n".join(lines) + "\n"


def _snippet(f: Finding, code: Sequence[str] | None, width: int, color: bool) -> list[str]:
    """The finding's line of code and a caret under its column (nothing when unknown)."""
    if code is None or not 0 < f.line <= len(code) or f.column < 1:
        return []
    text, caret = _window(code[f.line - 1].rstrip(), f.column - 1)
    # The caret's padding keeps the line's tabs, so it lines up however tabs are shown.
    pad = _NOT_TAB.sub(" ", text[:caret])
    number, blank = f"{f.line:>{width}} |", f"{'':>{width}} |"
    if color:
        return [
            f"[blue]{number}[/] {_esc(text)}",
            f"[blue]{blank}[/] {pad}[{_STYLE[f.severity]}]^[/]",
        ]
    return [f"{number} {text}", f"{blank} {pad}^"]


def _window(text: str, column: int) -> tuple[str, int]:
    """At most SHOWN characters of a long line around `column` (0-based): (text, caret)."""
    if len(text) <= SHOWN:
        return text, min(column, len(text))
    start = max(0, min(column - SHOWN // 2, len(text) - SHOWN))
    shown = text[start : start + SHOWN]
    head, tail = ("..." if start else ""), ("..." if start + SHOWN < len(text) else "")
    return head + shown + tail, len(head) + column - start


class FileLines:
    """The lines of the files findings point at, each file read once; a file that cannot be
    read (gone, or `<stdin>`) has none. Lines are counted as the parser counts them: the text
    normalized as a migration is (no BOM, LF line endings)."""

    def __init__(self) -> None:
        self._files: dict[str, list[str] | None] = {}

    def __call__(self, file: str) -> list[str] | None:
        if file not in self._files:
            from slipway.migrations.model import normalize_sql

            try:
                with open(file, "rb") as handle:  # not Path.read_bytes: thousands of files
                    raw = handle.read()
            except OSError:
                self._files[file] = None
            else:
                self._files[file] = normalize_sql(raw.decode("utf-8", "replace")).split("\n")
        return self._files[file]


def render_json(findings: Sequence[Finding], output: str = "lint") -> str:
    """`{"version", "findings": [Finding.to_dict(), ...]}`; `output` names the format
    (report.json_formats)."""
    import json  # here, like the Markdown helpers below: text (lint's default) needs neither

    from slipway.report.json_formats import versioned

    body = {"findings": [f.to_dict() for f in findings]}
    return json.dumps(versioned(output, body), indent=2) + "\n"


def render_md(findings: Sequence[Finding], title: str, summary: str) -> str:
    """A table to paste into a pull request or a ticket."""
    from slipway.report.render_md import md_cell  # imports the health report's model

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
