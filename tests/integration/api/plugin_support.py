"""Helpers for the pytest plugin's tests: run pytester with the plugin, read its summary."""

from __future__ import annotations

import re

import pytest

from pg_fixtures import ADMIN_URL

TEMPLATE_LINE = re.compile(
    r"slipway: template (\w+) \((\d+) migrations\) (built in [\d.]+s|reused)"
)

# In-process runs import slipway.testing once for all (this module imports it too), so pytest
# cannot rewrite its asserts (it has none) and says so; the entry point imports it fresh.
QUIET = ("-W", "ignore::pytest.PytestAssertRewriteWarning")


def run(project: pytest.Pytester, templates: list[str], *args: str) -> pytest.RunResult:
    result = project.runpytest("-p", "slipway.testing", *QUIET, "--slipway-url", ADMIN_URL, *args)
    templates.extend(m.group(1) for m in TEMPLATE_LINE.finditer(result.stdout.str()))
    return result
