"""HC067 replication-slots."""

from __future__ import annotations

from slipway.health.checks import Outcome, check, info, size, warn
from slipway.health.facts import Facts


@check("HC067", "replication-slots", "maintenance", facts=("replication_slots",))
def replication_slots(facts: Facts) -> Outcome:
    """Replication slots, and inactive ones holding back WAL.

    Why: a slot whose consumer went away keeps every WAL segment since, until the disk is
    full and the server stops; it also holds back vacuum for logical slots.

    Fix: restart the consumer, or SELECT pg_drop_replication_slot('name') if it is gone.
    """
    limit = facts.thresholds.slot_retained_bytes
    out = Outcome()
    for s in facts.get("replication_slots"):
        held = s["retained_bytes"]
        text = f"{s['type']} slot, {'active' if s['active'] else 'inactive'}" + (
            f", holding {size(held)} of WAL" if held is not None else ""
        )
        if not s["active"] and held is not None and held >= limit:
            out.findings.append(
                warn(
                    s["name"],
                    text,
                    f"restart its consumer or SELECT pg_drop_replication_slot('{s['name']}');",
                )
            )
        else:
            out.findings.append(info(s["name"], text))
    return out
