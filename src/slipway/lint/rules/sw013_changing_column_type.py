from __future__ import annotations

from collections.abc import Iterator

from slipway.lint.rule import Hit, Rule, StatementContext, register
from slipway.lint.rules._helpers import table_cmds
from slipway.lint.state import Column
from slipway.sql import nodes as n
from slipway.sql.nodes import Node

_TEXTLIKE = {"varchar", "text"}
_TIMESTAMPS = {"timestamp", "timestamptz"}


@register
class ChangingColumnType(Rule):
    """Changing a column's type usually rewrites the table under an ACCESS EXCLUSIVE lock.

    Reads and writes wait for the rewrite and for every index rebuild. The replay knows the
    old type, so changes that need no rewrite (varchar(n) to a longer varchar or to text)
    are not reported. A `USING` expression other than the column itself computes every row
    anew, and a change to, from or between array types rewrites too (only dropping the
    elements' length limit does not). timestamp to timestamptz (or back) rebuilds the
    column's indexes, and rewrites the table unless the session's TimeZone is UTC (the
    stored values then mean the same instant).

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
    cost = "rewrite"
    kinds = ("AlterTableStmt:AT_AlterColumnType",)
    help = "Add a new column, backfill it in batches, move the application over, drop the old one."

    def check(self, ctx: StatementContext) -> Iterator[Hit]:
        for table, cmd in table_cmds(ctx, "AT_AlterColumnType"):
            if not ctx.existed_before(table):
                continue
            name = str(cmd.get("name", ""))
            definition = (cmd.get("def") or {}).get("ColumnDef", {})
            type_node = definition.get("typeName")
            known = ctx.state.tables.get(table)
            old = known.columns.get(name) if known else None
            using = definition.get("raw_default")
            if using is not None and not _is_column(using, name):
                yield Hit(
                    f"changing the type of {table}.{name} with USING computes every row anew: "
                    "the table is rewritten while reads and writes wait",
                    table=table,
                )
                continue
            if old is None:
                yield _rewrite(table, name)
                continue
            new, new_mods = n.type_name(type_node), n.typmods(type_node)
            if old.array or n.is_array(type_node):
                # An array's elements are coerced one by one unless only a length limit goes.
                same = old.array and n.is_array(type_node) and new == old.type
                if not (same and (not new_mods or tuple(new_mods) == old.typmods)):
                    yield _rewrite(table, name)
            elif {old.type, new} == _TIMESTAMPS:
                yield Hit(
                    f"changing {table}.{name} from {old.type} to {new} rebuilds its indexes "
                    "and rewrites the table unless the session TimeZone is UTC, while reads "
                    "and writes wait",
                    help="Run it with SET TimeZone = 'UTC' (and the table is not rewritten), "
                    "or add a new column and backfill it in batches.",
                    table=table,
                )
            elif not _no_rewrite(old, new, new_mods):
                yield _rewrite(table, name)


def _rewrite(table: str, name: str) -> Hit:
    return Hit(
        f"changing the type of {table}.{name} rewrites the table while blocking reads and writes",
        table=table,
    )


def _is_column(expr: Node, name: str) -> bool:
    """`USING col` or `USING col::type`: the old value itself, as without USING."""
    cast = expr.get("TypeCast")
    ref = (cast.get("arg") if cast else expr).get("ColumnRef") or {}
    fields = n.strings(ref.get("fields"))
    return bool(fields) and fields[-1] == name


def _no_rewrite(old: Column, new: str, new_mods: list[int]) -> bool:
    """Binary-coercible changes PostgreSQL makes in the catalog only."""
    if old.type == new and tuple(new_mods) == old.typmods:
        return True
    if old.type in _TEXTLIKE and (new == "text" or new == "varchar" and not new_mods):
        return True
    if old.type == new == "varchar":
        return not new_mods or bool(old.typmods and new_mods[0] >= old.typmods[0])
    return False
