"""The readiness checklist: one line per area, from the checks' results (pure)."""

from __future__ import annotations

from slipway.report.model import STATUS_OF, STATUS_ORDER, ChecklistItem, CheckResult, worst

TITLES = {
    "schema": "Schema and tenant root",
    "relationships": "Foreign keys and referential integrity",
    "migrations": "Migrations",
    "connection": "Connection",
    "security": "Security and tenant isolation",
    "performance": "Performance",
    "maintenance": "Maintenance",
    "crud": "CRUD and cascades",
    "load": "Load",
}


def _item(category: str, results: list[CheckResult]) -> ChecklistItem:
    status = worst([r.status for r in results])
    bad = sorted((r for r in results if r.status != "pass"), key=lambda r: -STATUS_ORDER[r.status])
    if not bad:
        noted = sum(1 for r in results if r.notes)
        reason = (
            f"{len(results)} check{'' if len(results) == 1 else 's'} pass{'es' if len(results) == 1 else ''}"
            + (f" ({noted} with notes)" if noted else "")
        )
        return ChecklistItem(category, TITLES.get(category, category), status, reason)
    parts = []
    for r in bad:
        n = r.counts()[r.status]
        parts.append(f"{r.code} {r.name}: {n} {'problem' if n == 1 else 'problems'}")
    first = bad[0]
    target = next(f for f in first.findings if STATUS_OF[f.severity] == first.status)
    fix = target.hint or first.fix
    return ChecklistItem(
        category,
        TITLES.get(category, category),
        status,
        "; ".join(parts),
        f"{first.code} ({target.target}): {fix}",
    )


def checklist(results: list[CheckResult]) -> list[ChecklistItem]:
    """One item per category, in the order the categories first appear."""
    order: list[str] = []
    for r in results:
        if r.category not in order:
            order.append(r.category)
    return [_item(c, [r for r in results if r.category == c]) for c in order]
