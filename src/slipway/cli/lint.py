"""`slipway lint`: parse, replay and check migrations; print findings in the chosen format."""

from __future__ import annotations

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
    md = "md"
    html = "html"


class FailOn(str, Enum):
    error = "error"
    warning = "warning"


def register(app: typer.Typer) -> None:
    app.command("lint")(lint_command)


def lint_command(
    ctx: typer.Context,
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            help="A migrations folder (any layout), one migration's folder, the project folder, "
            "or .sql files (linted with the migrations before them); - reads stdin. "
            "Default: the project's migrations folder.",
            show_default=False,
        ),
    ] = None,
    fmt: Annotated[
        LintFormat, typer.Option("--format", "-f", case_sensitive=False, help="Output format.")
    ] = LintFormat.text,
    fail_on: Annotated[
        FailOn,
        typer.Option(
            "--fail-on", case_sensitive=False, help="Exit 1 when a finding is at least this severe."
        ),
    ] = FailOn.error,
    explain: Annotated[
        str | None,
        typer.Option("--explain", metavar="RULE", help="Print a rule's documentation and exit."),
    ] = None,
    list_rules: Annotated[bool, typer.Option("--list", help="List the rules and exit.")] = False,
    docs: Annotated[
        bool, typer.Option("--docs", help="Print docs/rules.md (Markdown for every rule) and exit.")
    ] = False,
    no_cache: Annotated[
        bool, typer.Option("--no-cache", help="Lint even if an unchanged result is cached.")
    ] = False,
    stats: Annotated[
        Path | None,
        typer.Option(
            "--stats",
            metavar="SNAPSHOT",
            help="A statistics snapshot from production (slipway doctor --save-stats FILE): a "
            "rewrite or full scan of a large table becomes an error with its estimated "
            "duration, of an empty table info; each such finding says the size it used.",
        ),
    ] = None,
    migrations: MigrationsOpt = None,
    quiet: QuietOpt = False,
) -> None:
    """Lint migrations for locking hazards, tenancy gaps and broken rollbacks."""
    if explain or list_rules or docs:
        _print_docs(explain, list_rules)
        return
    from slipway.lint.run import run

    code = run(
        list(paths or []),
        fmt.value,
        fail_on.value,
        settings(ctx, None, migrations),
        quiet=is_quiet(ctx, quiet),
        use_cache=not no_cache,
        stats=stats,
    )
    raise typer.Exit(code)


def _print_docs(explain: str | None, list_rules: bool) -> None:
    from slipway.lint.docs import print_docs

    print_docs(explain, list_rules)
