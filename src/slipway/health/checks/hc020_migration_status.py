"""HC020 migration-status."""

from __future__ import annotations

from typing import Any

from slipway.health.checks import Outcome, check, fail, info, warn
from slipway.health.facts import Facts

_LEVEL = {"pending": warn, "modified": fail, "missing": fail}
_TEXT = {
    "pending": ("pending: not applied to this database", "run `slipway up`"),
    "modified": (
        "modified after it was applied (checksum differs)",
        'restore the file, or accept the edit with `slipway accept VERSION --reason "..."`',
    ),
    "missing": (
        "applied to this database but its file is gone",
        "restore the migration file from version control",
    ),
}


@check("HC020", "migration-status", "migrations")
def migration_status(facts: Facts) -> Outcome:
    """Migrations applied, pending, modified after applying, or applied but missing.

    Why: a database that is behind its migrations, or whose applied files were edited
    afterwards, is not the schema the code was tested against.

    Fix: apply pending migrations; restore modified or missing files from version control.
    """
    out = Outcome()
    states: list[Any] | None = facts.extra.get("migrations")
    if states is None:
        reason = facts.extra.get("migration_layout_error") or facts.extra.get("migrations_error")
        out.notes.append(f"migration status unknown: {reason or 'not gathered'}")
        return out
    counts = {"applied": 0, "pending": 0, "modified": 0, "missing": 0}
    for s in states:
        counts[s.state] = counts.get(s.state, 0) + 1
        if s.state in _LEVEL:
            message, fix = _TEXT[s.state]
            out.findings.append(_LEVEL[s.state](f"{s.version}_{s.name}", message, fix))
    out.metrics = counts
    summary = ", ".join(f"{n} {k}" for k, n in counts.items() if n) or "no migrations"
    out.findings.insert(0, info(str(facts.settings.migrations_dir.name), summary))
    return out
