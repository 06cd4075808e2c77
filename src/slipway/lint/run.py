"""One lint run as the command line does it: collect, lint, print, exit code (`lint_paths`
without the printing, for slipway.api).

Shared by `slipway lint` (typer) and `python -m slipway.lint` (no typer: starts faster).
The engine, the rules and the migration loader are imported only when the result is not in
the cache (slipway.lint.cache), so an unchanged folder is linted by a lookup.
"""

from __future__ import annotations

import sys
from pathlib import Path

from slipway.config import Settings
from slipway.lint.findings import LintResult, rule_link
from slipway.migrations.model import shown_path

TITLE = "slipway lint"


def run(
    paths: list[Path],
    fmt: str,
    fail_on: str,
    settings: Settings,
    quiet: bool = False,
    use_cache: bool = True,
) -> int:
    """Lint `paths` (default: the settings' migrations folder); return the exit code."""
    result = lint_paths(paths, settings, use_cache)
    _print(result, fmt, quiet)
    return 1 if result.fails(fail_on) else 0


def lint_paths(paths: list[Path], settings: Settings, use_cache: bool = True) -> LintResult:
    """The findings for `paths` (default: the settings' migrations folder), from the cache
    when nothing changed; prints nothing."""
    targets = paths or [shown_path(settings.migrations_dir)]
    cacheable = use_cache and Path("-") not in targets  # stdin has no modification time
    return _cached(targets, settings) if cacheable else _lint(targets, settings)


def _lint(targets: list[Path], settings: Settings) -> LintResult:
    from slipway.lint.config import LintConfig
    from slipway.lint.engine import lint
    from slipway.lint.sources import select

    migrations, focus = select(targets)
    return lint(migrations, LintConfig.from_settings(settings), focus)


def _cached(targets: list[Path], settings: Settings) -> LintResult:
    from slipway.lint import cache

    # Without a config file the lint settings are the defaults ({}), schema not loaded.
    lint_section = settings.file_config.lint.model_dump() if settings.file_config else {}
    config = {"lint": lint_section, "tenant": settings.tenant_column}
    key = cache.fingerprint(targets, config)
    result = cache.load(key)
    if result is None:
        result = _lint(targets, settings)
        cache.store(key, result)
    return result


def _print(result: LintResult, fmt: str, quiet: bool) -> None:
    from slipway.report.terminal import color_enabled

    color = fmt == "text" and not quiet and color_enabled()
    text = render(result, fmt, quiet=quiet, color=color)
    if color:
        from slipway.report.terminal import console

        console().print(text, end="")
        return
    sys.stdout.write(text)


def render(result: LintResult, fmt: str, quiet: bool = False, color: bool = False) -> str:
    """The result in format `fmt`, as slipway lint prints it. Text shows the code under each
    finding (each file with a finding read once) and its rule's docs link; with `quiet`, only
    error findings, one line and the hint each, and no summary."""
    from slipway.report import render_findings
    from slipway.report.render_list import FileLines

    findings, summary = result.findings, result.summary()
    if fmt == "text" and quiet:
        errors = [f for f in findings if f.severity == "error"]
        text = render_findings(errors, "text", title=TITLE, summary="", compact=True)
        return "".join(text.splitlines(keepends=True)[:-1])  # the empty summary line
    rules = []
    if fmt == "sarif":
        from slipway.lint.docs import rule_infos

        rules = rule_infos()
    return render_findings(
        findings,
        fmt,
        title=TITLE,
        summary=summary,
        rules=rules,
        color=color,
        source=FileLines(),
        docs=lambda f: rule_link(f.name),
    )
