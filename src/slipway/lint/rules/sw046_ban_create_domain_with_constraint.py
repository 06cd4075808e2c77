from __future__ import annotations

from collections.abc import Iterator

from slipway.lint.rule import Hit, Rule, StatementContext, register
from slipway.lint.rules._objects import created_earlier
from slipway.sql import nodes as n

_CONSTRAINTS = {"CONSTR_CHECK": "CHECK", "CONSTR_NOTNULL": "NOT NULL"}


@register
class BanCreateDomainWithConstraint(Rule):
    """A domain with a CHECK or NOT NULL constraint cannot be changed later without a long lock.

    Changing or adding a domain constraint later checks every column of the domain in every
    table, blocking their writes, with no concurrent alternative; a constraint on the column
    itself can be replaced with `NOT VALID` and `VALIDATE CONSTRAINT`. Domain `NOT NULL` is
    also not enforced everywhere (an outer join or a composite value can still hold NULL).
    A `DEFAULT` is not a constraint and is not reported; a constraint added by `ALTER DOMAIN`
    to a domain the same migration created is.

    **Anti-pattern**

    ```sql
    CREATE DOMAIN email_address AS text CHECK (VALUE LIKE '%@%');
    ```

    **Best practice**

    ```sql
    CREATE DOMAIN email_address AS text;
    ALTER TABLE leads ADD CONSTRAINT leads_email_has_at CHECK (email LIKE '%@%');
    ```
    """

    code = "SW046"
    name = "ban-create-domain-with-constraint"
    severity = "warning"
    kinds = ("CreateDomainStmt", "AlterDomainStmt")
    help = "Put the CHECK / NOT NULL on the table columns that use the domain instead."

    def check(self, ctx: StatementContext) -> Iterator[Hit]:
        node = ctx.stmt.node
        if ctx.stmt.kind == "CreateDomainStmt":
            domain = n.qualified(n.strings(node.get("domainname")))
            found = [c.get("contype") for c in _constraints(node.get("constraints"))]
        else:
            domain = n.qualified(n.strings(node.get("typeName")))
            if node.get("subtype") not in ("C", "O") or not created_earlier(ctx, "domain", domain):
                return
            constraint = (node.get("def") or {}).get("Constraint") or {}
            found = ["CONSTR_NOTNULL" if node["subtype"] == "O" else constraint.get("contype")]
        names = sorted({_CONSTRAINTS[c] for c in found if c in _CONSTRAINTS})
        if names:
            yield Hit(
                f"domain {domain} gets a {' and '.join(names)} constraint: changing it later "
                "scans every table that uses the domain, blocking writes"
            )


def _constraints(items: list[n.Node] | None) -> list[n.Node]:
    return [i["Constraint"] for i in items or () if "Constraint" in i]
