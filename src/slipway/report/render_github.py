"""GitHub Actions workflow commands: one `::error file=...,line=...::message` per finding.

A finding without a file (the doctor's, about a database object) is annotated on the run
with its target in the message: `::warning title=...::public.leads: ...`.
"""

from __future__ import annotations

from collections.abc import Sequence

from slipway.report.finding import Finding

__all__ = ["render_github"]

_LEVEL = {"error": "error", "warning": "warning", "info": "notice"}


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _prop(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def _line(f: Finding) -> str:
    props = []
    if f.location is not None:
        props.append(f"file={_prop(f.file)},line={f.line},col={f.column}")
    props.append(f"title={_prop(f'{f.name} ({f.code})')}")
    message = f.message if f.location or not f.target else f"{f.target}: {f.message}"
    message += f"\n{f.hint}" if f.hint else ""
    return f"::{_LEVEL[f.severity]} {','.join(props)}::{_data(message)}"


def render_github(findings: Sequence[Finding]) -> str:
    """One workflow command per finding."""
    return "".join(_line(f) + "\n" for f in findings)
