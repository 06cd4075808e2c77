"""HC022 duplicate-migration-versions."""

from __future__ import annotations

import re

from slipway.health.checks import Outcome, check, fail
from slipway.health.facts import Facts

_DUPLICATE = re.compile(r"duplicate version (\S+?):")


@check("HC022", "duplicate-migration-versions", "migrations")
def duplicate_migration_versions(facts: Facts) -> Outcome:
    """Two migration files with the same version, or another broken migrations folder.

    Why: with two 0002 migrations only one can be recorded as applied; which one runs depends
    on the tool (seed 003 found exactly this).

    Fix: renumber one of the files to the next free version.
    """
    out = Outcome()
    error = facts.extra.get("migration_layout_error")
    if error:
        match = _DUPLICATE.search(error)
        target = f"version {match.group(1)}" if match else str(facts.settings.migrations_dir.name)
        out.findings.append(fail(target, error, "renumber one of the files to a free version"))
    return out
