"""Renderers for lint results: text, json, sarif, github. Each returns the full output text."""

from __future__ import annotations

from collections.abc import Callable

from slipway.lint.findings import LintResult

FORMATS = ("text", "json", "sarif", "github")


def renderer(name: str) -> Callable[[LintResult], str]:
    if name == "json":
        from slipway.lint.render.json_ import render
    elif name == "sarif":
        from slipway.lint.render.sarif import render
    elif name == "github":
        from slipway.lint.render.github import render
    else:
        from slipway.lint.render.text import render
    return render
