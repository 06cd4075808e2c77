"""`slipway serve`: /metrics, /healthz, /readyz and a dashboard, read-only, on Starlette.

Loopback by default. Bound anywhere else it refuses to start without a token, then accepts
`Authorization: Bearer <token>` or HTTP basic auth with the token as password. /healthz
stays open (it says only that the process is up) so orchestrators can probe it. Without a
token only loopback names are accepted in the Host header, so a web page cannot reach the
service through DNS rebinding. A busy pool is a 503 with Retry-After, never a 500.
"""

from __future__ import annotations

import base64
import contextlib
import hmac
import ipaddress
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.middleware.base import BaseHTTPMiddleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from slipway.config import Settings
from slipway.errors import ConfigError
from slipway.report.json_formats import versioned
from slipway.serve.access_log import AccessLog
from slipway.serve.cache import SingleFlight
from slipway.serve.source import DataSource, Rendered

TEMPLATES = Path(__file__).parent / "templates"
STATIC = Path(__file__).parent / "static"  # the vendored chart library (scripts/vendor.py)
OPEN_PATHS = ("/healthz",)
RETRY_AFTER = 5  # seconds a client refused for a busy pool is told to wait
CSP = (
    "default-src 'none'; style-src 'self' 'unsafe-inline'; script-src 'self' 'unsafe-inline'; "
    "img-src data:; connect-src 'self'; base-uri 'none'; form-action 'none'"
)


def is_loopback(host: str) -> bool:
    if host in ("localhost", "localhost.localdomain"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def loopback_hosts(bound: str) -> list[str]:
    """Host header values accepted without a token: loopback names and the bound address."""
    bound = f"[{bound.strip('[]')}]" if ":" in bound else bound
    return sorted({"localhost", "127.0.0.1", "[::1]", bound.lower()})


def check_binding(host: str, token: str | None) -> None:
    if not is_loopback(host) and not token:
        raise ConfigError(
            f"serving on {host} needs a token: pass --token or set SLIPWAY_SERVE_TOKEN"
            " (or bind to 127.0.0.1)"
        )


def _authorized(header: str, token: str) -> bool:
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "bearer":
        return hmac.compare_digest(value.strip().encode(), token.encode())
    if scheme.lower() == "basic":
        try:
            _, _, password = base64.b64decode(value.strip()).decode().partition(":")
        except ValueError:
            return False
        return hmac.compare_digest(password.encode(), token.encode())
    return False


class TokenAuth(BaseHTTPMiddleware):
    def __init__(self, app: Any, token: str) -> None:
        super().__init__(app)
        self.token = token

    async def dispatch(
        self, request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        if request.url.path in OPEN_PATHS or _authorized(
            request.headers.get("authorization", ""), self.token
        ):
            return await call_next(request)
        return PlainTextResponse(
            "authentication required\n",
            status_code=401,
            headers={"WWW-Authenticate": 'Basic realm="slipway"'},
        )


def readiness(source: DataSource) -> tuple[bool, dict[str, Any]]:
    """Ready when the database answers and no migration is pending or modified (and, with
    ready_on_drift "fail", the schema has not drifted from its applied migrations)."""
    snap = source.probe.get()  # the probes' own connection: a busy pool is not "unreachable"
    reasons: list[str] = []
    if not snap.reachable:
        reasons.append(f"database unreachable: {snap.error}")
    elif snap.migrations is None:
        reasons.append(f"migration status unknown: {snap.migrations_error}")
    else:
        for m in snap.migrations:
            if m["state"] in ("pending", "modified"):
                reasons.append(f"migration {m['version']} {m['name']} is {m['state']}")
    drift: dict[str, Any] | None = None
    if source.ready_on_drift == "fail" and snap.reachable:
        view = source.drift.get()
        drift = {"changes": view.changes, "error": view.error}
        if view.error:
            reasons.append(f"schema drift unknown: {view.error}")
        elif view.changes:
            reasons.append(
                f"schema drift: {len(view.changes)} difference(s) from the applied migrations"
                f" (first: {view.changes[0]}); see `slipway diff`"
            )
    body = {
        "ready": not reasons,
        "reasons": reasons,
        "database": source.label,
        "checked_at": datetime.fromtimestamp(snap.collected_at).astimezone().isoformat(),
        "migrations": snap.migration_counts() if snap.migrations is not None else None,
        "migration_lock_held": snap.lock_held,
    }
    if drift is not None:
        body["drift"] = drift
    return not reasons, body


def _dashboard_view(source: DataSource, pages: dict[str, Any]) -> Callable[[Request], Response]:
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape())
    env.filters["bytes"] = human_bytes
    env.filters["ago"] = ago
    env.filters["duration"] = duration
    env.filters["iso"] = lambda at: datetime.fromtimestamp(at, UTC).isoformat()
    env.filters["clock"] = lambda at: datetime.fromtimestamp(at, UTC).strftime("%H:%M:%S UTC")
    rank = {"fail": 0, "warn": 1, "pass": 2}

    def dashboard(request: Request) -> Response:
        from slipway.serve.charts import DEFAULT_WINDOW, WINDOWS

        window = request.query_params.get("window", DEFAULT_WINDOW)
        ready, why = readiness(source)
        health = source.health.get()
        checks = sorted(health.report.checks, key=lambda c: rank[c.status]) if health.report else []
        html = env.get_template("dashboard.html.j2").render(
            snap=source.snapshot.get(),
            health=health,
            checks=checks,
            ready=ready,
            why=why,
            label=source.label,
            pages=pages,
            refresh=max(5, int(source.snapshot.ttl * 2)),
            pool=source.pool_stats(),
            window=window if window in WINDOWS else DEFAULT_WINDOW,
            windows=list(WINDOWS),
            sampler=source.sampler.status(),
        )
        headers = {"Content-Security-Policy": CSP, "Cache-Control": "no-store"}
        return HTMLResponse(html, headers=headers)

    return dashboard


def busy(request: Request, exc: Exception) -> Response:
    """Any request that still waited too long for the pool: one line and when to retry."""
    return PlainTextResponse(
        "database busy: try again shortly\n",
        status_code=503,
        headers={"Retry-After": str(RETRY_AFTER)},
    )


def create_app(
    settings: Settings,
    source: DataSource,
    token: str | None = None,
    host: str = "127.0.0.1",
    access_log: bool = False,
    on_stop: Callable[[], None] | None = None,
) -> Starlette:
    """Routes, auth and the pool's lifetime; sync views run in Starlette's thread pool.
    `access_log`: one line per request on stderr (no query string, no headers); `on_stop`
    runs once the server has stopped taking requests and the pool is closed."""
    from psycopg_pool import PoolTimeout

    pages = optional_pages()

    def metrics_view(request: Request) -> Response:
        from slipway.serve.metrics import render

        body, content_type = render(source)
        return Response(body, media_type=content_type)

    def readyz(request: Request) -> Response:
        ready, body = readiness(source)
        return JSONResponse(versioned("serve-readyz", body), status_code=200 if ready else 503)

    async def healthz(request: Request) -> Response:
        return JSONResponse(versioned("serve-healthz", {"status": "up"}))

    async def charts(request: Request) -> Response:
        from slipway.serve.charts import DEFAULT_WINDOW, WINDOWS

        window = request.query_params.get("window", DEFAULT_WINDOW)
        if window not in WINDOWS:
            return JSONResponse(
                {"error": f"unknown window {window!r}: use one of {', '.join(WINDOWS)}"},
                status_code=400,
            )
        body = await run_in_threadpool(source.charts[window].get)
        return JSONResponse(body, headers={"Cache-Control": "no-store"})

    routes: list[BaseRoute] = [
        Route("/", _dashboard_view(source, pages)),
        Route("/metrics", metrics_view),
        Route("/healthz", healthz),
        Route("/readyz", readyz),
        Route("/api/charts", charts),
        Mount("/static", StaticFiles(directory=STATIC), name="static"),
    ]
    routes += [Route(path, _page_view(source.page(page))) for path, page in pages.items()]
    middleware = [Middleware(AccessLog)] if access_log else []
    if token:
        middleware.append(Middleware(TokenAuth, token=token))
    else:
        middleware.append(Middleware(TrustedHostMiddleware, allowed_hosts=loopback_hosts(host)))

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        source.open()
        try:
            yield
        finally:
            await run_in_threadpool(source.close)
            if on_stop is not None:
                on_stop()

    app = Starlette(
        routes=routes,
        middleware=middleware,
        lifespan=lifespan,
        exception_handlers={PoolTimeout: busy},
    )
    app.state.source = source
    return app


def _page_view(cache: SingleFlight[Rendered]) -> Callable[[Request], Awaitable[Response]]:
    async def view(request: Request) -> Response:
        page = await run_in_threadpool(cache.get)
        if page.html is None:
            return PlainTextResponse(
                f"page unavailable: {page.error}\n",
                status_code=503,
                headers={"Retry-After": str(RETRY_AFTER)},
            )
        return HTMLResponse(page.html)

    return view


def optional_pages() -> dict[str, Callable[..., str]]:
    """/guide and /docs when slipway.guide offers renderers (`render_guide_html(conn, settings)`,
    `render_docs_html(conn, settings)`); otherwise no route and no link."""
    import importlib

    out: dict[str, Callable[..., str]] = {}
    try:
        module = importlib.import_module("slipway.guide")
    except ImportError:
        return out
    for path, name in (("/guide", "render_guide_html"), ("/docs", "render_docs_html")):
        func = getattr(module, name, None)
        if callable(func):
            out[path] = func
    return out


def human_bytes(n: float) -> str:
    for unit in ("B", "kB", "MB", "GB", "TB"):
        if abs(n) < 1024 or unit == "TB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n:.1f} TB"


def duration(seconds: float) -> str:
    """60 -> "1 min", 604800 -> "7 d": the largest unit that divides it, else seconds."""
    for size, unit in ((86400, "d"), (3600, "h"), (60, "min")):
        if seconds >= size and seconds % size == 0:
            return f"{int(seconds // size)} {unit}"
    return f"{seconds:g} s"


def ago(value: datetime | float | None) -> str:
    if value is None:
        return "never"
    stamp = value.timestamp() if isinstance(value, datetime) else value
    seconds = max(0, int(time.time() - stamp))
    for size, unit in ((86400, "d"), (3600, "h"), (60, "min")):
        if seconds >= size:
            return f"{seconds // size} {unit} ago"
    return f"{seconds} s ago"
