"""HC030 server-version."""

from __future__ import annotations

from slipway.health.checks import Outcome, check, info, warn
from slipway.health.facts import Facts

OLDEST_SUPPORTED = 14  # community support for 13 ended in November 2025


@check("HC030", "server-version", "connection", facts=("database",))
def server_version(facts: Facts) -> Outcome:
    """The PostgreSQL server version, and whether it is still supported.

    Why: unsupported majors get no security fixes.

    Fix: upgrade to a supported major version (pg_upgrade, or a logical replica).
    """
    db = facts.one("database")
    num = int(db.get("server_version_num") or 0)
    out = Outcome(metrics={"server_version_num": num})
    target = str(db.get("database", "database"))
    text = f"PostgreSQL {db.get('server_version', '?')}"
    if num and num // 10000 < OLDEST_SUPPORTED:
        out.findings.append(
            warn(
                target,
                f"{text} is no longer supported",
                f"upgrade to PostgreSQL {OLDEST_SUPPORTED} or newer",
            )
        )
    else:
        out.findings.append(info(target, text))
    return out
