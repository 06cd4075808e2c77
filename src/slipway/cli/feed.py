"""`slipway feed import MAPPING FILE --tenant ID`: load a data feed through a declared mapping."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from slipway.cli.options import (
    DatabaseUrlOpt,
    FormatOpt,
    OutputFormat,
    QuietOpt,
    is_quiet,
    settings,
)

if TYPE_CHECKING:
    from slipway.feeds.importer import ImportResult

feed_app = typer.Typer(help="Import data feeds (TSV, CSV or an email with one attached).")
ERRORS_SHOWN = 25


@feed_app.command("import")
def import_cmd(
    ctx: typer.Context,
    mapping: Annotated[
        str, typer.Argument(help="Mapping name in the feeds folder, or a .toml path.")
    ],
    file: Annotated[Path, typer.Argument(help="The feed: .tsv, .csv, or .eml with it attached.")],
    tenant: Annotated[int, typer.Option("--tenant", "-t", help="Tenant id (e.g. the dealership).")],
    full: Annotated[
        bool,
        typer.Option(
            "--full", help="Full feed: rows of the tenant missing from it are deactivated."
        ),
    ] = False,
    strict: Annotated[
        bool,
        typer.Option("--strict", help="Exit 1 when any row was rejected (good rows still load)."),
    ] = False,
    fmt: FormatOpt = OutputFormat.text,
    database_url: DatabaseUrlOpt = None,
    quiet: QuietOpt = False,
) -> None:
    """Validate, stage with COPY and merge FILE in one transaction; print the statistics."""
    from slipway.db import connect
    from slipway.feeds.importer import import_feed
    from slipway.feeds.mapping import feeds_dir, find_mapping, load_mapping

    cfg = settings(ctx, database_url, None)
    spec = load_mapping(find_mapping(mapping, feeds_dir(cfg)))
    conn = connect(cfg)
    try:
        result = import_feed(conn, spec, file, tenant, full=full)
    finally:
        conn.close()
    if fmt == OutputFormat.json:
        from slipway.report.terminal import print_json

        print_json("feed-import", result.to_dict())
    elif not is_quiet(ctx, quiet):
        print_result(result, spec.table)
    if strict and result.error_rows:
        raise typer.Exit(1)


@feed_app.command("check")
def check_cmd(
    ctx: typer.Context,
    mapping: Annotated[
        str, typer.Argument(help="Mapping name in the feeds folder, or a .toml path.")
    ],
    file: Annotated[Path, typer.Argument(help="The feed: .tsv, .csv, or .eml with it attached.")],
    fmt: FormatOpt = OutputFormat.text,
) -> None:
    """Check FILE against the mapping without a database; exit 1 if any row is bad."""
    from slipway.config import load_settings
    from slipway.feeds.importer import check_feed
    from slipway.feeds.mapping import feeds_dir, find_mapping, load_mapping

    spec = load_mapping(find_mapping(mapping, feeds_dir(load_settings())))
    result = check_feed(spec, file)
    if fmt == OutputFormat.json:
        from slipway.report.terminal import print_json

        print_json(
            "feed-check",
            {k: v for k, v in result.to_dict().items() if k not in ("tenant", "log_id")},
        )
    else:
        good = result.rows - result.error_rows
        print(f"checked {result.source}: {result.rows} rows, {good} good, {result.error_rows} bad")
        print_errors(result)
    if result.error_rows:
        raise typer.Exit(1)


def print_result(result: ImportResult, table: str) -> None:
    mode = "full feed" if result.full else "partial feed"
    print(
        f"imported {result.source} into {table} for tenant {result.tenant} "
        f"({mode}, {result.rows} rows, {result.seconds:.2f} s)"
    )
    stats = "  ".join(f"{k} {v}" for k, v in result.stats().items())
    log = f"  (import log #{result.log_id})" if result.log_id else ""
    print(f"  {stats}{log}")
    print_errors(result)


def print_errors(result: ImportResult) -> None:
    for err in result.errors[:ERRORS_SHOWN]:
        column = err.column or "(row)"
        print(f"  line {err.line}: {column} = {err.value!r}: {err.reason}")
    if len(result.errors) > ERRORS_SHOWN:
        print(f"  ... and {len(result.errors) - ERRORS_SHOWN} more (use --format json for all)")


def register(app: typer.Typer) -> None:
    app.add_typer(feed_app, name="feed", rich_help_panel="Data")
