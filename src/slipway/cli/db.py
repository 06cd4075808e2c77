"""`slipway db`: the database slipway would use, and the embedded server's lifecycle."""

from __future__ import annotations

import typer

from slipway.cli.options import DatabaseUrlOpt, settings

db_app = typer.Typer(help="The database slipway uses; start, stop and locate the embedded one.")


@db_app.command("url")
def url(
    ctx: typer.Context,
    database_url: DatabaseUrlOpt = None,
    show_password: bool = typer.Option(False, "--show-password", help="Print the password too."),
) -> None:
    """Print the URL of the database slipway uses (starting the embedded one if needed)."""
    from slipway.db import mask_url, server_url

    value = server_url(settings(ctx, database_url, None))
    print(value if show_password else mask_url(value))


@db_app.command("start")
def start(ctx: typer.Context) -> None:
    """Start the project's embedded PostgreSQL (data in .slipway/)."""
    from slipway.db import start_embedded

    cfg = settings(ctx, None, None)
    print(start_embedded(cfg.project_dir))


@db_app.command("stop")
def stop(ctx: typer.Context) -> None:
    """Stop the project's embedded PostgreSQL."""
    from slipway.db import stop_embedded

    cfg = settings(ctx, None, None)
    if stop_embedded(cfg.project_dir):
        print("Stopped the embedded PostgreSQL.")
    else:
        print("The embedded PostgreSQL was not running.")


def register(app: typer.Typer) -> None:
    app.add_typer(db_app, name="db", rich_help_panel="Project")
