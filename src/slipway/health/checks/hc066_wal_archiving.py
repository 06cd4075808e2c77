"""HC066 wal-archiving."""

from __future__ import annotations

from datetime import datetime

from slipway.health.checks import Outcome, check, fail, info, warn
from slipway.health.facts import Facts

STALE_HOURS = 24.0


@check("HC066", "wal-archiving", "maintenance", facts=("database",))
def wal_archiving(facts: Facts) -> Outcome:
    """Whether WAL archiving (the base of point-in-time recovery) is on and working.

    Why: seed 003 left "backup and recovery testing" as a TODO; a failing archive_command
    silently ends point-in-time recovery and fills the disk with WAL the server cannot
    recycle.

    Fix: repair archive_command / archive_library (see the server log) and test a restore;
    with archiving off, make sure backups are taken some other way (pg_dump, snapshots).
    """
    db = facts.one("database")
    target = str(db.get("database", "database"))
    out = Outcome(
        metrics={k: db.get(k) for k in ("archive_mode", "archived_count", "failed_count")}
    )
    if db.get("archive_mode") in (None, "off"):
        out.findings.append(
            info(
                target,
                "WAL archiving is off: no point-in-time recovery; "
                "backups, if any, happen outside PostgreSQL",
            )
        )
        return out
    last_ok: datetime | None = db.get("last_archived_time")
    last_bad: datetime | None = db.get("last_failed_time")
    fix = "repair archive_command (see the server log), then test a restore"
    if last_bad is not None and (last_ok is None or last_bad > last_ok):
        out.findings.append(
            fail(
                target,
                f"archiving is failing ({db.get('failed_count')} "
                f"failures, last at {last_bad:%Y-%m-%d %H:%M})",
                fix,
            )
        )
        return out
    now = db.get("now") or datetime.now().astimezone()
    if last_ok is None:
        out.findings.append(info(target, "archiving is on; nothing archived yet"))
    elif (now - last_ok).total_seconds() > STALE_HOURS * 3600:
        hours = (now - last_ok).total_seconds() / 3600
        out.findings.append(
            warn(
                target,
                f"the last WAL segment was archived {hours:.0f} hours ago",
                "check that archiving keeps up (and that writes happen at all)",
            )
        )
    else:
        out.findings.append(
            info(target, f"archiving works: last segment at {last_ok:%Y-%m-%d %H:%M}")
        )
    return out
