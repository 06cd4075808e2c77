"""`slipway adopt`: take over a database another migration tool has been migrating. Thin."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from slipway.cli.migrate import DryRunOpt, engine_for
from slipway.cli.options import (
    DatabaseUrlOpt,
    FormatOpt,
    MigrationsOpt,
    OutputFormat,
    QuietOpt,
    is_quiet,
)


def adopt(
    ctx: typer.Context,
    from_tool: Annotated[
        str | None,
        typer.Option(
            "--from",
            help="The tool whose history to adopt: golang-migrate, dbmate, diesel, flyway, "
            "goose, graphile-migrate, node-pg-migrate, pop, prisma, sql-migrate, sqitch or "
            "tern. Default: the one whose history table exists.",
            show_default=False,
        ),
    ] = None,
    table: Annotated[
        str | None,
        typer.Option(
            "--table",
            help="Its history table when renamed, e.g. public.my_migrations (Sqitch: the "
            "registry schema).",
            show_default=False,
        ),
    ] = None,
    dry_run: DryRunOpt = False,
    fmt: FormatOpt = OutputFormat.text,
    database_url: DatabaseUrlOpt = None,
    migrations: MigrationsOpt = None,
    quiet: QuietOpt = False,
) -> None:
    """Record the migrations another tool applied as applied in slipway's history (audited)."""
    from slipway.migrations.adopt import adopt as run_adopt

    with engine_for(ctx, database_url, migrations, None, quiet) as engine:
        result = run_adopt(engine.conn, engine.settings, engine.mset, from_tool, table, dry_run)
    if fmt is OutputFormat.json:
        from slipway.report.terminal import print_json

        print_json("adopt", result.to_dict())
    elif not is_quiet(ctx, quiet):
        _print_text(result)


def _print_text(result: Any) -> None:
    verb = "Would adopt" if result.dry_run else "Adopted"
    count = len(result.adopted)
    print(
        f"{verb} {count} migration{'s' if count != 1 else ''} from {result.tool} "
        f"({result.table})" + (":" if count else ".")
    )
    for item in result.adopted:
        mig = item.migration
        print(f"  {mig.version} {mig.name} (recorded by {result.tool} as {item.recorded_as})")
    if result.already:
        print(f"Already recorded by slipway: {', '.join(result.already)}.")
    if count and not result.dry_run:
        print("Run `slipway status` to see them, `slipway up` to apply the newer ones.")


def register(app: typer.Typer) -> None:
    app.command()(adopt)
