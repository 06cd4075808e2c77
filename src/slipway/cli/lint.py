"""`slipway lint`: parse, replay and check migrations; print findings in the chosen format."""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from slipway.cli.options import MigrationsOpt, QuietOpt, is_quiet, settings


class LintFormat(str, Enum):
    text = "text"
    json = "json"
    sarif = "sarif"
    github = "github"


class FailOn(str, Enum):
    error = "error"
    warning = "warning"


def register(app: typer.Typer) -> None:
    app.command("lint")(lint_command)


def lint_command(
    ctx: typer.Context,
    paths: Annotated[list[Path] | None, typer.Argument(
        help="Migration files or folders. Default: the project's migrations folder.",
        show_default=False)] = None,
    fmt: Annotated[LintFormat, typer.Option("--format", "-f", case_sensitive=False,
                                            help="Output format.")] = LintFormat.text,
    fail_on: Annotated[FailOn, typer.Option(
        "--fail-on", case_sensitive=False,
        help="Exit 1 when a finding is at least this severe.")] = FailOn.error,
    explain: Annotated[str | None, typer.Option(
        "--explain", metavar="RULE", help="Print a rule's documentation and exit.")] = None,
    list_rules: Annotated[bool, typer.Option("--list", help="List the rules and exit.")] = False,
    docs: Annotated[bool, typer.Option(
        "--docs", help="Print docs/rules.md (Markdown for every rule) and exit.")] = False,
    migrations: MigrationsOpt = None,
    quiet: QuietOpt = False,
) -> None:
    """Lint migrations for locking hazards, tenancy gaps and broken rollbacks."""
    if explain or list_rules or docs:
        _print_docs(explain, list_rules)
        return
    from slipway.lint.config import LintConfig
    from slipway.lint.engine import lint
    from slipway.lint.sources import collect

    cfg = settings(ctx, None, migrations)
    result = lint(collect(list(paths) if paths else [_relative(cfg.migrations_dir)]),
                  LintConfig.from_settings(cfg))
    _print_result(result, fmt.value, is_quiet(ctx, quiet))
    raise typer.Exit(1 if result.fails(fail_on.value) else 0)


def _relative(path: Path) -> Path:
    """`migrations`, not `/home/me/project/migrations`, in the findings when possible."""
    try:
        return path.relative_to(Path.cwd())
    except ValueError:
        return path


def _print_docs(explain: str | None, list_rules: bool) -> None:
    from slipway.errors import ConfigError
    from slipway.lint import docs as lint_docs
    from slipway.lint.rule import lookup

    if explain:
        rule = lookup(explain)
        if rule is None:
            raise ConfigError(f"unknown lint rule {explain!r}; `slipway lint --list` shows them")
        sys.stdout.write(lint_docs.explain(rule))
    elif list_rules:
        sys.stdout.write(lint_docs.listing())
    else:
        sys.stdout.write(lint_docs.rules_markdown())


def _print_result(result: object, fmt: str, quiet: bool) -> None:
    from slipway.lint.findings import LintResult
    from slipway.lint.render import renderer

    assert isinstance(result, LintResult)
    if fmt == "text" and sys.stdout.isatty():
        from slipway.cli.output import console
        from slipway.lint.render.text import render

        console().print(render(result, color=True), end="")
        return
    text = renderer(fmt)(result)
    if fmt == "text" and quiet:
        text = "".join(text.splitlines(keepends=True)[:-1])
    sys.stdout.write(text)
