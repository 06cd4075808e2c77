"""The run-log row of a migration that runs statement by statement.

It is written before the first statement, advanced with every statement (in the same
transaction when the statement allows one) and marked before each statement that must run on
its own. A rerun in either direction reads it back to resume, and `status` to show `partial`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from slipway.migrations.history import History, LogRow
from slipway.migrations.model import Direction

if TYPE_CHECKING:
    import psycopg

__all__ = ["Partial", "RunRow", "partials"]


_ELAPSED = "(extract(epoch FROM clock_timestamp() - started_at) * 1000)::int"


@dataclass(frozen=True)
class Partial:
    """A migration whose latest run in `action`'s direction stopped midway."""

    version: str
    action: Direction
    done: int
    total: int
    started: int  # the statement running when it stopped, if it had to run on its own
    checksums: list[str]
    run_id: int = 0

    @classmethod
    def from_row(cls, row: LogRow) -> Partial:
        """The partial run recorded in a run-log row."""
        detail = row.detail or {}
        if row.action not in ("up", "down"):
            raise ValueError(f"run-log row {row.id} is a {row.action}, not an up or down run")
        return cls(
            version=row.version,
            action=row.action,
            done=row.statements_done or 0,
            total=row.statements_total or 0,
            started=int(detail.get("started") or 0),
            checksums=list(detail.get("statement_checksums") or []),
            run_id=row.id,
        )

    @property
    def in_doubt(self) -> int:
        """The statement that may or may not have taken effect (0: none)."""
        return self.started if self.started == self.done + 1 else 0

    def describe(self) -> str:
        """`up stopped after statement 2 of 5`, for status and messages."""
        if self.in_doubt and not self.done:
            return f"{self.action} stopped in statement 1 of {self.total}"
        text = f"{self.action} stopped after statement {self.done} of {self.total}"
        if self.in_doubt:
            text += f" (statement {self.in_doubt} was running)"
        return text

    def to_dict(self) -> dict[str, Any]:
        """The `partial` field of `status --format json`."""
        return {
            "action": self.action,
            "statements_done": self.done,
            "statements_total": self.total,
            "statement_running": self.in_doubt or None,
        }


def partials(conn: psycopg.Connection[Any], history: History) -> dict[str, Partial]:
    """Versions whose latest up or down run stopped midway, after doing something."""
    if not history.exists(conn):
        return {}
    from slipway.migrations.history import _LOG_SELECT

    rows = conn.execute(
        "SELECT * FROM (SELECT DISTINCT ON (version) "
        + _LOG_SELECT.removeprefix("SELECT ").format(history.log_text)
        + " WHERE action IN ('up', 'down') ORDER BY version, id DESC) latest"
        " WHERE outcome = 'partial'"
    ).fetchall()
    found = (Partial.from_row(LogRow(*row)) for row in rows)
    return {p.version: p for p in found if p.done or p.in_doubt}


class RunRow:
    """SQL that records the progress of one run in its log row."""

    def __init__(self, history: History, run_id: int) -> None:
        self.table = history.log_text
        self.run_id = int(run_id)

    def _update(self, assignment: str) -> str:
        # As the connecting user, for the length of this transaction only: a script's own
        # SET ROLE stays in force for its next statements, but need not be able to write here.
        return (
            "SET LOCAL SESSION AUTHORIZATION DEFAULT;\nSET LOCAL ROLE NONE;\n"
            f"UPDATE {self.table} SET {assignment}, duration_ms = {_ELAPSED}"
            f" WHERE id = {self.run_id}"
        )

    def done_sql(self, done: int) -> str:
        """UPDATE recording that `done` statements have completed."""
        return self._update(f"statements_done = {int(done)}")

    def started_sql(self, number: int) -> str:
        """UPDATE recording that statement `number` has started."""
        return self._update(
            f"detail = jsonb_set(coalesce(detail, '{{}}'), '{{started}}', '{int(number)}')"
        )
