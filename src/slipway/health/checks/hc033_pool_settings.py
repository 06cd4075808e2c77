"""HC033 pool-settings."""

from __future__ import annotations

from slipway.config import pool_settings
from slipway.health.checks import Outcome, check, info, warn
from slipway.health.facts import Facts


@check("HC033", "pool-settings", "connection", facts=("database",))
def pool_settings_check(facts: Facts) -> Outcome:
    """The connection pool settings slipway uses, against what the server allows.

    Why: a pool larger than the server's free connections fails under load instead of
    queueing.

    Fix: set [pool] max_size in slipway.toml below the server's usable connections.
    """
    db = facts.one("database")
    pool = pool_settings(facts.settings)  # validated when slipway.toml was read
    usable = int(db.get("max_connections") or 0) - int(db.get("reserved_connections") or 0)
    out = Outcome(metrics=dict(pool))
    text = ", ".join(f"{k}={v}" for k, v in pool.items())
    if usable and int(pool["max_size"]) > usable:
        out.findings.append(
            warn(
                "pool",
                f"{text}: max_size exceeds the {usable} usable connections",
                f"set [pool] max_size to at most {usable}",
            )
        )
    else:
        out.findings.append(info("pool", text))
    return out
