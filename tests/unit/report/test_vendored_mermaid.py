"""The vendored Mermaid build is the one scripts/update_mermaid.py recorded, and ships in the
wheel with its licence."""

from __future__ import annotations

import hashlib
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from slipway.report.diagrams import VENDOR, mermaid_js, mermaid_version

ROOT = Path(__file__).resolve().parents[3]


def test_the_file_matches_its_recorded_sha256_and_version() -> None:
    digest, name, version = (VENDOR / "mermaid.sha256").read_text().split()
    data = (VENDOR / name).read_bytes()
    assert hashlib.sha256(data).hexdigest() == digest
    assert version == mermaid_version() and f'version:"{version.split("@")[1]}"'.encode() in data
    assert "MIT License" in (VENDOR / "LICENSE.mermaid").read_text()
    assert "<script" not in mermaid_js().lower() and "</script" not in mermaid_js().lower()


@pytest.mark.slow
def test_the_wheel_carries_the_vendored_files(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(ROOT)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    if done.returncode != 0 and "matching distribution" in done.stderr:  # no package index
        pytest.skip(f"cannot build a wheel here: {done.stderr.strip().splitlines()[-1]}")
    assert done.returncode == 0, done.stderr[-2000:]
    (wheel,) = tmp_path.glob("slipway-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for name in ("mermaid.min.js", "mermaid.sha256", "LICENSE.mermaid"):
        assert f"slipway/report/vendor/{name}" in names
    assert "slipway/report/templates/document.html.j2" in names
