"""Lint results cached for unchanged inputs, so a re-run (pre-commit, editor) is a lookup.

Two kinds of entry. A result (`lint-KEY.json`: the findings) serves any output format and
slipway.api. A printed output (`out-KEY`: the exit code and the exact text a command line
printed) lets the same command line, run again on unchanged files, print without loading
settings, the engine or a renderer: only this module and `os` are imported.

A result's key covers what it depends on: the slipway version and code (file sizes and
modification times, so an edited checkout invalidates it), the working directory (paths are
printed relative to it), the lint configuration and tenant column, and the name, size and
modification time (ns) of every entry of each linted folder (two levels of subfolders) and of
a named file's folder and the folder above it (its migration's history matters). An output's
key covers the version, code, working directory, the command line and the config files
(slipway.toml, pyproject.toml) by size and modification time; the entry records the folders
the run looked at and their stamp, checked again before it is printed. Like ruff's cache it
trusts modification times; `--no-cache` bypasses it. Location: $SLIPWAY_CACHE_DIR, else
$XDG_CACHE_HOME/slipway, else ~/.cache/slipway. Unwritable? Then nothing is cached.
"""

from __future__ import annotations

import os
import stat

TYPE_CHECKING = False  # not typing's: a warm run imports nothing it does not use

try:  # hashlib would load OpenSSL first (a few ms of a warm run); blake2 is built in
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - an interpreter without the builtin module
    from hashlib import blake2b

if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import Any

    from slipway.lint.findings import LintResult

KEEP = 64  # newest entries of each kind kept
_CODE = (  # the code a printed output depends on (templates: the HTML page)
    "",
    "lint",
    "lint/rules",
    "report",
    "report/templates",
    "report/vendor",
    "migrations",
    "sql",
    "cli",
)
_CONFIG_FILES = ("slipway.toml", "pyproject.toml")  # as slipway.config looks for them


def cache_dir() -> str:
    explicit = os.environ.get("SLIPWAY_CACHE_DIR")
    if explicit:
        return explicit
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "slipway")


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


def _base(hasher: Any) -> None:
    """The slipway version and code, and the working directory."""
    from slipway.version import __version__

    code = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))  # the slipway package
    hasher.update(f"{__version__}\0{os.getcwd()}\0".encode())
    for part in _CODE:
        _stat_tree(hasher, os.path.join(code, part), depth=0)


def _stamp_targets(hasher: Any, targets: Sequence[str]) -> None:
    for target in targets:  # as far as lint.sources looks: a folder's migrations/, a file's
        hasher.update(f"target {target}\0".encode())  # diesel folder's parent
        if os.path.isdir(target):
            _stat_tree(hasher, target, depth=2)
        else:
            parent = os.path.dirname(target) or "."
            _stat_tree(hasher, parent)
            _stat_tree(hasher, os.path.dirname(os.path.abspath(parent)))


def fingerprint(targets: Sequence[os.PathLike[str] | str], config: dict[str, Any]) -> str:
    """The cache key of a lint of `targets` with `config` (settings that change the result)."""
    hasher = blake2b(digest_size=20)
    _base(hasher)
    hasher.update(repr(sorted(config.items())).encode())
    _stamp_targets(hasher, [os.fspath(t) for t in targets])
    return hasher.hexdigest()


def load(key: str) -> LintResult | None:
    import json

    from slipway.lint.findings import Finding, LintResult

    try:
        with open(os.path.join(cache_dir(), f"lint-{key}.json"), encoding="utf-8") as handle:
            data = json.load(handle)
        findings = [Finding.from_dict(f) for f in data["findings"]]
        return LintResult(findings, data["files"], data["migrations"], data["suppressed"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def store(key: str, result: LintResult) -> None:
    import json

    data = {
        "files": result.files,
        "migrations": result.migrations,
        "suppressed": result.suppressed,
        "findings": [f.to_dict() for f in result.findings],
    }
    _write(f"lint-{key}.json", json.dumps(data).encode(), "lint-")


def output_key(request: str) -> str:
    """The key of a command line's printed output (`request` spells its options and paths)."""
    hasher = blake2b(digest_size=20)
    _base(hasher)
    hasher.update(f"{request}\0".encode())
    for name in _CONFIG_FILES:
        try:
            info = os.stat(name)
            hasher.update(f"{name}\0{info.st_size}\0{info.st_mtime_ns}\0".encode())
        except OSError:
            hasher.update(f"no {name}\0".encode())
    return hasher.hexdigest()


def _targets_stamp(targets: Sequence[str]) -> str:
    hasher = blake2b(digest_size=20)
    _stamp_targets(hasher, targets)
    return hasher.hexdigest()


def load_output(key: str) -> tuple[int, bytes] | None:
    """(exit code, printed bytes) of the output stored under `key`, if what it linted is
    unchanged."""
    try:
        with open(os.path.join(cache_dir(), f"out-{key}"), "rb") as handle:
            data = handle.read()
        head, _, text = data.partition(b"\0\0")
        code, stamp, *targets = head.decode("utf-8", "surrogateescape").split("\0")
        if stamp != _targets_stamp(targets):
            return None
        return int(code), text
    except (OSError, ValueError):
        return None


def store_output(key: str, targets: Sequence[os.PathLike[str] | str], code: int, text: str) -> None:
    """Remember what a command line printed (`text`) and its exit code."""
    names = [os.fspath(t) for t in targets]
    if any("\0" in name for name in names):
        return
    head = "\0".join([str(code), _targets_stamp(names), *names])
    _write(f"out-{key}", head.encode("utf-8", "surrogateescape") + b"\0\0" + text.encode(), "out-")


def _write(name: str, data: bytes, kind: str) -> None:
    folder = cache_dir()
    try:
        os.makedirs(folder, exist_ok=True)
        tmp = os.path.join(folder, f".{name}.{os.getpid()}.tmp")
        with open(tmp, "wb") as handle:
            handle.write(data)
        os.replace(tmp, os.path.join(folder, name))
        _prune(folder, kind)
    except OSError:
        pass  # a cache that cannot be written is only slower


def _prune(folder: str, kind: str) -> None:
    entries = [e for e in os.scandir(folder) if e.name.startswith(kind)]
    entries.sort(key=lambda e: e.stat().st_mtime, reverse=True)
    for old in entries[KEEP:]:
        try:
            os.unlink(old.path)
        except FileNotFoundError:
            pass
