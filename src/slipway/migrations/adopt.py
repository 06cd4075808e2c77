"""Adopt a database another tool migrated: record what it applied in slipway's history.

The other tool's history (read by slipway.migrations.foreign) is matched to the migrations in
the folder; every match slipway has not recorded yet is recorded as applied with today's
checksum, and each gets an audited `adopt` row in the run log (who, when, from which tool and
table, and how that tool recorded it). Everything happens under the migration lock and in one
transaction: nothing is half-recorded.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from slipway.config import Settings
from slipway.errors import Refused
from slipway.migrations.foreign import (
    ForeignHistory,
    empty_histories,
    find_histories,
    read_history,
)
from slipway.migrations.history import History
from slipway.migrations.lock import MigrationLock
from slipway.migrations.model import Migration, MigrationSet
from slipway.sql.quote import quote_qualified

if TYPE_CHECKING:
    import psycopg


__all__ = ["AdoptResult", "Adopted", "adopt", "check_unmanaged", "match_key"]


@dataclass(frozen=True)
class Adopted:
    """One migration recorded as applied by adopt, with the version the other tool wrote."""

    migration: Migration
    recorded_as: str  # the version (or Sqitch change) as the other tool wrote it


@dataclass
class AdoptResult:
    """What `slipway adopt` recorded (or would record, with dry_run) from which history."""

    tool: str
    table: str
    adopted: list[Adopted] = field(default_factory=list)
    already: list[str] = field(default_factory=list)  # versions slipway had recorded itself
    dry_run: bool = False

    def to_dict(self) -> dict[str, Any]:
        """The `adopt --format json` shape."""
        return {
            "from": self.tool,
            "table": self.table,
            "dry_run": self.dry_run,
            "adopted": [
                {
                    "version": a.migration.version,
                    "name": a.migration.name,
                    "recorded_as": a.recorded_as,
                }
                for a in self.adopted
            ],
            "already_recorded": self.already,
        }


def match_key(version: str) -> tuple[int, ...]:
    """A version as the numbers in it, as every tool compares them: golang-migrate and goose
    record `000012` as 12, diesel records `2019-02-26-002946` as `20190226002946`, Flyway
    records `V1_2` as `1.2` (and `1.0` equals `1`)."""
    parts = [int(p) for p in re.split(r"[._]", version.replace("-", "")) if p.isdigit()]
    while len(parts) > 1 and parts[-1] == 0:
        parts.pop()
    return tuple(parts)


def _name_key(name: str) -> str:
    return name.lower().replace("-", "_")


def _matches(mset: MigrationSet, foreign: ForeignHistory) -> list[Adopted]:
    """Migrations the other tool applied; refuses entries with no file."""
    by_key = {match_key(m.version): m for m in mset.migrations}
    # Sqitch names: a reworked change is planned (and deployed) more than once under one
    # name, so the n-th deployment of a name is its n-th entry in the plan.
    by_name: dict[str, list[Migration]] = {}
    for m in mset.migrations:
        by_name.setdefault(_name_key(m.name), []).append(m)
    found: dict[str, Adopted] = {}
    orphans: list[str] = []
    entries = [(v, by_key.get(match_key(v))) for v in foreign.versions]
    for name in foreign.names:
        planned = by_name.get(_name_key(name))
        entries.append((name, planned.pop(0) if planned else None))
    for recorded_as, mig in entries:
        if mig is None:
            orphans.append(recorded_as)
        else:
            found[mig.version] = Adopted(mig, recorded_as)
    if foreign.through is not None:
        limit = match_key(foreign.through)
        if foreign.tool in ("golang-migrate", "tern") and limit not in by_key:
            orphans.append(foreign.through)
        for mig in mset.migrations:
            if match_key(mig.version) <= limit:
                found.setdefault(mig.version, Adopted(mig, foreign.through))
    if orphans:
        shown = ", ".join(orphans[:10]) + (
            f" and {len(orphans) - 10} more" if len(orphans) > 10 else ""
        )
        raise Refused(
            f"{foreign.tool}'s history ({foreign.table}) lists {shown}, with no migration file "
            f"in {mset.directory}",
            hint="restore those files (or point --migrations at the right folder) and rerun; "
            "nothing was recorded",
        )
    return sorted(found.values(), key=lambda a: a.migration.sort_key)


def _record(conn: psycopg.Connection[Any], history: History, result: AdoptResult) -> None:
    with conn.transaction():
        history.ensure(conn)
        now = datetime.now().astimezone()
        for item in result.adopted:
            mig = item.migration
            conn.execute(
                history.applied_row_sql(
                    mig.version, mig.name, mig.description, mig.checksum, kind="adopted"
                )
            )
            history.log_run(
                conn,
                version=mig.version,
                name=mig.name,
                action="adopt",
                outcome="success",
                checksum=mig.checksum,
                finished_at=now,
                duration_ms=0,
                detail={
                    "from": result.tool,
                    "table": result.table,
                    "recorded_as": item.recorded_as,
                },
            )


def adopt(
    conn: psycopg.Connection[Any],
    settings: Settings,
    mset: MigrationSet,
    tool: str | None = None,
    table: str | None = None,
    dry_run: bool = False,
) -> AdoptResult:
    """Record the migrations another tool applied as applied in slipway's history."""
    history = History(settings.table)
    with MigrationLock(conn, settings.table, settings.lock_wait):
        foreign = read_history(conn, tool, table)
        matched = _matches(mset, foreign)
        recorded = {mset.key(row.version) for row in history.applied(conn)}
        result = AdoptResult(foreign.tool, foreign.table, dry_run=dry_run)
        for item in matched:
            if item.migration.sort_key in recorded:
                result.already.append(item.migration.version)
            else:
                result.adopted.append(item)
        if result.adopted and not dry_run:
            _record(conn, history, result)
    return result


_USER_TABLES = """
SELECT n.nspname || '.' || c.relname
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition
  AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%%'
  AND n.nspname NOT LIKE 'pg_temp%%' AND c.oid <> ALL(%s::regclass[])
ORDER BY 1
"""


def check_unmanaged(
    conn: psycopg.Connection[Any], history: History, also_own: Sequence[str] = ()
) -> None:
    """Refuse to migrate a database that holds tables (another tool's history tables too:
    that is the usual case) while slipway has never recorded anything in it. `also_own`:
    slipway's other tables (maintenance runs, serve's samples), no sign of a schema either."""
    if history.exists(conn) and (history.applied(conn) or history.runs(conn, limit=1)):
        return
    own = [history.name, history.name + "_log"] if history.exists(conn) else []
    for name in also_own:
        quoted = quote_qualified(name)
        row = conn.execute("SELECT to_regclass(%s) IS NOT NULL", (quoted,)).fetchone()
        own += [quoted] if row and row[0] else []
    # Another tool's empty history table (its CLI was set up, nothing ran) is no sign that
    # the database was migrated, so it alone does not make the database "existing".
    histories = find_histories(conn)
    empty = empty_histories(conn, histories)
    tables = [r[0] for r in conn.execute(_USER_TABLES, (own + empty,)).fetchall()]
    if not tables:
        return
    shown = ", ".join(tables[:5]) + (f" and {len(tables) - 5} more" if len(tables) > 5 else "")
    tools = ", ".join(f"{f.tool} ({f.table})" for f in histories if f.table not in empty)
    raise Refused(
        f"this database already holds tables ({shown}) but slipway has no history here"
        + (f"; it was migrated by {tools}" if tools else ""),
        hint="run `slipway adopt` to take over another tool's history, or `slipway baseline "
        "VERSION` to record migrations up to VERSION as applied, or pass --allow-existing "
        "to apply every migration anyway",
    )
