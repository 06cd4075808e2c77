"""Build the Guide model from migrations, their analysis, lint findings and (maybe) status.

Pure: everything arrives as arguments (collect.py does the reading and connecting).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from slipway.catalog.model import Catalog
from slipway.config import Settings
from slipway.guide import locks as lk
from slipway.guide.changes import changes
from slipway.guide.deps import MigrationFacts
from slipway.guide.mermaid import dependency_graph, er_diagrams
from slipway.guide.model import Entry, Guide, Line
from slipway.guide.verification import checks_for
from slipway.migrations.model import Migration, MigrationSet
from slipway.migrations.status import MigrationState
from slipway.report.finding import Finding

MODES = {
    "transaction": "one transaction, with its history row (all or nothing)",
    "wrapped": "the file's own BEGIN ... COMMIT, run as one transaction with its history row",
    "statements": "statement by statement, outside a transaction (CONCURRENTLY or VACUUM inside):"
    " a failure leaves earlier statements applied",
}


@dataclass
class GuideInputs:
    settings: Settings
    migrations: MigrationSet
    facts: list[MigrationFacts]
    findings: list[Finding]
    catalog: Catalog  # the schema the migrations describe (lint replay)
    statuses: list[MigrationState] | None  # None: status unknown
    database: str
    generated: str = ""


def _relative(path: Path | str, base: Path) -> str:
    try:
        return Path(os.path.relpath(path, base)).as_posix()
    except ValueError:
        return Path(path).as_posix()


def _status(state: MigrationState | None, has_rollback: bool) -> str:
    if state is None:
        return "unknown"
    if state.state == "applied":
        return "complete" if has_rollback else "no-rollback"
    return state.state


def _lines(facts: MigrationFacts, action: str) -> list[Line]:
    return [Line(c.obj.label, c.detail, line) for c, line in facts.objects(action)]


def _lock(facts: MigrationFacts) -> tuple[str, str]:
    lock = facts.strongest_lock
    if lock is None:
        return "", ""
    return f"{lock.mode} on {lock.relation} (line {lock.line})", lk.BLOCKS[lock.mode]


def _risks(findings: list[Finding], migration: Migration, base: Path) -> list[str]:
    paths = {os.path.abspath(s.path) for s in (migration.up, migration.down) if s is not None}
    out = []
    for f in findings:
        if os.path.abspath(f.file) in paths:
            where = _relative(f.file, base).rpartition("/")[2]
            out.append(f"{f.severity} {f.name} ({where}:{f.line}): {f.message}")
    return out


def _rollback(migration: Migration) -> list[str]:
    if migration.down is None:
        return []
    parsed = migration.down.parsed
    found = [c for s in parsed.statements for c in changes(s.kind, s.node) if c.action == "drops"]
    return list(dict.fromkeys(c.obj.label for c in found))


def _entry(inputs: GuideInputs, facts: MigrationFacts, state: MigrationState | None) -> Entry:
    m = facts.migration
    base = inputs.settings.project_dir
    lock, blocks = _lock(facts)
    applied = state.applied_at.strftime("%Y-%m-%d %H:%M") if state and state.applied_at else ""
    return Entry(
        version=m.version,
        name=m.name,
        description=m.description,
        file=_relative(m.up.path, base),
        kind="Forward+Rollback" if m.has_rollback else "Forward",
        status=_status(state, m.has_rollback),
        applied_at=applied,
        creates=_lines(facts, "creates"),
        alters=_lines(facts, "alters"),
        drops=_lines(facts, "drops"),
        writes=_lines(facts, "writes"),
        lock=lock,
        lock_blocks=blocks,
        risks=_risks(inputs.findings, m, base),
        mode=MODES[facts.mode] if not facts.syntax_error else "unknown (the script does not parse)",
        rollback_file=_relative(m.down.path, base) if m.down else "",
        rollback_drops=_rollback(m),
        depends=[
            f"{d.version} {d.name}: " + "; ".join(r.text for r in d.reasons)
            for d in facts.dependencies
        ],
        checks=checks_for(facts),
        syntax_error=facts.syntax_error or "",
    )


def _missing(state: MigrationState) -> Entry:
    applied = state.applied_at.strftime("%Y-%m-%d %H:%M") if state.applied_at else ""
    return Entry(state.version, state.name, state.description, "", "Forward", "missing", applied)


def _summary(inputs: GuideInputs) -> list[tuple[str, str]]:
    cat = inputs.catalog
    tenant = inputs.settings.tenant_column
    plain = [t for t in cat.tables if not t.is_partition]
    rows = [
        ("Migrations", str(len(inputs.migrations.migrations))),
        ("With rollback", str(sum(m.has_rollback for m in inputs.migrations.migrations))),
        ("Tables", str(len(plain))),
        ("Partitioned tables", str(sum(t.is_partitioned for t in plain))),
        ("Partitions", str(sum(t.is_partition for t in cat.tables))),
        (f"Tenant tables (with `{tenant}`)", str(len([t for t in plain if t.column(tenant)]))),
        ("Tables with RLS enabled", str(sum(t.rls_enabled for t in plain))),
        ("Views", str(len(cat.views))),
        ("Materialized views", str(len(cat.matviews))),
        ("Functions", str(len(cat.functions))),
        ("Enum types", str(len(cat.enums))),
        ("Foreign keys", str(sum(len(t.foreign_keys) for t in plain))),
    ]
    return rows


def _seconds(value: float) -> str:
    return f"{value:g}s"


def build_guide(inputs: GuideInputs) -> Guide:
    settings = inputs.settings
    states = {s.sort_key: s for s in inputs.statuses or []}
    keyed = [
        (f.migration.sort_key, _entry(inputs, f, states.pop(f.migration.sort_key, None)))
        for f in inputs.facts
    ]
    keyed += [(s.sort_key, _missing(s)) for s in states.values() if s.state == "missing"]
    entries = [entry for _, entry in sorted(keyed, key=lambda pair: pair[0])]  # version order
    project = settings.config.project.name or settings.project_dir.name
    return Guide(
        project=project,
        generated=inputs.generated,
        database=inputs.database,
        summary=_summary(inputs),
        layouts=", ".join(sorted(inputs.migrations.layouts)) or "paired",
        entries=entries,
        dependency_graph=dependency_graph(inputs.facts),
        er_diagrams=er_diagrams(inputs.catalog, keys_only=True, max_tables=15),
        tenant_column=settings.tenant_column,
        lock_timeout=_seconds(settings.lock_timeout),
        lock_retries=settings.lock_retries,
        lock_wait=_seconds(settings.lock_wait),
        history_table=settings.table,
        migrations_dir=_relative(inputs.migrations.directory, settings.project_dir),
        statuses_known=inputs.statuses is not None,
        pending=[e.version for e in entries if e.status == "pending"],
    )
