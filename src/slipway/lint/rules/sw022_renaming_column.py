from __future__ import annotations

from collections.abc import Iterator

from slipway.lint.rule import Hit, Rule, StatementContext, register
from slipway.lint.rules._objects import undoes_up_rename
from slipway.sql import nodes as n


@register
class RenamingColumn(Rule):
    """Renaming a column breaks every running application version that uses the old name.

    Columns of tables, views and materialized views, and attributes of composite types.

    **Anti-pattern**

    ```sql
    ALTER TABLE leads RENAME COLUMN phone TO phone_number;
    ```

    **Best practice**

    ```sql
    ALTER TABLE leads ADD COLUMN phone_number text;
    -- write both, backfill, move readers over, then drop phone in a later release
    ```
    """

    code = "SW022"
    name = "renaming-column"
    severity = "warning"
    kinds = ("RenameStmt",)
    help = "Add the new column, write both, backfill, switch readers, then drop the old column."

    def check(self, ctx: StatementContext) -> Iterator[Hit]:
        node = ctx.stmt.node
        # A view's column or a composite type's attribute too, as squawk counts them.
        if node.get("renameType") not in ("OBJECT_COLUMN", "OBJECT_ATTRIBUTE"):
            return
        table = n.relation(node.get("relation"))
        if ctx.existed_before(table) and not undoes_up_rename(ctx):
            yield Hit(
                f"renaming {table}.{node.get('subname')} to {node.get('newname')} breaks "
                "code that uses the old name"
            )
