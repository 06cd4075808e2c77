"""A live `slipway serve` app on a free loopback port (uvicorn in a thread), and HTTP helpers."""

from __future__ import annotations

import json
import socket
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from slipway.config import Settings


@dataclass
class Reply:
    status: int
    body: bytes
    headers: dict[str, str]

    def json(self) -> Any:
        return json.loads(self.body)

    @property
    def text(self) -> str:
        return self.body.decode()


def fetch(url: str, headers: dict[str, str] | None = None, timeout: float = 30) -> Reply:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as resp:
            return Reply(resp.status, resp.read(), dict(resp.headers))
    except urllib.error.HTTPError as err:
        return Reply(err.code, err.read(), dict(err.headers))


def in_threads(count: int, work: Any, join_seconds: float = 120) -> None:
    """`work(i)` for i in range(count), each in its own thread, all joined."""
    threads = [threading.Thread(target=work, args=(i,)) for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(join_seconds)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def running(app: Any) -> Iterator[str]:
    import uvicorn

    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(
            app, host="127.0.0.1", port=port, log_level="warning", lifespan="on", access_log=False
        )
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(15)


def write_migration(project: Path, version: str, up: str) -> Path:
    path = project / "migrations" / f"{version}.sql"
    path.write_text(up, encoding="utf-8")
    (project / "migrations" / f"{version}.down.sql").write_text("SELECT 1;\n", encoding="utf-8")
    return path


def apply_all(settings: Settings) -> None:
    from slipway.db import connect
    from slipway.migrations.layouts import load_folder
    from slipway.migrations.runner import Engine

    with connect(settings) as conn:
        Engine(conn, settings, load_folder(settings.migrations_dir)).up()
