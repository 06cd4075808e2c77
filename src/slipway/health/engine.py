"""The doctor: gather facts once, run every check on them, build one Report.

    report = run_doctor(conn, settings, DoctorOptions(load_clients=10))

Reads happen in one read-only snapshot with set-based queries; the CRUD validation writes only
inside a transaction that is rolled back; the load test (opt-in) likewise.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from slipway.config import Settings
from slipway.db import Conn
from slipway.health.checks import Check, all_checks
from slipway.health.facts import Facts
from slipway.health.gather import gather
from slipway.report.finding import Finding
from slipway.report.model import CheckResult, Report


@dataclass(frozen=True)
class DoctorOptions:
    crud: bool = True
    crud_tables: int = 100  # tables below the tenant root the CRUD check validates; 0 = all
    load_clients: int = 0
    load_seconds: float = 5.0
    database_label: str = ""  # masked URL for the report header
    url: str = ""  # where the load test's pool connects (never printed)


def selected_checks(options: DoctorOptions) -> list[Check]:
    wanted = {"": True, "crud": options.crud, "load": options.load_clients > 0}
    return [c for c in all_checks() if wanted.get(c.needs, False)]


def evaluate(check: Check, facts: Facts) -> CheckResult:
    """Run one check; a crash becomes a failing finding instead of losing the whole report."""
    result = CheckResult(
        code=check.code,
        name=check.name,
        category=check.category,
        summary=check.summary,
        why=check.why,
        fix=check.fix,
        informational=check.informational,
    )
    try:
        outcome = check.func(facts)
    except Exception as exc:  # noqa: BLE001 - a bug in one check must not hide the others
        result.findings.append(
            Finding(
                check.code,
                check.name,
                "error",
                f"check crashed: {type(exc).__name__}: {exc}",
                check.code,
                "report this as a slipway bug",
            )
        )
        return result
    result.findings = [replace(f, code=check.code, name=check.name) for f in outcome.findings]
    result.details = outcome.details
    result.metrics = outcome.metrics
    result.notes = outcome.notes + [
        facts.notes[f]
        for f in check.facts
        if f in facts.notes and facts.notes[f] not in outcome.notes
    ]
    return result


def collect(conn: Conn, settings: Settings, checks: list[Check], options: DoctorOptions) -> Facts:
    """Everything the checks need: catalog facts, migrations, CRUD and load results."""
    facts = Facts(settings=settings, thresholds=settings.config.doctor)
    names = {f for c in checks for f in c.facts}
    gather(conn, facts, names, options.url)
    if any(c.category == "migrations" for c in checks):
        from slipway.health.derived import gather_migrations

        gather_migrations(conn, facts)
    if options.crud:
        from slipway.health.crud import run_crud

        facts.extra["crud"] = run_crud(conn, facts, options.crud_tables)
    if options.load_clients > 0:
        from slipway.health.loadtest import run_load

        facts.extra["load"] = run_load(
            conn, facts, options.load_clients, options.load_seconds, options.url
        )
    return facts


def run_doctor(conn: Conn, settings: Settings, options: DoctorOptions | None = None) -> Report:
    """The whole health report for the database behind `conn`."""
    from slipway.health.readiness import checklist

    options = options or DoctorOptions()
    started = time.perf_counter()
    checks = selected_checks(options)
    facts = collect(conn, settings, checks, options)
    results = [evaluate(c, facts) for c in checks]
    db = facts.one("database")
    notes = []
    if db and not db.get("is_superuser") and not db.get("can_read_all_stats"):
        notes.append(
            f"connected as {db.get('current_user')} without pg_read_all_stats: "
            "statistics of other roles' sessions are hidden"
        )
    return Report(
        title="slipway doctor",
        database=options.database_label or str(db.get("database", "")),
        generated_at=datetime.now(UTC).isoformat(timespec="seconds"),
        checks=results,
        checklist=checklist(results),
        notes=notes,
        server_version=f"PostgreSQL {db.get('server_version', '?')}",
        duration_s=time.perf_counter() - started,
        statistics=facts.stats if "stats_read" in facts.extra else None,
    )


def diagnose(settings: Settings, options: DoctorOptions | None = None) -> Report:
    """`run_doctor` on a new connection to the settings' database, the report headed with
    its masked URL (the load test connects to the same URL)."""
    from slipway.db import connect_url, mask_url, server_url

    url = server_url(settings)
    options = replace(options or DoctorOptions(), database_label=mask_url(url), url=url)
    with connect_url(url) as conn:
        return run_doctor(conn, settings, options)
