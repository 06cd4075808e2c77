"""HC062 sequence-exhaustion."""

from __future__ import annotations

from slipway.health.checks import Outcome, check, fail, warn
from slipway.health.facts import Facts, Row

TYPE_MAX = {"smallint": 32_767, "integer": 2_147_483_647, "bigint": 9_223_372_036_854_775_807}


def used_fraction(s: Row) -> float | None:
    """How much of its range a sequence has used, capped by the column it feeds."""
    if s["last_value"] is None or s["cycle"]:
        return None
    inc = int(s["increment_by"])
    if inc > 0:
        cap = min(int(s["max_value"]), TYPE_MAX.get(s["column_type"] or "", int(s["max_value"])))
        span = cap - int(s["min_value"])
        return (int(s["last_value"]) - int(s["min_value"])) / span if span > 0 else 1.0
    span = int(s["max_value"]) - int(s["min_value"])
    return (int(s["max_value"]) - int(s["last_value"])) / span if span > 0 else 1.0


@check("HC062", "sequence-exhaustion", "maintenance", facts=("sequences",))
def sequence_exhaustion(facts: Facts) -> Outcome:
    """Sequences close to their maximum, or to the maximum of the column they fill.

    Why: when a sequence (or its int column) runs out, every insert fails.

    Fix: ALTER SEQUENCE s AS bigint MAXVALUE ... and widen the column to bigint.
    """
    th = facts.thresholds
    out = Outcome(notes=[facts.notes["sequences"]] if "sequences" in facts.notes else [])
    for s in facts.get("sequences"):
        frac = used_fraction(s)
        if frac is None or frac < th.sequence_warn:
            continue
        name = f"{s['schema']}.{s['name']}"
        feeds = (
            f" feeding {s['table_name']}.{s['column_name']} ({s['column_type']})"
            if s["table_name"]
            else ""
        )
        level = fail if frac >= th.sequence_fail else warn
        out.findings.append(
            level(
                name,
                f"{frac:.0%} used (last value {s['last_value']}){feeds}",
                f"ALTER SEQUENCE {name} AS bigint MAXVALUE "
                "9223372036854775807; widen the column to bigint",
            )
        )
    return out
