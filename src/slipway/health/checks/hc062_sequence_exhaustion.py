"""HC062 sequence-exhaustion."""

from __future__ import annotations

from slipway.catalog.model import Column, Sequence, Table
from slipway.health.checks import Outcome, check, fail, warn
from slipway.health.facts import Facts

TYPE_MAX = {"smallint": 32_767, "integer": 2_147_483_647, "bigint": 9_223_372_036_854_775_807}


def used_fraction(s: Sequence, last_value: int | None, column_type: str | None) -> float | None:
    """How much of its range a sequence has used, capped by the type of the column it feeds."""
    if last_value is None or s.cycle:
        return None
    if s.increment > 0:
        cap = min(s.max_value, TYPE_MAX.get(column_type or "", s.max_value))
        span = cap - s.min_value
        return (last_value - s.min_value) / span if span > 0 else 1.0
    span = s.max_value - s.min_value
    return (s.max_value - last_value) / span if span > 0 else 1.0


def _fed_columns(facts: Facts) -> dict[str, tuple[Table, Column]]:
    """Columns by the "schema.table.column" text a sequence's `owned_by` holds."""
    return {
        f"{t.schema}.{t.name}.{c.name}": (t, c) for t in facts.catalog.tables for c in t.columns
    }


@check("HC062", "sequence-exhaustion", "maintenance", facts=("catalog", "stats"))
def sequence_exhaustion(facts: Facts) -> Outcome:
    """Sequences close to their maximum, or to the maximum of the column they fill.

    Why: when a sequence (or its int column) runs out, every insert fails.

    Fix: ALTER SEQUENCE s AS bigint MAXVALUE ... and widen the column to bigint.
    """
    th = facts.thresholds
    out = Outcome()
    fed = _fed_columns(facts) if facts.catalog.sequences else {}
    for s in facts.catalog.sequences:
        measured = facts.stats.sequence(s.schema, s.name)
        last_value = measured.last_value if measured else None
        table, column = fed.get(s.owned_by or "", (None, None))
        frac = used_fraction(s, last_value, column.type if column else None)
        if frac is None or frac < th.sequence_warn:
            continue
        name = f"{s.schema}.{s.name}"
        feeds = (
            f" feeding {table.schema}.{table.name}.{column.name} ({column.type})"
            if table and column
            else ""
        )
        level = fail if frac >= th.sequence_fail else warn
        out.findings.append(
            level(
                name,
                f"{frac:.0%} used (last value {last_value}){feeds}",
                f"ALTER SEQUENCE {name} AS bigint MAXVALUE "
                "9223372036854775807; widen the column to bigint",
            )
        )
    return out
