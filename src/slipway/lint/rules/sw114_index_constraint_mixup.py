from __future__ import annotations

from collections.abc import Iterator

from slipway.lint.rule import Hit, Rule, StatementContext, register
from slipway.lint.rules._helpers import table_cmds
from slipway.lint.state import ReplayState, Table
from slipway.sql import nodes as n


@register
class IndexConstraintMixup(Rule):
    """DROP CONSTRAINT names an index, or DROP INDEX names a constraint's index.

    `CREATE UNIQUE INDEX` makes an index, not a constraint: `ALTER TABLE ... DROP CONSTRAINT`
    with its name fails ("constraint does not exist"), or with `IF EXISTS` silently leaves
    the index in place, so the rollback does not undo what the up did. The other way round,
    the index behind a UNIQUE or PRIMARY KEY constraint cannot be dropped with `DROP INDEX`
    ("constraint ... requires it").

    **Anti-pattern**

    ```sql
    -- up: CREATE UNIQUE INDEX leads_email_idx ON leads (email);
    -- down:
    ALTER TABLE leads DROP CONSTRAINT IF EXISTS leads_email_idx;
    ```

    **Best practice**

    ```sql
    -- down:
    DROP INDEX IF EXISTS leads_email_idx;
    ```
    """

    code = "SW114"
    name = "index-constraint-mixup"
    severity = "error"
    kinds = ("AlterTableStmt", "DropStmt")
    help = "Drop an index with DROP INDEX and a constraint with ALTER TABLE ... DROP CONSTRAINT."

    def check(self, ctx: StatementContext) -> Iterator[Hit]:
        if ctx.stmt.kind == "DropStmt":
            if ctx.stmt.node.get("removeType") == "OBJECT_INDEX":
                yield from self._drop_index(ctx)
            return
        for key, cmd in table_cmds(ctx, "AT_DropConstraint"):
            name = str(cmd.get("name", ""))
            index = ctx.state.indexes.get(name)
            table = ctx.state.tables.get(key)
            if index is None or index.table != key or table is None or _constraint(table, name):
                continue
            outcome = "does nothing" if cmd.get("missing_ok") else "fails"
            yield Hit(
                f"{name} is an index on {key}, not a constraint: DROP CONSTRAINT {outcome}; "
                f"use DROP INDEX {name}"
            )

    def _drop_index(self, ctx: StatementContext) -> Iterator[Hit]:
        for obj in ctx.stmt.node.get("objects", []):
            name = n.qualified(n.strings(obj.get("List", {}).get("items")))
            if name in ctx.state.indexes:
                continue
            owner = _constraint_owner(ctx.state, name)
            if owner is not None:
                yield Hit(
                    f"index {name} belongs to constraint {name} on {owner}: DROP INDEX fails; "
                    f"use ALTER TABLE {owner} DROP CONSTRAINT {name}"
                )


def _constraint(table: Table, name: str) -> bool:
    """The table has a constraint of this name, as far as the replay tracks them."""
    return (
        name in table.uniques
        or name in table.not_valid
        or name in table.not_null_checks
        or any(fk.name == name for fk in table.foreign_keys)
        or (table.primary_key is not None and name == f"{table.key.rpartition('.')[2]}_pkey")
    )


def _constraint_owner(state: ReplayState, name: str) -> str | None:
    """The table whose UNIQUE or PRIMARY KEY constraint (and so index) is called `name`."""
    for table in state.tables.values():
        if name in table.uniques:
            return table.key
        if table.primary_key and name == f"{table.key.rpartition('.')[2]}_pkey":
            return table.key
    return None
