"""GitHub Actions workflow commands: one `::error file=...,line=...::message` per finding."""

from __future__ import annotations

from slipway.lint.findings import LintResult

_LEVEL = {"error": "error", "warning": "warning", "info": "notice"}


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _prop(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def render(result: LintResult) -> str:
    out = []
    for f in result.findings:
        message = f.message + (f"\n{f.help}" if f.help else "")
        out.append(
            f"::{_LEVEL[f.severity]} file={_prop(f.file)},line={f.line},col={f.column},"
            f"title={_prop(f'{f.rule} ({f.code})')}::{_data(message)}"
        )
    return "".join(line + "\n" for line in out)
