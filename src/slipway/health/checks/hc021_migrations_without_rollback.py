"""HC021 migrations-without-rollback."""

from __future__ import annotations

from typing import Any

from slipway.health.checks import Outcome, check, warn
from slipway.health.facts import Facts


@check("HC021", "migrations-without-rollback", "migrations")
def migrations_without_rollback(facts: Facts) -> Outcome:
    """Migrations that have no rollback (down) script.

    Why: without a down script a bad release cannot be rolled back by the tool, only by hand
    under pressure.

    Fix: write the down script (in the folder's layout: NNNN_name.down.sql, down.sql, U1__name.sql, `-- migrate:down`, `-- +goose Down`) and prove it with `slipway verify`.
    """
    out = Outcome()
    states: list[Any] | None = facts.extra.get("migrations")
    if states is None:
        out.notes.append("migration status unknown (see HC020)")
        return out
    for s in states:
        if s.state != "missing" and not s.has_rollback:
            place = s.migration.rollback_place if s.migration else f"{s.version}_{s.name}.down.sql"
            out.findings.append(
                warn(f"{s.version}_{s.name}", "has no rollback script", f"add {place}")
            )
    return out
