"""`slipway serve`: read-only metrics, readiness probes and a dashboard over HTTP.

from slipway.serve import serve
serve(settings, host="127.0.0.1", port=8077)        # blocks until Ctrl-C
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable

    from starlette.applications import Starlette

    from slipway.config import Settings

__all__ = ["build_app", "serve"]


def build_app(
    settings: Settings,
    *,
    token: str | None = None,
    ttl: float = 5.0,
    health_ttl: float = 60.0,
    host: str = "127.0.0.1",
    access_log: bool = False,
    on_stop: Callable[[], None] | None = None,
    ready_on_drift: str = "ignore",
    samples: str | None = None,
) -> Starlette:
    """The ASGI app for `settings`' database (pool opened on startup, closed on shutdown);
    without a token it answers only requests whose Host is loopback or `host`. `samples`
    (table | memory | off) overrides [serve] samples."""
    from slipway.db import server_url
    from slipway.serve.app import create_app
    from slipway.serve.source import DataSource

    source = DataSource(
        settings,
        server_url(settings),
        ttl=ttl,
        health_ttl=health_ttl,
        ready_on_drift=ready_on_drift,
        samples=samples,
    )
    return create_app(
        settings, source, token=token, host=host, access_log=access_log, on_stop=on_stop
    )


def serve(
    settings: Settings,
    *,
    host: str = "127.0.0.1",
    port: int = 8077,
    token: str | None = None,
    ttl: float = 5.0,
    access_log: bool = True,
    on_stop: Callable[[], None] | None = None,
    ready_on_drift: str = "ignore",
    samples: str | None = None,
) -> None:
    """Run the service in the foreground until SIGINT or SIGTERM (refuses a non-loopback
    host without a token); one access-log line per request on stderr unless turned off.
    On SIGTERM the process ends by that signal once stopped (exit status 143), as uvicorn
    does; `on_stop` runs first."""
    import uvicorn

    from slipway.serve.app import check_binding

    check_binding(host, token)
    app = build_app(
        settings,
        token=token,
        ttl=ttl,
        host=host,
        access_log=access_log,
        on_stop=on_stop,
        ready_on_drift=ready_on_drift,
        samples=samples,
    )
    # uvicorn's own access log prints the query string; ours does not (see access_log.py).
    uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False)
