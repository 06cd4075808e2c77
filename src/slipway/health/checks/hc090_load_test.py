"""HC090 load-test."""

from __future__ import annotations

from slipway.health.checks import Outcome, check, fail, info, warn
from slipway.health.facts import Facts

P95_WARN_MS = 500.0  # seed 003's bar: "< 500ms"
ERROR_RATE_FAIL = 0.05


@check("HC090", "load-test", "load", needs="load")
def load_test(facts: Facts) -> Outcome:
    """N concurrent clients through a connection pool running the CRUD mix (rolled back).

    Why: seed 003 simulated 20 concurrent queries on paper; latency percentiles, pool waits,
    retries and errors measured on the real server say whether the pool and the schema hold.

    Fix: slow transactions point at missing indexes or lock contention; long pool waits at a
    pool that is too small for the concurrency.
    """
    load = facts.extra.get("load")
    out = Outcome()
    if load is None:
        out.notes.append("the load test did not run")
        return out
    s = load.summary()
    out.metrics = s
    out.details = [f"{k}: {v}" for k, v in s.items()]
    text = (
        f"{s['clients']} clients, {s['seconds']} s, {s['transactions']} transactions "
        f"({s['tps']}/s): p50 {s['p50_ms']} ms, p95 {s['p95_ms']} ms, p99 {s['p99_ms']} ms; "
        f"pool wait p95 {s['pool_wait_p95_ms']} ms; {s['retries']} retries, "
        f"{s['errors']} errors"
    )
    total = s["transactions"] + s["errors"]
    rate = s["errors"] / total if total else 1.0
    fix = "see the error samples; check locks, indexes and the pool size"
    if rate > ERROR_RATE_FAIL:
        out.findings.append(fail("load", text, fix))
    elif s["errors"] or s["p95_ms"] > P95_WARN_MS:
        out.findings.append(warn("load", text, fix))
    else:
        out.findings.append(info("load", text))
    out.details += [f"error: {e}" for e in load.error_samples]
    return out
