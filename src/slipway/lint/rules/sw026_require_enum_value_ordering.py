from __future__ import annotations

from collections.abc import Iterator

from slipway.lint.rule import Hit, Rule, StatementContext, register
from slipway.sql import nodes as n


@register
class RequireEnumValueOrdering(Rule):
    """ALTER TYPE ... ADD VALUE without BEFORE or AFTER appends the value at the end.

    Enum values sort in declaration order, so an appended value may sort somewhere the
    author did not intend. Say where it goes.

    **Anti-pattern**

    ```sql
    ALTER TYPE lead_status ADD VALUE 'qualified';
    ```

    **Best practice**

    ```sql
    ALTER TYPE lead_status ADD VALUE 'qualified' AFTER 'contacted';
    ```
    """

    code = "SW026"
    name = "require-enum-value-ordering"
    severity = "warning"
    kinds = ("AlterEnumStmt",)
    help = "Add BEFORE 'existing' or AFTER 'existing' to place the new value."

    def check(self, ctx: StatementContext) -> Iterator[Hit]:
        node = ctx.stmt.node
        # RENAME VALUE (oldVal set) keeps the value where it is.
        if node.get("newVal") and not node.get("newValNeighbor") and not node.get("oldVal"):
            enum = n.qualified(n.strings(node.get("typeName")))
            yield Hit(f"value {node['newVal']!r} is appended to the end of enum {enum}")
