"""The vendored uPlot is the pinned release, unmodified, and ships as package data."""

from __future__ import annotations

import hashlib
import re
import tomllib
from importlib import resources
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _pins() -> dict[str, str]:
    text = (ROOT / "tools" / "vendor_uplot.py").read_text(encoding="utf-8")
    return dict(re.findall(r'^(VERSION|TARBALL_SHA256) = "([^"]+)"', text, re.MULTILINE))


def test_vendored_files_match_their_sums_and_the_pinned_version() -> None:
    folder = resources.files("slipway.serve") / "static" / "uplot"
    sums = (folder / "SHA256SUMS").read_text(encoding="utf-8").splitlines()
    names = []
    for line in sums:
        digest, name = line.split("  ")
        assert hashlib.sha256((folder / name).read_bytes()).hexdigest() == digest, name
        names.append(name)
    assert sorted(names) == ["LICENSE", "uPlot.iife.min.js", "uPlot.min.css"]
    version = _pins()["VERSION"]
    assert (folder / "VERSION").read_text(encoding="utf-8").strip() == version
    banner = (folder / "uPlot.iife.min.js").read_text(encoding="utf-8")[:100]
    assert f"(v{version})" in banner
    assert "MIT License" in (folder / "LICENSE").read_text(encoding="utf-8")


def test_vendored_folder_is_package_data() -> None:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    data = pyproject["tool"]["setuptools"]["package-data"]
    assert "static/uplot/*" in data["slipway.serve"]
