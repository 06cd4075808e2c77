"""HC031 ssl."""

from __future__ import annotations

from slipway.health.checks import Outcome, check, fail, info
from slipway.health.facts import Facts


def _is_local(addr: str | None) -> bool:
    if addr is None:  # a Unix-domain socket
        return True
    host = addr.split("/")[0]
    return host.startswith("127.") or host == "::1"


@check("HC031", "ssl", "connection", facts=("database",))
def ssl(facts: Facts) -> Outcome:
    """Whether this connection is encrypted (SSL/TLS); required when it leaves the machine.

    Why: without TLS, passwords and tenant data cross the network in clear text.

    Fix: enable ssl on the server and put sslmode=require (or verify-full) in the URL.
    """
    db = facts.one("database")
    target = str(db.get("database", "database"))
    out = Outcome(metrics={"ssl": bool(db.get("ssl"))})
    if db.get("ssl"):
        out.findings.append(info(target, f"in use ({db.get('ssl_version')})"))
    elif _is_local(db.get("server_addr")):
        out.findings.append(info(target, "not in use; the connection is local"))
    else:
        out.findings.append(
            fail(
                target,
                f"not in use on a network connection to {db.get('server_addr')}",
                "enable ssl on the server and add sslmode=require to the URL",
            )
        )
    return out
