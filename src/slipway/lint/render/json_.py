"""A JSON list of findings: rule, code, severity, file, line, column, message, help."""

from __future__ import annotations

import json

from slipway.lint.findings import LintResult


def render(result: LintResult) -> str:
    return json.dumps([f.as_dict() for f in result.findings], indent=2) + "\n"
