from __future__ import annotations

from collections.abc import Iterator

from slipway.lint.rule import Hit, Rule, StatementContext, register
from slipway.lint.rules._objects import created_earlier
from slipway.sql import nodes as n


@register
class BanAlterDomainWithAddConstraint(Rule):
    """Adding a constraint to a domain checks every column of that domain in every table.

    `ALTER DOMAIN ... ADD CONSTRAINT` (and `SET NOT NULL`) reads every row of every table with
    a column of the domain, holding a lock that blocks their writes, and PostgreSQL has no
    concurrent way to do it. `NOT VALID` skips the existing rows, but `VALIDATE CONSTRAINT`
    later scans them all the same. A domain the same migration created is reported by
    ban-create-domain-with-constraint instead.

    **Anti-pattern**

    ```sql
    ALTER DOMAIN email_address ADD CONSTRAINT email_has_at CHECK (VALUE LIKE '%@%');
    ```

    **Best practice**

    ```sql
    ALTER TABLE leads ADD CONSTRAINT leads_email_has_at CHECK (email LIKE '%@%') NOT VALID;
    ALTER TABLE leads VALIDATE CONSTRAINT leads_email_has_at;
    ```
    """

    code = "SW045"
    name = "ban-alter-domain-with-add-constraint"
    severity = "warning"
    kinds = ("AlterDomainStmt",)
    help = "Put the constraint on the table columns instead (NOT VALID, then VALIDATE)."

    def check(self, ctx: StatementContext) -> Iterator[Hit]:
        node = ctx.stmt.node
        domain = n.qualified(n.strings(node.get("typeName")))
        if node.get("subtype") not in ("C", "O") or created_earlier(ctx, "domain", domain):
            return
        constraint = (node.get("def") or {}).get("Constraint") or {}
        what = "SET NOT NULL" if node["subtype"] == "O" else "ADD CONSTRAINT"
        note = (
            "; NOT VALID skips the existing rows, but VALIDATE CONSTRAINT will scan them"
            if constraint.get("skip_validation")
            else ""
        )
        yield Hit(
            f"ALTER DOMAIN {domain} {what} scans every column of type {domain} in every table, "
            f"blocking their writes{note}"
        )
