"""HC002 tenant-root."""

from __future__ import annotations

from slipway.health.checks import Outcome, check, info, warn
from slipway.health.facts import Facts
from slipway.health.tenancy import child_of, name_of, parent_of, tenant_fks, tenant_root, tree_lines


@check("HC002", "tenant-root", "schema", facts=("catalog",))
def tenant_root_tree(facts: Facts) -> Outcome:
    """The tenant root table and the foreign-key tree below it; tenant tables not tied to it.

    Why: every table carrying the tenant column should reference the tenant root, so a tenant's
    rows cannot point at a tenant that does not exist and offboarding can cascade.

    Fix: add the foreign key, e.g. ALTER TABLE t ADD FOREIGN KEY (dealership_id) REFERENCES
    dealerships (id) ON DELETE CASCADE NOT VALID; then VALIDATE CONSTRAINT.
    """
    col = facts.tenant_column
    tenant = facts.tenant_tables()
    root = tenant_root(facts)
    out = Outcome(metrics={"tenant_tables": len(tenant)})
    if not tenant:
        out.findings.append(info("database", f"no table has the tenant column {col}"))
        return out
    if root is None:
        for t in tenant:
            out.findings.append(
                warn(
                    t.qualified,
                    f"has {col} but no foreign key on it",
                    f"reference the tenant root table on {col}",
                )
            )
        return out
    root_name = root.qualified
    out.metrics["root"] = root_name
    out.details = tree_lines(facts, root)
    out.findings.append(info(root_name, f"tenant root: {len(tenant)} tables carry {col}"))
    tied = {child_of(e) for e in tenant_fks(facts) if parent_of(e) == name_of(root)}
    for t in tenant:
        if name_of(t) not in tied | {name_of(root)}:
            out.findings.append(
                warn(
                    t.qualified,
                    f"has {col} but no foreign key from it to {root_name}",
                    f"ALTER TABLE {t.qualified} ADD FOREIGN KEY ({col}) REFERENCES {root_name} "
                    "ON DELETE CASCADE NOT VALID; then VALIDATE CONSTRAINT",
                )
            )
    return out
