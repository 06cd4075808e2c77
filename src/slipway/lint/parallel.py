"""Lint several migration folders on two cores: half of them in a forked child.

Each migrations folder is its own history (its replay never sees another folder's), so
folders can be linted apart without changing a finding; within one folder the replay is
sequential (each statement sees the schema its predecessors built) and moving parse trees
between processes costs about as much as building them (bench/lint_parallel_probe.py), so
one folder stays on one core. The child is forked after the engine and the rules are
imported, lints about half of the folders (balanced by their number of files) and sends its
findings back pickled; the parent lints the others meanwhile and keeps the order a serial
lint gives.

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

__all__ = ["lint_split", "split"]

#: Fewer folders than this are linted serially: forking costs more than a small folder.
MIN_FOLDERS = 2


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def split(targets: list[Path]) -> tuple[list[int], list[int]] | None:
    """Which targets (by index) this process and a forked child lint, balanced by their number
    of SQL files; None when they must be linted serially."""
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
    # Largest first, each to the lighter side; the parent prints afterwards, so ties go to
    # the child.
    sides: tuple[list[int], list[int]] = ([], [])
    loads = [0, 0]
    weights = [_sql_files(t) for t in targets]
    for index in sorted(range(len(targets)), key=lambda i: -weights[i]):
        side = 0 if loads[0] < loads[1] else 1
        sides[side].append(index)
        loads[side] += weights[index]
    if not sides[0] or not sides[1]:
        return None
    return sorted(sides[0]), sorted(sides[1])


def _sql_files(folder: Path, depth: int = 2) -> int:
    """The .sql files in `folder` and the folders below it, `depth` levels down (a project's
    migrations/, diesel's one folder per migration): what linting it costs, roughly. Counted
    from the directory entries alone (sizes would cost a stat per file)."""
    total = 0
    try:
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.name.endswith(".sql") and entry.is_file():
                    total += 1
                elif depth > 1 and entry.is_dir(follow_symlinks=False):
                    total += _sql_files(Path(entry.path), depth - 1)
    except OSError:  # unreadable: the lint itself will say so
        pass
    return total


Outcome = LintResult | BaseException


def lint_split(
    targets: list[Path],
    mine: list[int],
    theirs: list[int],
    lint: Callable[[Path], LintResult],
) -> LintResult:
    """`lint` of the targets numbered `mine` here and of `theirs` in a forked child, combined
    in the targets' order. Each side stops at its first error; the error of the earliest
    target is raised, as a serial lint raises it (a folder without migrations, say)."""
    import pickle  # here: a lint of one folder never needs it

    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: lint, send, and end without running the parent's clean-up
        os.close(read_end)
        _child(targets, theirs, lint, write_end)
    os.close(write_end)
    try:
        outcomes = _lint_each(targets, mine, lint)
    finally:
        with os.fdopen(read_end, "rb") as pipe:
            payload = pipe.read()
        os.waitpid(pid, 0)
    if not payload:
        raise RuntimeError("the lint's second process ended without an answer")
    outcomes.update(pickle.loads(payload))
    results = []
    for index in range(len(targets)):
        outcome = outcomes.get(index)
        if isinstance(outcome, BaseException):
            raise outcome
        if outcome is not None:  # absent only after an earlier error on its side
            results.append(outcome)
    return LintResult.combine(results)


def _lint_each(
    targets: list[Path], indexes: list[int], lint: Callable[[Path], LintResult]
) -> dict[int, Outcome]:
    outcomes: dict[int, Outcome] = {}
    for index in indexes:
        try:
            outcomes[index] = lint(targets[index])
        except Exception as exc:  # noqa: BLE001 - kept for the caller, which raises the first
            outcomes[index] = exc
            break
    return outcomes


def _child(
    targets: list[Path], indexes: list[int], lint: Callable[[Path], LintResult], fd: int
) -> None:
    import pickle

    code = 0
    try:
        outcomes = _lint_each(targets, indexes, lint)
        for outcome in outcomes.values():
            if isinstance(outcome, LintResult):
                outcome.state = None  # the replayed schema is the parent's business, and large
            else:
                code = 1
        payload = pickle.dumps(
            {i: _picklable(o) for i, o in outcomes.items()}, protocol=pickle.HIGHEST_PROTOCOL
        )
    except BaseException as exc:  # noqa: BLE001 - handed to the parent, which raises it
        code = 1
        payload = pickle.dumps({indexes[0] if indexes else 0: _picklable(exc)})
    try:
        with os.fdopen(fd, "wb") as pipe:
            pipe.write(payload)
    finally:
        os._exit(code)


def _picklable(outcome: Outcome) -> Outcome:
    """The outcome, or for an exception that does not survive pickling a RuntimeError with its
    text."""
    if isinstance(outcome, LintResult):
        return outcome
    import pickle

    try:
        pickle.loads(pickle.dumps(outcome))
        return outcome
    except Exception:  # noqa: BLE001 - any failure to round-trip falls back to the text
        return RuntimeError(f"{type(outcome).__name__}: {outcome}")
