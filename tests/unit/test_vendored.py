"""The vendored browser libraries are their pinned releases, unmodified, and ship in the wheel
(scripts/vendor.py fetches them; this checks what it wrote)."""

from __future__ import annotations

import hashlib
import importlib.util
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("vendor_script", ROOT / "scripts" / "vendor.py")
assert _spec is not None and _spec.loader is not None
vendor = importlib.util.module_from_spec(_spec)
sys.modules["vendor_script"] = vendor  # dataclasses look their module up by name
_spec.loader.exec_module(vendor)
# What the library says its version is, in its own text.
BANNERS = {"mermaid": 'version:"{v}"', "uplot": "(v{v})"}


@pytest.mark.parametrize("name", sorted(vendor.PACKAGES))
def test_each_vendored_folder_matches_its_sums_and_pin(name: str) -> None:
    package = vendor.PACKAGES[name]
    folder: Path = package.folder
    listed = {}
    for line in (folder / "SHA256SUMS").read_text(encoding="utf-8").splitlines():
        digest, file = line.split("  ")
        listed[file] = digest
        assert hashlib.sha256((folder / file).read_bytes()).hexdigest() == digest, file
    assert set(listed) == set(package.files.values())
    assert (folder / "VERSION").read_text(encoding="utf-8").strip() == package.version
    script = next(f for f in package.files.values() if f.endswith(".js"))
    assert BANNERS[name].format(v=package.version) in (folder / script).read_text("utf-8")
    assert "MIT License" in (folder / "LICENSE").read_text(encoding="utf-8")
    for file in package.inlined:
        text = (folder / file).read_text(encoding="utf-8").lower()
        assert "<script" not in text and "</script" not in text


def test_the_mermaid_pages_use_is_the_vendored_one() -> None:
    from slipway.report.diagrams import mermaid_js, mermaid_version

    assert mermaid_version() == f"mermaid@{vendor.PACKAGES['mermaid'].version}"
    assert len(mermaid_js()) > 1_000_000


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
    for package in vendor.PACKAGES.values():
        inside = package.folder.relative_to(ROOT / "src").as_posix()
        for file in [*package.files.values(), "SHA256SUMS", "VERSION"]:
            assert f"{inside}/{file}" in names
    assert "slipway/report/templates/document.html.j2" in names
