"""HC065 default-partition-rows."""

from __future__ import annotations

from slipway.health.checks import Outcome, check, warn
from slipway.health.facts import Facts


@check("HC065", "default-partition-rows", "maintenance", facts=("catalog", "default_rows"))
def default_partition_rows(facts: Facts) -> Outcome:
    """Rows sitting in a default partition.

    Why: rows land in the default partition when their range has no partition; they are
    scanned by every query and block creating that range's partition later.

    Fix: create the missing partitions and move the rows (slipway maintain partitions does it).
    """
    out = Outcome(notes=[facts.notes["default_rows"]] if "default_rows" in facts.notes else [])
    for r in facts.get("default_rows"):
        n = int(r["n"])
        if n:
            out.findings.append(
                warn(
                    str(r["partition"]),
                    f"{n} rows in the default partition",
                    "create partitions for their ranges and move the rows "
                    "(slipway maintain partitions)",
                )
            )
    return out
