"""`slipway serve`: metrics, readiness and a dashboard for the project's database."""

from __future__ import annotations

from enum import Enum
from typing import Annotated

import typer

from slipway.cli.options import DatabaseUrlOpt, MigrationsOpt, settings


class DriftPolicy(str, Enum):
    ignore = "ignore"
    fail = "fail"


class SampleStore(str, Enum):
    table = "table"
    memory = "memory"
    off = "off"


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
            envvar="SLIPWAY_SERVE_TOKEN",
            help="Require this bearer token / basic-auth password. Prefer the environment"
            " variable SLIPWAY_SERVE_TOKEN (a command line is visible in ps). Required when"
            " --host is not loopback; without it only loopback Host headers are answered.",
            show_default=False,
        ),
    ] = None,
    cache: Annotated[
        float, typer.Option("--cache", help="Seconds a database read is reused.")
    ] = 5.0,
    access_log: Annotated[
        bool,
        typer.Option(
            "--access-log/--no-access-log",
            help="One line per request on stderr: time, client, method, path, status,"
            " duration (never the query string or headers).",
        ),
    ] = True,
    ready_on_drift: Annotated[
        DriftPolicy,
        typer.Option(
            "--ready-on-drift",
            help="fail: /readyz also answers 503 while the live schema differs from what its"
            " applied migrations produce (checked on a scratch database, at most once a"
            " minute); ignore: drift does not affect readiness.",
        ),
    ] = DriftPolicy.ignore,
    samples: Annotated[
        SampleStore | None,
        typer.Option(
            "--samples",
            help="Where the dashboard's samples (sizes, dead tuples, cache hits, connections,"
            " lock waits; one every [serve] sample_interval, 60s by default) are kept:"
            " table: in [serve] samples_table (slipway_serve_samples), older than"
            " sample_retention (7d) deleted in batches; memory: in this process only, never a"
            " write; off: not taken. Default: [serve] samples, else table. A role that cannot"
            " write the table falls back to memory with one line on stderr.",
            show_default=False,
        ),
    ] = None,
    database_url: DatabaseUrlOpt = None,
    migrations: MigrationsOpt = None,
) -> None:
    """Serve /metrics (Prometheus), /healthz, /readyz and a dashboard at / with charts.

    Requests never write; the only write is the sampler's, to its own table (see --samples).
    Without a token, requests whose Host header is not loopback (localhost, 127.0.0.1, [::1]
    or the --host address) get 400, so a web page cannot reach it by DNS rebinding. Heavy
    pages are cached like /metrics; a busy connection pool is a 503 with Retry-After.
    SIGINT or SIGTERM stops it gracefully (requests in flight finish) with one line; after
    SIGTERM the exit status is the signal's (143), as for any process it ends.
    """
    from slipway.report.terminal import console
    from slipway.serve import serve
    from slipway.serve.app import check_binding

    token = token or None
    check_binding(host, token)
    conf = settings(ctx, database_url, migrations)
    shown = f"[{host}]" if ":" in host else host
    console(stderr=True).print(
        f"slipway serve: http://{shown}:{port}/  (metrics at /metrics; Ctrl-C to stop)"
    )
    serve(
        conf,
        host=host,
        port=port,
        token=token,
        ttl=cache,
        access_log=access_log,
        on_stop=lambda: console(stderr=True).print("slipway serve: stopped"),
        ready_on_drift=ready_on_drift.value,
        samples=samples.value if samples else None,
    )


def register(app: typer.Typer) -> None:
    app.command("serve")(serve_command)
