"""What to tell the user when the connection broke in the middle of a migration.

The broken session's transaction is gone and its advisory lock with it; what did commit is
read back on a new connection (when the server answers), so the one line says exactly what
remains. The failure goes to the run log on that connection; without one, the partial row
already in the log (or nothing, for a transaction that never committed) is what the next
run finds.
"""

from __future__ import annotations

from dataclasses import dataclass

from slipway.config import Settings
from slipway.errors import SlipwayError
from slipway.migrations.history import History
from slipway.migrations.model import Direction
from slipway.migrations.runlog import partials

__all__ = ["LostStep", "explain"]


@dataclass(frozen=True)
class LostStep:
    """The step that was running when the connection was lost."""

    version: str
    name: str
    action: Direction
    checksum: str
    statement_by_statement: bool

    @property
    def doing(self) -> str:
        """`applying 0003 add_index` or `rolling back ...`, for the message."""
        verb = "applying" if self.action == "up" else "rolling back"
        return f"{verb} {self.version} {self.name}"


def explain(settings: Settings, step: LostStep, known: str) -> str:
    """The one line: the connection was lost, during what, and what of it remains."""
    head = f"lost the connection to the database while {step.doing}"
    import psycopg

    try:
        fact = _read_back(settings, step, head)
    except SlipwayError:
        fact = (known or "what of it ran is unknown") + " (the server does not answer now)"
    except psycopg.Error as exc:  # the server answered, then failed again: say what we know
        fact = f"{known or 'what of it ran is unknown'} ({type(exc).__name__} reading it back)"
    command = "slipway up" if step.action == "up" else "slipway down"
    return f"{head}: {fact}; run `{command}` again when the server is back"


def _read_back(settings: Settings, step: LostStep, head: str) -> str:
    from slipway.db import connect

    history = History(settings.table)
    with connect(settings, connect_timeout=5) as conn:
        applied = any(r.version == step.version for r in history.applied(conn))
        if applied == (step.action == "up"):
            return "it had committed just before, together with its history row"
        stopped = partials(conn, history).get(step.version)
        if step.statement_by_statement:
            if stopped is None or stopped.action != step.action:
                return "no statement of it ran"
            history.update_run(conn, stopped.run_id, error=head)
            return _statements_fact(stopped.done, stopped.total, stopped.in_doubt)
        history.log_run(
            conn,
            version=step.version,
            name=step.name,
            action=step.action,
            outcome="failed",
            error=head,
            checksum=step.checksum,
        )
        return "nothing of it remains: its transaction was rolled back"


def _statements_fact(done: int, total: int, in_doubt: int) -> str:
    fact = f"statements 1..{done} of {total} ran and stay applied" if done else ""
    if in_doubt:
        running = f"statement {in_doubt} of {total} was running"
        fact = f"{fact}; {running}" if fact else running
        return f"{fact}: the next run checks whether it took effect and resumes"
    return f"{fact}; the next run resumes at statement {done + 1}"
