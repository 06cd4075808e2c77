"""Lint results cached for unchanged inputs, so a re-run (pre-commit, editor) is a lookup.

The key covers what a result depends on: the slipway version and the lint code (file sizes
and modification times, so an edited checkout invalidates it), the working directory (paths
are printed relative to it), the lint configuration and tenant column, and the name, size and
modification time (ns) of every entry of each linted folder (two levels of subfolders) and of
a named file's folder and the folder above it (its migration's history matters). Like ruff's cache it trusts
modification times; `--no-cache` bypasses it. Location: $SLIPWAY_CACHE_DIR, else
$XDG_CACHE_HOME/slipway, else ~/.cache/slipway. Unwritable? Then nothing is cached.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
from pathlib import Path
from typing import Any

from slipway.lint.findings import Finding, LintResult

KEEP = 64  # newest entries kept


def cache_dir() -> Path:
    explicit = os.environ.get("SLIPWAY_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "slipway"


def _stat_tree(hasher: Any, folder: str, depth: int = 1) -> None:
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError:
        hasher.update(f"missing {folder}\0".encode())
        return
    for entry in entries:
        try:
            info = entry.stat()
        except OSError:  # a dangling link or a loop: the link itself (the loader says what)
            info = entry.stat(follow_symlinks=False)
        hasher.update(f"{entry.name}\0{info.st_size}\0{info.st_mtime_ns}\0".encode())
        if depth and stat.S_ISDIR(info.st_mode) and not entry.name.startswith((".", "__")):
            _stat_tree(hasher, entry.path, depth - 1)


def fingerprint(targets: list[Path], config: dict[str, Any]) -> str:
    """The cache key of a lint of `targets` with `config` (settings that change the result)."""
    from slipway.version import __version__

    hasher = hashlib.blake2b(digest_size=20)
    code = Path(__file__).parent.parent  # the slipway package
    hasher.update(f"{__version__}\0{os.getcwd()}\0".encode())
    hasher.update(json.dumps(config, sort_keys=True, default=str).encode())
    for part in ("lint", "lint/rules", "report", "migrations", "sql"):  # sql: the parser
        _stat_tree(hasher, str(code / part), depth=0)
    for target in targets:  # as far as lint.sources looks: a folder's migrations/, a file's
        hasher.update(f"target {target}\0".encode())  # diesel folder's parent
        if target.is_dir():
            _stat_tree(hasher, str(target), depth=2)
        else:
            _stat_tree(hasher, str(target.parent))
            _stat_tree(hasher, str(target.parent.parent))
    return hasher.hexdigest()


def load(key: str) -> LintResult | None:
    try:
        data = json.loads((cache_dir() / f"lint-{key}.json").read_text(encoding="utf-8"))
        findings = [Finding.from_dict(f) for f in data["findings"]]
        return LintResult(findings, data["files"], data["migrations"], data["suppressed"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def store(key: str, result: LintResult) -> None:
    data = {
        "files": result.files,
        "migrations": result.migrations,
        "suppressed": result.suppressed,
        "findings": [f.to_dict() for f in result.findings],
    }
    folder = cache_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        tmp = folder / f".lint-{key}.{os.getpid()}.tmp"
        tmp.write_text(json.dumps(data), encoding="utf-8")
        tmp.replace(folder / f"lint-{key}.json")
        _prune(folder)
    except OSError:
        pass  # a cache that cannot be written is only slower


def _prune(folder: Path) -> None:
    entries = sorted(folder.glob("lint-*.json"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in entries[KEEP:]:
        old.unlink(missing_ok=True)
