"""Update the vendored uPlot (src/slipway/serve/static/uplot/) to the pinned release.

    python tools/vendor_uplot.py

Fetches the release with `npm pack uplot@VERSION`, refuses it unless the tarball's sha256 is
TARBALL_SHA256, and copies the minified script, its stylesheet and the licence, writing
SHA256SUMS beside them (tests/unit/test_vendored_uplot.py checks the files against it). To
move to a newer release, change both pins in one commit and rerun.
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

VERSION = "1.6.32"
TARBALL_SHA256 = "4b8a8191e425658e3ea8c8c1314b0fc679c861ee3a1af2b20c7b16ba50b5133d"
FILES = {  # path in the npm package -> name in the vendored folder
    "package/dist/uPlot.iife.min.js": "uPlot.iife.min.js",
    "package/dist/uPlot.min.css": "uPlot.min.css",
    "package/LICENSE": "LICENSE",
}
TARGET = Path(__file__).resolve().parents[1] / "src" / "slipway" / "serve" / "static" / "uplot"


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        done = subprocess.run(
            ["npm", "pack", f"uplot@{VERSION}", "--silent"],
            cwd=tmp,
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            print(f"npm pack uplot@{VERSION} failed: {done.stderr.strip()}", file=sys.stderr)
            return 1
        tarball = Path(tmp) / done.stdout.strip().splitlines()[-1]
        got = sha256(tarball.read_bytes())
        if got != TARBALL_SHA256:
            print(
                f"uplot-{VERSION}.tgz has sha256 {got}, not the pinned {TARBALL_SHA256}:"
                " refusing it (update the pin only for a release you checked)",
                file=sys.stderr,
            )
            return 1
        TARGET.mkdir(parents=True, exist_ok=True)
        sums = []
        with tarfile.open(tarball) as archive:
            for member, name in FILES.items():
                extracted = archive.extractfile(member)
                if extracted is None:
                    print(f"{member} is missing from the package", file=sys.stderr)
                    return 1
                data = extracted.read()
                (TARGET / name).write_bytes(data)
                sums.append(f"{sha256(data)}  {name}\n")
        (TARGET / "SHA256SUMS").write_text("".join(sums), encoding="utf-8")
        (TARGET / "VERSION").write_text(f"{VERSION}\n", encoding="utf-8")
    print(f"vendored uPlot {VERSION} into {TARGET}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
