"""Headless Chromium over the DevTools protocol on a pipe (stdlib only, no driver package).

`chromium --remote-debugging-pipe` reads JSON commands on fd 3 and answers on fd 4, each
message ending in NUL. The tests open a page at a window width, wait until the page says
it is ready, evaluate JavaScript in it and take PNG screenshots; the dashboard test's
`--dump-dom` cannot size the window per check or measure layout.
"""

from __future__ import annotations

import base64
import fcntl
import json
import os
import select
import shutil
import subprocess
import sys
import time
from pathlib import Path
from types import TracebackType
from typing import Any, Self

TIMEOUT = 120  # seconds without a message from the browser: it hangs
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
    "--hide-scrollbars",
]


def artifacts_dir(default: Path) -> Path:
    """Where screenshots go: $SLIPWAY_TEST_ARTIFACTS when set, else `default` (a tmp dir)."""
    path = Path(os.environ.get("SLIPWAY_TEST_ARTIFACTS") or default)
    path.mkdir(parents=True, exist_ok=True)
    return path


class Browser:
    def __init__(self, profile: Path) -> None:
        assert CHROMIUM is not None
        to_child, self._write = os.pipe()
        self._read, from_child = os.pipe()
        # A small Python trampoline gives the pipe ends fd numbers 3 and 4 in the browser (no
        # preexec_fn; dash cannot name fds above 9); they are moved above 9 first, so placing
        # one cannot overwrite the other.
        high = [fcntl.fcntl(fd, fcntl.F_DUPFD, 10) for fd in (to_child, from_child)]
        os.close(to_child)
        os.close(from_child)
        wire = (
            "import os, sys; os.dup2(int(sys.argv[1]), 3); os.dup2(int(sys.argv[2]), 4); "
            "os.closerange(5, 4096); os.execv(sys.argv[3], sys.argv[3:])"
        )
        command = [CHROMIUM, *FLAGS, "--remote-debugging-pipe", f"--user-data-dir={profile}"]
        self._proc = subprocess.Popen(
            [sys.executable, "-c", wire, *map(str, high), *command],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            pass_fds=tuple(high),
        )
        for fd in high:
            os.close(fd)
        self._buffer = b""
        self._id = 0
        target = self.call("Target.createTarget", url="about:blank")["targetId"]
        attached = self.call("Target.attachToTarget", targetId=target, flatten=True)
        self._session = attached["sessionId"]

    def call(self, method: str, **params: Any) -> dict[str, Any]:
        self._id += 1
        message: dict[str, Any] = {"id": self._id, "method": method, "params": params}
        if method.split(".")[0] not in ("Target", "Browser"):
            message["sessionId"] = self._session
        os.write(self._write, json.dumps(message).encode() + b"\0")
        while True:
            answer = self._next()
            if answer.get("id") == self._id:
                assert "error" not in answer, f"{method}: {answer['error']}"
                result: dict[str, Any] = answer.get("result", {})
                return result

    def _next(self) -> dict[str, Any]:
        while b"\0" not in self._buffer:
            ready, _, _ = select.select([self._read], [], [], TIMEOUT)
            assert ready, f"chromium sent nothing for {TIMEOUT} s"
            chunk = os.read(self._read, 1 << 20)
            assert chunk, "chromium closed the DevTools pipe"
            self._buffer += chunk
        raw, _, self._buffer = self._buffer.partition(b"\0")
        message: dict[str, Any] = json.loads(raw)
        return message

    def open(self, url: str, width: int, height: int = 900) -> None:
        self.call(
            "Emulation.setDeviceMetricsOverride",
            width=width,
            height=height,
            deviceScaleFactor=1,
            mobile=False,
        )
        # marks the page being left, so a wait cannot mistake it for the new one
        self.evaluate("document.documentElement.dataset.stale = '1'")
        self.call("Page.navigate", url=url)

    def evaluate(self, expression: str) -> Any:
        """The value of `expression` in the page (a promise is awaited)."""
        result = self.call(
            "Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True
        )
        assert "exceptionDetails" not in result, result["exceptionDetails"]
        return result["result"].get("value")

    def wait_for(self, expression: str, timeout: float = 60) -> Any:
        """Evaluate until the value is truthy (the page has loaded and done its work)."""
        deadline = time.monotonic() + timeout
        while True:
            value = self.evaluate(expression)
            if value or time.monotonic() > deadline:
                return value
            time.sleep(0.1)

    def screenshot(self, path: Path, clip_height: int = 0) -> Path:
        """The viewport, or the page's first `clip_height` pixels when given."""
        params: dict[str, Any] = {"format": "png"}
        if clip_height:
            width = self.evaluate("document.documentElement.scrollWidth")
            height = min(clip_height, self.evaluate("document.documentElement.scrollHeight"))
            params.update(
                clip={"x": 0, "y": 0, "width": width, "height": height, "scale": 1},
                captureBeyondViewport=True,
            )
        data = self.call("Page.captureScreenshot", **params)["data"]
        path.write_bytes(base64.b64decode(data))
        return path

    def close(self) -> None:
        try:
            self.call("Browser.close")
        except AssertionError:
            pass
        os.close(self._write)
        os.close(self._read)
        try:
            self._proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._proc.kill()
            self._proc.wait()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()
