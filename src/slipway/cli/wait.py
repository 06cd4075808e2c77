"""`slipway wait`: block until the configured database accepts connections (as `dbmate wait`)."""

from __future__ import annotations

from typing import Annotated

import typer

from slipway.cli.options import DatabaseUrlOpt, QuietOpt, is_quiet, settings


def wait(
    ctx: typer.Context,
    timeout: Annotated[
        str, typer.Option("--timeout", "-t", help="Give up after this long (60s, 500ms, 2m).")
    ] = "60s",
    database_url: DatabaseUrlOpt = None,
    quiet: QuietOpt = False,
) -> None:
    """Wait until the configured database accepts connections (--timeout, default 60s).

    Retries quickly at first, then once a second; prints one line when the database is ready
    (exit 0) or, on timeout, the last error (exit 1). A server that rejects the password is not
    waited for (exit 2). With no server configured there is nothing to wait for: the embedded
    PostgreSQL is not started here, but by the command that needs it.
    """
    from slipway.config import parse_duration
    from slipway.db import (
        EMBEDDED_DIR,
        NO_SERVER_NAMED,
        database_label,
        embedded_running,
        wait_until_ready,
    )

    seconds = parse_duration(timeout, "--timeout")
    cfg = settings(ctx, database_url, None)
    quiet = is_quiet(ctx, quiet)
    if cfg.database_url is None:
        state = "running" if embedded_running(cfg.project_dir) else "not running"
        if not quiet:
            print(
                f"nothing to wait for: {NO_SERVER_NAMED}; the embedded PostgreSQL in "
                f"{EMBEDDED_DIR}/ ({state}) is started by the command that needs it "
                "(`slipway db start` starts it now)"
            )
        return
    took, attempts = wait_until_ready(cfg.database_url, seconds)
    if not quiet:
        tries = f", {attempts} attempts" if attempts > 1 else ""
        print(f"ready after {took:.1f} s{tries}: {database_label(cfg, cfg.database_url)}")


def register(app: typer.Typer) -> None:
    app.command(rich_help_panel="Project")(wait)
