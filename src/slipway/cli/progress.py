"""How a migration run shows progress: a rich progress bar on a terminal, plain lines in CI,
nothing with -q."""

from __future__ import annotations

import sys
from typing import Any

from slipway.migrations.runner import Events, Step, StepResult
from slipway.report.terminal import console


def _label(step: Step) -> str:
    verb = "apply" if step.action == "up" else "revert"
    return f"{verb} {step.migration.version} {step.migration.description}"


class PlainEvents(Events):
    """One line per migration, for CI logs and pipes."""

    def __init__(self, quiet: bool = False) -> None:
        self.quiet = quiet

    def _say(self, text: str) -> None:
        if not self.quiet:
            print(text, flush=True)

    def waiting_for_lock(self, holder: str | None) -> None:
        self._say(f"waiting for another slipway run to finish ({holder or 'unknown holder'})")

    def done(self, result: StepResult, index: int, total: int) -> None:
        extra = ""
        if result.outcome.lock_retries:
            extra += f", {result.outcome.lock_retries} lock retries"
        if result.outcome.mode == "statements":
            extra += ", no transaction"
        if result.outcome.cleaned:
            extra += f", dropped invalid {', '.join(result.outcome.cleaned)} first"
        # Not "ok": with deferred flushes this line precedes durability, which only the run's
        # final line (printed after the last, waiting commit) promises.
        state = "applied" if result.step.action == "up" else "reverted"
        self._say(
            f"[{index}/{total}] {_label(result.step)} ... {state} ({result.seconds:.2f}s{extra})"
        )

    def retry(self, step: Step, attempt: int, message: str) -> None:
        print(
            f"{step.migration.version}: lock not granted in time ({message}); retry {attempt}",
            file=sys.stderr,
            flush=True,
        )

    def note(self, message: str) -> None:
        self._say(message)


class RichEvents(PlainEvents):
    """A progress bar over the whole run, with the current migration named."""

    def __init__(self) -> None:
        super().__init__(quiet=False)
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

        self.console = console()
        self.progress = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            console=self.console,
            transient=True,
        )
        self.task: Any = None

    def _say(self, text: str) -> None:
        self.console.print(text, highlight=False, markup=False)

    def start(self, step: Step, index: int, total: int) -> None:
        if self.task is None:
            self.progress.start()
            self.task = self.progress.add_task("", total=total)
        self.progress.update(self.task, description=_label(step), completed=index - 1)

    def done(self, result: StepResult, index: int, total: int) -> None:
        self.progress.update(self.task, completed=index)
        super().done(result, index, total)
        if index == total:
            self.stop()

    def stop(self) -> None:
        if self.task is not None:
            self.progress.stop()
            self.task = None


def make_events(quiet: bool) -> PlainEvents:
    from slipway.report.terminal import live_display

    if quiet or not live_display():
        return PlainEvents(quiet=quiet)
    return RichEvents()
