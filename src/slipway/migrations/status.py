"""Files and history side by side: applied, pending, modified or missing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, Literal

from slipway.config import Settings
from slipway.migrations.history import AppliedRow, History
from slipway.migrations.layouts import load_folder
from slipway.migrations.model import Key, Migration, MigrationSet, Rollback
from slipway.migrations.runlog import Partial, partials

if TYPE_CHECKING:
    import psycopg

__all__ = ["STATES", "MigrationState", "combine", "migration_status", "project_status"]


# partial: its latest run stopped midway (statement by statement), resumable.
State = Literal["applied", "pending", "modified", "missing", "partial"]
STATES: tuple[State, ...] = ("applied", "pending", "modified", "missing", "partial")


@dataclass(frozen=True)
class MigrationState:
    """One migration as `status` shows it: applied, pending, modified or missing."""

    version: str
    name: str
    description: str
    state: State
    has_rollback: bool  # a down script exists, even an empty one
    applied_at: datetime | None
    migration: Migration | None = None  # None when missing
    applied: AppliedRow | None = None
    sort_key: Key = ()  # in the folder's version order (MigrationSet.key)
    partial: Partial | None = None  # its latest run stopped midway
    rollback: Rollback = "none"  # file | empty (no statement in it) | none

    @property
    def shown_state(self) -> str:
        """`state`, except a migration stopped midway in either direction shows `partial`."""
        return "partial" if self.partial is not None else self.state

    def to_dict(self) -> dict[str, Any]:
        """The `status --format json` shape."""
        return {
            "version": self.version,
            "name": self.name,
            "description": self.description,
            "state": self.shown_state,
            "has_rollback": self.has_rollback,
            "rollback": self.rollback,
            "applied_at": self.applied_at.isoformat() if self.applied_at else None,
            "partial": self.partial.to_dict() if self.partial else None,
        }


def combine(
    mset: MigrationSet, applied: list[AppliedRow], stopped: dict[str, Partial] | None = None
) -> list[MigrationState]:
    """One state per version found in the folder or in the history, in version order;
    `stopped` (runlog.partials) marks the migrations whose latest run stopped midway."""
    rows = {mset.key(row.version): row for row in applied}
    stopped = stopped or {}
    states: list[MigrationState] = []
    for mig in mset.migrations:
        row = rows.pop(mig.sort_key, None)
        state: State
        if row is None:
            state = "pending"
        elif row.checksum == mig.checksum:
            state = "applied"
        else:
            state = "modified"
        states.append(
            MigrationState(
                version=mig.version,
                name=mig.name,
                description=mig.description,
                state=state,
                has_rollback=mig.has_rollback,
                applied_at=row.applied_at if row else None,
                migration=mig,
                applied=row,
                sort_key=mig.sort_key,
                partial=stopped.get(mig.version),
                rollback=mig.rollback,
            )
        )
    for row in rows.values():
        if row.kind == "baseline-marker":
            continue  # `baseline V` with no file for V: a marker, not a migration
        states.append(
            MigrationState(
                version=row.version,
                name=row.name,
                description=row.description or row.name,
                state="missing",
                has_rollback=False,
                applied_at=row.applied_at,
                applied=row,
                sort_key=mset.key(row.version),
            )
        )
    return sorted(states, key=lambda s: s.sort_key)


def migration_status(conn: psycopg.Connection[Any], settings: Settings) -> list[MigrationState]:
    """Status of every migration of the project against the connected database."""
    mset = load_folder(settings.migrations_dir)
    history = History(settings.table)
    return combine(mset, history.applied(conn), partials(conn, history))


def project_status(settings: Settings) -> list[MigrationState]:
    """`migration_status` on a new connection to the settings' database."""
    from slipway.db import connect

    with connect(settings) as conn:
        return migration_status(conn, settings)
