"""Drift: the live database against the schema its applied migrations produce.

The expected catalog is built on a scratch database by running the up script of every
migration the target's history table lists as applied (in version order, each the engine's
way), then both are introspected and compared with the catalog diff's drift wording:
"index x added" (made by hand), "column t.c dropped", "function f(int) body differs".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from slipway.catalog.diff import DRIFT, Change, diff
from slipway.catalog.introspect import introspect
from slipway.db import Conn
from slipway.errors import MigrationFailed, Refused
from slipway.migrations.history import History
from slipway.migrations.model import MigrationSet
from slipway.verify.scratch import Scratch
from slipway.verify.scripts import run_committed


@dataclass
class DriftReport:
    applied: list[str] = field(default_factory=list)  # versions replayed on the scratch db
    edited: list[str] = field(default_factory=list)  # applied, but the file changed since
    changes: list[Change] = field(default_factory=list)

    @property
    def drifted(self) -> bool:
        return bool(self.changes)

    def to_dict(self) -> dict[str, Any]:
        return {
            "drift": self.drifted,
            "applied": self.applied,
            "edited_since_applied": self.edited,
            "changes": [
                {"kind": c.kind, "object": c.object, "message": c.message} for c in self.changes
            ],
        }


def detect_drift(
    target: Conn,
    scratch: Scratch,
    migrations: MigrationSet,
    history_table: str,
    *,
    privileges: bool = True,
) -> DriftReport:
    """Compare `target` with its applied migrations replayed on `scratch` (empty)."""
    history = History(history_table)
    if not history.exists(target):
        raise Refused(
            f"the database has no {history_table} table, so no migration is recorded as applied: "
            "run `slipway up`, or `slipway baseline` to adopt an existing schema"
        )
    applied = sorted(history.applied(target), key=lambda row: migrations.key(row.version))
    files = {m.sort_key: m for m in migrations.migrations}  # 1 is 0001, as in status
    missing = [row.version for row in applied if migrations.key(row.version) not in files]
    if missing:
        raise Refused(
            f"applied migration(s) {', '.join(missing[:5])} have no file in "
            f"{migrations.directory}: restore them, or the expected schema cannot be built"
        )
    report = DriftReport()
    with scratch.connect() as conn:
        for row in applied:
            migration = files[migrations.key(row.version)]
            try:
                run_committed(conn, migration.up)
            except MigrationFailed as exc:
                raise MigrationFailed(
                    f"building the expected schema failed at {migration.label}: {exc}"
                ) from exc
            report.applied.append(row.version)
            if migration.checksum != row.checksum:
                report.edited.append(row.version)
        expected = introspect(conn, include_privileges=privileges)
    live = introspect(target, include_privileges=privileges)
    report.changes = diff(
        expected, live, compare_privileges=privileges, compare_owner=privileges, wording=DRIFT
    )
    return report
