"""`slipway serve`: metrics, readiness and a dashboard for the project's database."""

from __future__ import annotations

import os
from typing import Annotated

import typer

from slipway.cli.options import DatabaseUrlOpt, MigrationsOpt, settings


def serve_command(
    ctx: typer.Context,
    host: Annotated[
        str, typer.Option("--host", help="Address to bind (loopback by default).")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", "-p", help="Port to listen on.")] = 8077,
    token: Annotated[
        str | None,
        typer.Option(
            "--token",
            help="Require this bearer token / basic-auth password (env SLIPWAY_SERVE_TOKEN)."
            " Required when --host is not loopback.",
            show_default=False,
        ),
    ] = None,
    cache: Annotated[
        float, typer.Option("--cache", help="Seconds a database read is reused.")
    ] = 5.0,
    database_url: DatabaseUrlOpt = None,
    migrations: MigrationsOpt = None,
) -> None:
    """Serve /metrics (Prometheus), /healthz, /readyz and a dashboard at / (read-only)."""
    from slipway.cli.output import console
    from slipway.serve import serve
    from slipway.serve.app import check_binding

    token = token or os.environ.get("SLIPWAY_SERVE_TOKEN") or None
    check_binding(host, token)
    conf = settings(ctx, database_url, migrations)
    shown = f"[{host}]" if ":" in host else host
    console(stderr=True).print(
        f"slipway serve: http://{shown}:{port}/  (metrics at /metrics; Ctrl-C to stop)"
    )
    serve(conf, host=host, port=port, token=token, ttl=cache)


def register(app: typer.Typer) -> None:
    app.command("serve")(serve_command)
