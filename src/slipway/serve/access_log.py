"""One line per request on stderr: time, client, method, path, status, duration.

The query string and every header are left out: a token may travel in either (basic auth,
a `?token=` a proxy adds), and an access log is read by more people than the service.
"""

from __future__ import annotations

import sys
import time
from datetime import UTC, datetime
from typing import Any, TextIO

Scope = dict[str, Any]
Message = dict[str, Any]


class AccessLog:
    """ASGI middleware, outermost, so refused requests (400, 401) are logged too."""

    def __init__(self, app: Any, stream: TextIO | None = None) -> None:
        self.app = app
        self.stream = stream

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        status = 500  # an exception before the response started

        async def record_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, record_status)
        finally:
            self._write(scope, status, time.perf_counter() - start)

    def _write(self, scope: Scope, status: int, seconds: float) -> None:
        client = scope.get("client")
        who = client[0] if client else "-"
        stamp = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        line = f"{stamp} {who} {scope['method']} {scope['path']} {status} {seconds * 1000:.1f}ms"
        stream = self.stream or sys.stderr  # the stderr of the moment (tests swap it)
        print(line, file=stream, flush=True)
