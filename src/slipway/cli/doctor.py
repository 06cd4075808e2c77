"""`slipway doctor`: the health and integrity report of the live database."""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from slipway.cli.options import DatabaseUrlOpt, MigrationsOpt, settings
from slipway.errors import ConfigError

if TYPE_CHECKING:
    from slipway.report.model import Report


class ReportFormat(str, Enum):
    text = "text"
    md = "md"
    html = "html"
    json = "json"
    sarif = "sarif"
    github = "github"


class FailOn(str, Enum):
    warn = "warn"
    fail = "fail"
    never = "never"


def doctor(
    ctx: typer.Context,
    fmt: Annotated[
        ReportFormat, typer.Option("--format", "-f", help="Report format.", case_sensitive=False)
    ] = ReportFormat.text,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write the report to this file.")
    ] = None,
    fail_on: Annotated[
        FailOn, typer.Option("--fail-on", help="Exit 1 when the verdict is this bad or worse.")
    ] = FailOn.fail,
    load: Annotated[
        int,
        typer.Option(
            "--load", min=0, max=500, help="Run N concurrent clients (CRUD mix, rolled back)."
        ),
    ] = 0,
    load_seconds: Annotated[
        float, typer.Option("--load-seconds", min=0.5, max=600, help="How long the load test runs.")
    ] = 5.0,
    no_crud: Annotated[
        bool,
        typer.Option(
            "--no-crud",
            help="Skip the CRUD and cascade "
            "validation (which writes in a rolled-back "
            "transaction).",
        ),
    ] = False,
    crud_tables: Annotated[
        int,
        typer.Option(
            "--crud-tables",
            min=0,
            help="Validate CRUD on at most this many tables below the tenant root (0: all).",
        ),
    ] = 100,
    save_stats: Annotated[
        Path | None,
        typer.Option(
            "--save-stats",
            metavar="FILE",
            help="Also write the statistics the checks read (row estimates, sizes, scans, "
            "vacuum and analyze times, ages per table and index) to FILE as JSON "
            '({"format": "slipway-stats", "version": 1}).',
        ),
    ] = None,
    list_checks: Annotated[
        bool, typer.Option("--list", help="List the checks (code, name, why, fix) and exit.")
    ] = False,
    database_url: DatabaseUrlOpt = None,
    migrations: MigrationsOpt = None,
) -> None:
    """Check the live database's health and integrity: schema, relationships, migrations,
    connection, security (RLS), performance, maintenance, CRUD and cascades, optional load."""
    if list_checks:
        from slipway.health.docs import describe_checks

        sys.stdout.write(describe_checks(fmt.value))
        return
    from slipway.health.engine import DoctorOptions, diagnose
    from slipway.report import render

    options = DoctorOptions(
        crud=not no_crud, crud_tables=crud_tables, load_clients=load, load_seconds=load_seconds
    )
    report = diagnose(settings(ctx, database_url, migrations), options)
    if save_stats is not None:
        _save_stats(report, save_stats)
    from slipway.report.terminal import color_enabled

    color = output is None and fmt is ReportFormat.text and color_enabled()
    _emit(render(report, fmt.value, color=color), output, report.verdict)
    bad = {"warn": ("warn", "fail"), "fail": ("fail",), "never": ()}[fail_on.value]
    if report.status in bad:
        raise typer.Exit(1)


def _save_stats(report: Report, path: Path) -> None:
    from slipway.catalog.stats import save_statistics

    if report.statistics is None:
        notes = (n for c in report.checks for n in c.notes)
        why = next((n for n in notes if n.startswith("could not read stats")), "")
        raise ConfigError(
            f"no statistics to save to {path}" + (f": {why}" if why else ""),
            hint="connect as a role that may read pg_stat_* and pg_class",
        )
    save_statistics(report.statistics, path)
    tables, indexes = len(report.statistics.tables), len(report.statistics.indexes)
    print(f"statistics of {tables} tables and {indexes} indexes written to {path}",
          file=sys.stderr)  # fmt: skip


def _emit(text: str, output: Path | None, verdict: str) -> None:
    """The report to stdout, or to --output with the verdict on stderr."""
    if output is None:
        sys.stdout.write(text)
        return
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise ConfigError(
            f"cannot write the report to {output}: {exc.strerror}",
            hint="pick a writable path for --output",
        ) from exc
    print(f"{verdict}: report written to {output}", file=sys.stderr)


def register(app: typer.Typer) -> None:
    app.command("doctor")(doctor)
