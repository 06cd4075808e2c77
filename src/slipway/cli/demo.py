"""`slipway demo`: the Rylie reference platform on a fresh database, end to end."""

from __future__ import annotations

from typing import Annotated

import typer

from slipway.cli.options import DatabaseUrlOpt, settings


def demo(
    ctx: typer.Context,
    database_name: Annotated[
        str, typer.Option("--database-name", help="Name of the fresh database the demo creates.")
    ] = "rylie_demo",
    serve: Annotated[
        bool, typer.Option("--serve", help="Afterwards, serve the dashboard until Ctrl-C.")
    ] = False,
    port: Annotated[int, typer.Option("--port", help="Dashboard port for --serve.")] = 8077,
    database_url: DatabaseUrlOpt = None,
) -> None:
    """Create a fresh database on the embedded PostgreSQL (or DATABASE_URL's server), apply the
    Rylie migrations, load seed data, import the inventory feed, show tenant isolation, a
    maintenance run and then the health report, and say where to look next."""
    from slipway.db import mask_url, server_url
    from slipway.demo import Demo, DemoStep
    from slipway.report.terminal import console

    cfg = settings(ctx, database_url, None)
    out = console()
    where = {
        "embedded": "the embedded PostgreSQL in .slipway/",
        "flag": "the server given by --database-url",
        "DATABASE_URL": "the server in DATABASE_URL",
    }.get(cfg.database_source, f"the server in {cfg.database_source}")
    out.print(f"[bold]slipway demo[/] — the Rylie reference platform, on {where}")
    demo_run = Demo(server_url(cfg), database_name)
    failed = []

    def show(step: DemoStep) -> None:
        mark = "[green]✓[/]" if step.ok else "[red]✗[/]"
        out.print(f"{mark} [bold]{step.title}[/] ({step.seconds:.1f}s)")
        for line in step.lines:
            out.print(f"    {line}", markup=False, highlight=False)
        if not step.ok:
            failed.append(step.title)

    demo_run.run(show)
    url = mask_url(demo_run.url)
    project = demo_run.project
    out.print("\n[bold]Next[/]")
    for line in (
        f"slipway status --database-url '{url}' --migrations {project / 'migrations'}",
        f"slipway lint {project / 'migrations'}",
        f"slipway doctor --database-url '{url}' --format html --output rylie-health.html",
        f"slipway feed import {project / 'feeds' / 'vehicles.toml'} {project / 'data' / 'inventory_feed.tsv'} --tenant 2 --database-url '{url}'",
        (
            f"slipway serve --database-url '{url}' --migrations {project / 'migrations'}"
            f"   # dashboard at http://127.0.0.1:{port}/"
        ),
        f"psql '{url}'",
    ):
        out.print(f"  {line}", markup=False, highlight=False)
    if failed:
        out.print(f"[red]{len(failed)} step(s) failed: {', '.join(failed)}[/]")
        raise typer.Exit(1)
    if serve and demo_run.settings is not None:
        from slipway.serve import serve as run_server

        out.print(f"\nServing the dashboard at http://127.0.0.1:{port}/ (Ctrl-C to stop)")
        run_server(demo_run.settings, host="127.0.0.1", port=port)


def register(app: typer.Typer) -> None:
    app.command(rich_help_panel="Project")(demo)
