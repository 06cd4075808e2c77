#!/usr/bin/env python3
"""Re-fetch the vendored Mermaid browser build (src/slipway/report/vendor/) at a pinned version.

    python scripts/update_mermaid.py [VERSION]

Runs `npm pack mermaid@VERSION` (the npm registry through its own client), keeps the
single-file build `dist/mermaid.min.js` and the package's LICENSE, and records the version and
the file's sha256 in vendor/mermaid.sha256 (tests/unit/report/test_vendor.py checks it). Bump
PINNED here and run it to update; commit the three files together.
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

PINNED = "11.17.2"  # 11.x: 3.6 MB; 12.x's single file is 5.5 MB for the same two diagram kinds
VENDOR = Path(__file__).resolve().parents[1] / "src" / "slipway" / "report" / "vendor"


def main(version: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            ["npm", "pack", "--silent", f"mermaid@{version}"],
            cwd=tmp,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        (tarball,) = Path(tmp).glob("mermaid-*.tgz")
        with tarfile.open(tarball) as tar:
            script = tar.extractfile("package/dist/mermaid.min.js")
            license_file = tar.extractfile("package/LICENSE")
            assert script is not None and license_file is not None
            data, license_text = script.read(), license_file.read()
    # Inlined into <script>: an end tag or "<!--<script" in it would end or confuse the element.
    if b"</script" in data.lower() or b"<script" in data.lower():
        sys.exit("mermaid.min.js contains a script tag; slipway's inlining cannot embed it")
    (VENDOR / "mermaid.min.js").write_bytes(data)
    (VENDOR / "LICENSE.mermaid").write_bytes(license_text)
    digest = hashlib.sha256(data).hexdigest()
    (VENDOR / "mermaid.sha256").write_text(f"{digest}  mermaid.min.js  mermaid@{version}\n")
    print(f"mermaid {version}: {len(data):,} bytes, sha256 {digest}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else PINNED)
