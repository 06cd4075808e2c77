from __future__ import annotations

from collections.abc import Iterator

from slipway.lint.rule import Hit, Rule, StatementContext, register
from slipway.lint.rules._helpers import table_cmds
from slipway.sql import nodes as n

_TEXTLIKE = {"varchar", "text"}


@register
class ChangingColumnType(Rule):
    """Changing a column's type usually rewrites the table under an ACCESS EXCLUSIVE lock.

    Reads and writes wait for the rewrite and for every index rebuild. The replay knows the
    old type, so changes that need no rewrite (varchar(n) to a longer varchar or to text)
    are not reported.

    **Anti-pattern**

    ```sql
    ALTER TABLE leads ALTER COLUMN score TYPE bigint;
    ```

    **Best practice**

    ```sql
    ALTER TABLE leads ADD COLUMN score_big bigint;
    -- backfill in batches, switch the application, then drop the old column
    ```
    """

    code = "SW013"
    name = "changing-column-type"
    severity = "warning"
    kinds = ("AlterTableStmt",)
    help = "Add a new column, backfill it in batches, move the application over, drop the old one."

    def check(self, ctx: StatementContext) -> Iterator[Hit]:
        for table, cmd in table_cmds(ctx, "AT_AlterColumnType"):
            if not ctx.existed_before(table):
                continue
            name = str(cmd.get("name", ""))
            type_node = (cmd.get("def") or {}).get("ColumnDef", {}).get("typeName")
            known = ctx.state.tables.get(table)
            old = known.columns.get(name) if known else None
            if old and _no_rewrite(
                old.type, old.typmods, n.type_name(type_node), n.typmods(type_node)
            ):
                continue
            yield Hit(
                f"changing the type of {table}.{name} rewrites the table while blocking "
                "reads and writes"
            )


def _no_rewrite(old: str, old_mods: tuple[int, ...], new: str, new_mods: list[int]) -> bool:
    if old in _TEXTLIKE and new == "text":
        return True
    if old == new == "varchar":
        return not new_mods or bool(old_mods and new_mods[0] >= old_mods[0])
    return False
