"""Lint several migration folders on two cores: half of them in a forked child.

Each migrations folder is its own history (its replay never sees another folder's), so
folders can be linted apart without changing a finding; within one folder the replay is
sequential (each statement sees the schema its predecessors built) and moving parse trees
between processes costs about as much as building them (bench/lint_parallel_probe.py), so
one folder stays on one core. The child is forked after the engine and the rules are
imported, lints the later half of the folders and sends its findings back pickled; the
parent lints the earlier half meanwhile and keeps the order a serial lint gives.

Only for a lint that is the whole process (the command line: no threads to break by
forking, nothing else to share the second core with), on POSIX, with two cores free, and
for targets that are distinct folders, neither one migration's own folder nor inside
another target: exactly the cases where linting the halves apart gives the same groups as
linting them together (slipway.lint.sources.select).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from slipway.lint.findings import LintResult
from slipway.migrations.layouts import is_migration_folder

__all__ = ["halves", "lint_halves"]

#: Fewer folders than this are linted serially: forking costs more than a small folder.
MIN_FOLDERS = 2


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def halves(targets: list[Path]) -> tuple[list[Path], list[Path]] | None:
    """The targets split in two for `lint_halves`, or None when they must be linted serially."""
    if not hasattr(os, "fork") or _cores() < 2 or len(targets) < MIN_FOLDERS:
        return None
    if any(str(t) == "-" or not t.is_dir() or is_migration_folder(t) for t in targets):
        return None
    real = [os.path.realpath(t) for t in targets]
    if len(set(real)) < len(real):
        return None
    for folder in real:  # one target inside another would share a migrations folder
        if any(other != folder and other.startswith(folder + os.sep) for other in real):
            return None
    middle = len(targets) // 2  # the parent prints afterwards: the child takes the odd one
    return targets[:middle], targets[middle:]


def lint_halves(
    first: list[Path], second: list[Path], lint: Callable[[list[Path]], LintResult]
) -> LintResult:
    """`lint(first)` here and `lint(second)` in a forked child, combined in that order. An
    exception in the child is raised here (a user's error, such as a folder without
    migrations, reads the same as in a serial lint)."""
    import pickle  # here: a lint of one folder never needs it

    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: lint, send, and end without running the parent's clean-up
        os.close(read_end)
        _child(second, lint, write_end)
    os.close(write_end)
    try:
        mine = lint(first)
    finally:
        with os.fdopen(read_end, "rb") as pipe:
            payload = pipe.read()
        os.waitpid(pid, 0)
    theirs = pickle.loads(payload) if payload else RuntimeError("the lint's second process died")
    if isinstance(theirs, BaseException):
        raise theirs
    return LintResult.combine([mine, theirs])


def _child(targets: list[Path], lint: Callable[[list[Path]], LintResult], fd: int) -> None:
    import pickle

    code = 0
    try:
        result = lint(targets)
        result.state = None  # the replayed schema is the parent's business, and large
        payload = pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL)
    except BaseException as exc:  # noqa: BLE001 - handed to the parent, which raises it
        code = 1
        payload = _pickled_error(exc)
    try:
        with os.fdopen(fd, "wb") as pipe:
            pipe.write(payload)
    finally:
        os._exit(code)


def _pickled_error(exc: BaseException) -> bytes:
    """The exception pickled so that it unpickles; else a RuntimeError with its text."""
    import pickle

    try:
        data = pickle.dumps(exc)
        pickle.loads(data)
        return data
    except Exception:  # noqa: BLE001 - any failure to round-trip falls back to the text
        return pickle.dumps(RuntimeError(f"{type(exc).__name__}: {exc}"))
