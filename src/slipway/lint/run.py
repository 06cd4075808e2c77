"""One lint run as the command line does it: collect, lint, print, exit code (`lint_paths`
without the printing, for slipway.api).

Shared by `slipway lint` and `python -m slipway.lint`. The engine, the rules and the
migration loader are imported only when the result is not in the cache (slipway.lint.cache),
so an unchanged folder is linted by a lookup; and a command line run again on unchanged files
(`request`: its options and paths, spelled by the caller) prints its stored output
(`replay_output`) before settings are even loaded.
"""

from __future__ import annotations

import sys

TYPE_CHECKING = False  # not typing's: a warm run imports nothing it does not use
if TYPE_CHECKING:
    from pathlib import Path

    from slipway.config import Settings
    from slipway.lint.config import LintConfig
    from slipway.lint.findings import LintResult

TITLE = "slipway lint"
# The migrations (with their parse trees) of a lint that ends the process, kept: freeing
# millions of objects one by one just before os._exit (slipway.cli.fastlint) is wasted work.
_UNTIL_EXIT: list[object] = []


def replay_output(request: str, fmt: str) -> int | None:
    """Print what the same command line printed last time, if nothing it read has changed;
    its exit code, else None (in colour, rich renders the text: nothing is stored)."""
    from slipway.lint import cache

    if _color(fmt) or not _utf8_stdout():
        return None
    found = cache.load_output(cache.output_key(request))
    if found is None:
        return None
    code, text = found
    sys.stdout.flush()
    raw = getattr(sys.stdout, "buffer", None)
    if raw is None:
        sys.stdout.write(text.decode())
    else:
        raw.write(text)
        raw.flush()
    return code


def run(
    paths: list[Path],
    fmt: str,
    fail_on: str,
    settings: Settings,
    quiet: bool = False,
    use_cache: bool = True,
    request: str | None = None,
    whole_process: bool = False,
    stats: Path | None = None,
) -> int:
    """Lint `paths` (default: the settings' migrations folder); return the exit code. With
    `request` (and the cache on) the printed output is stored for `replay_output`;
    `whole_process`: the process ends after this, its objects need not be freed; `stats`: a
    statistics snapshot that re-judges rewrites and scans by table size (slipway.lint.statistics;
    the output is then not stored: the snapshot is not part of its key)."""
    targets = _targets(paths, settings)
    result = _lint_paths(targets, settings, use_cache, whole_process, stats)
    if stats is not None:
        request = None
    code = 1 if result.fails(fail_on) else 0
    text = _print(result, fmt, quiet)
    if text is not None and request is not None and use_cache and _cacheable(targets):
        from slipway.lint import cache

        if _utf8_stdout():
            cache.store_output(cache.output_key(request), targets, code, text)
    return code


def lint_paths(
    paths: list[Path], settings: Settings, use_cache: bool = True, stats: Path | None = None
) -> LintResult:
    """The findings for `paths` (default: the settings' migrations folder), from the cache
    when nothing changed, judged by the statistics snapshot `stats` when given; prints
    nothing."""
    return _lint_paths(_targets(paths, settings), settings, use_cache, False, stats)


def _targets(paths: list[Path], settings: Settings) -> list[Path]:
    from slipway.migrations.model import shown_path

    return paths or [shown_path(settings.migrations_dir)]


def _cacheable(targets: list[Path]) -> bool:
    return all(str(t) != "-" for t in targets)  # stdin has no modification time


def _lint_paths(
    targets: list[Path], settings: Settings, use_cache: bool, keep: bool, stats: Path | None
) -> LintResult:
    if stats is None:
        return _lint_unjudged(targets, settings, use_cache, keep)
    from slipway.lint.statistics import apply_statistics, load_statistics

    snapshot = load_statistics(stats)  # first: a bad snapshot fails before the lint runs
    result = _lint_unjudged(targets, settings, use_cache, keep)
    result.findings = apply_statistics(result.findings, snapshot, stats)
    return result


def _lint_unjudged(
    targets: list[Path], settings: Settings, use_cache: bool, keep: bool
) -> LintResult:
    if use_cache and _cacheable(targets):
        return _cached(targets, settings, keep)
    return _lint(targets, settings, keep)


def _lint(targets: list[Path], settings: Settings, keep: bool = False) -> LintResult:
    from slipway.lint.config import LintConfig

    config = LintConfig.from_settings(settings)
    if keep:  # the whole process: several folders may go to two cores
        from slipway.lint import parallel

        sides = parallel.split(targets)
        if sides is not None:
            import slipway.lint.engine  # noqa: F401 - imported once, before the fork

            config.active()  # the rule modules too
            return parallel.lint_split(
                targets, *sides, lambda target: _lint_serial([target], config, keep)
            )
    return _lint_serial(targets, config, keep)


def _lint_serial(targets: list[Path], config: LintConfig, keep: bool) -> LintResult:
    from slipway.lint.engine import lint
    from slipway.lint.findings import LintResult
    from slipway.lint.sources import select

    results = []
    for migrations, focus in select(targets):  # each folder is its own history
        if keep:
            _UNTIL_EXIT.append(migrations)
        results.append(lint(migrations, config, focus))
    return LintResult.combine(results)


def _cached(targets: list[Path], settings: Settings, keep: bool = False) -> LintResult:
    from slipway.lint import cache

    # Without a config file the lint settings are the defaults ({}), schema not loaded.
    lint_section = settings.file_config.lint.model_dump() if settings.file_config else {}
    config = {"lint": lint_section, "tenant": settings.tenant_column}
    key = cache.fingerprint(targets, config)
    result = cache.load(key)
    if result is None:
        result = _lint(targets, settings, keep)
        cache.store(key, result)
    return result


def _utf8_stdout() -> bool:
    """Whether the stored bytes (UTF-8) are what printing the text would write."""
    return (getattr(sys.stdout, "encoding", None) or "").lower().replace("-", "") == "utf8"


def _color(fmt: str) -> bool:
    from slipway.report.terminal import color_enabled

    return fmt == "text" and color_enabled()


def _print(result: LintResult, fmt: str, quiet: bool) -> str | None:
    """Print the result; the text printed, or None when rich printed it in colour."""
    color = _color(fmt) and not quiet
    text = render(result, fmt, quiet=quiet, color=color)
    if color:
        from slipway.report.terminal import console

        console().print(text, end="")
        return None
    sys.stdout.write(text)
    return text


def render(result: LintResult, fmt: str, quiet: bool = False, color: bool = False) -> str:
    """The result in format `fmt`, as slipway lint prints it. Text shows the code under each
    finding (each file with a finding read once) and its rule's docs link; with `quiet`, only
    error findings, one line and the hint each, and no summary."""
    from slipway.lint.findings import rule_link
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
