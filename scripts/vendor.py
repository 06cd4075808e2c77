#!/usr/bin/env python3
"""Re-fetch the vendored browser libraries at their pinned releases.

    python scripts/vendor.py            # every package
    python scripts/vendor.py mermaid    # one

Each package comes from the npm registry (`npm pack NAME@VERSION`) and is refused unless the
tarball's sha256 is the pinned one. The files kept are copied into the package's folder with
SHA256SUMS and VERSION beside them (tests/unit/test_vendored.py checks each folder against
them and these pins). To move to a newer release, change its version and tarball pin here,
rerun, and commit the folder with the pins.
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "slipway"


@dataclass(frozen=True)
class Package:
    version: str
    tarball_sha256: str
    files: dict[str, str]  # path in the npm package -> name in the vendored folder
    folder: Path
    # Files inlined into a <script> element: an end tag or "<!--<script" in one would end or
    # confuse the element, so such a build is refused.
    inlined: tuple[str, ...] = ()


PACKAGES = {
    # 11.x: 3.6 MB; 12.x's single file is 5.5 MB for the same two diagram kinds.
    "mermaid": Package(
        "11.17.2",
        "6ad2f42c3fc26bbf9e45cbb6d11898972573ea52b33a5f4ff51952899f950ffd",
        {"package/dist/mermaid.min.js": "mermaid.min.js", "package/LICENSE": "LICENSE"},
        SRC / "report" / "vendor" / "mermaid",
        inlined=("mermaid.min.js",),
    ),
    "uplot": Package(
        "1.6.32",
        "4b8a8191e425658e3ea8c8c1314b0fc679c861ee3a1af2b20c7b16ba50b5133d",
        {
            "package/dist/uPlot.iife.min.js": "uPlot.iife.min.js",
            "package/dist/uPlot.min.css": "uPlot.min.css",
            "package/LICENSE": "LICENSE",
        },
        SRC / "serve" / "static" / "uplot",
    ),
}


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def vendor(name: str, package: Package) -> str | None:
    """Fetch and copy one package; the reason when it was refused."""
    with tempfile.TemporaryDirectory() as tmp:
        done = subprocess.run(
            ["npm", "pack", f"{name}@{package.version}", "--silent"],
            cwd=tmp,
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            return f"npm pack {name}@{package.version} failed: {done.stderr.strip()}"
        tarball = Path(tmp) / done.stdout.strip().splitlines()[-1]
        got = sha256(tarball.read_bytes())
        if got != package.tarball_sha256:
            return (
                f"{tarball.name} has sha256 {got}, not the pinned {package.tarball_sha256}:"
                " refused (update the pin only for a release you checked)"
            )
        contents: dict[str, bytes] = {}
        with tarfile.open(tarball) as archive:
            for member, target in package.files.items():
                extracted = archive.extractfile(member)
                if extracted is None:
                    return f"{member} is missing from {tarball.name}"
                contents[target] = extracted.read()
    for target in package.inlined:
        lowered = contents[target].lower()
        if b"<script" in lowered or b"</script" in lowered:
            return f"{target} contains a script tag: it cannot be inlined into a page"
    package.folder.mkdir(parents=True, exist_ok=True)
    for target, data in contents.items():
        (package.folder / target).write_bytes(data)
    sums = "".join(f"{sha256(data)}  {target}\n" for target, data in sorted(contents.items()))
    (package.folder / "SHA256SUMS").write_text(sums, encoding="utf-8")
    (package.folder / "VERSION").write_text(f"{package.version}\n", encoding="utf-8")
    return None


def main(names: list[str]) -> int:
    for name in names or list(PACKAGES):
        if name not in PACKAGES:
            print(f"unknown package {name!r}; one of {', '.join(PACKAGES)}", file=sys.stderr)
            return 2
        refused = vendor(name, PACKAGES[name])
        if refused:
            print(refused, file=sys.stderr)
            return 1
        print(f"vendored {name} {PACKAGES[name].version} into {PACKAGES[name].folder}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
