from __future__ import annotations

from collections.abc import Iterable, Iterator

from slipway.lint.rule import Hit, Rule, StatementContext, register
from slipway.lint.rules._helpers import table_cmds
from slipway.lint.rules._objects import constraint_names, table_cmds_around
from slipway.lint.state import ReplayState
from slipway.sql.nodes import Node


@register
class BanDropConstraint(Rule):
    """Dropping a constraint removes a guarantee that existing code and data may rely on.

    Without the unique constraint duplicates get in and `ON CONFLICT` on its columns fails;
    without the foreign key rows can point at nothing; without the check bad values arrive
    unnoticed. Not reported: a table the same migration created, a constraint it added
    earlier, and a constraint it adds again under the same name (the way to change a check or
    a foreign key's ON DELETE; in a later statement only when the migration runs in a
    transaction, so no client sees the gap).

    **Anti-pattern**

    ```sql
    ALTER TABLE leads DROP CONSTRAINT leads_email_key;
    ```

    **Best practice**

    ```sql
    -- replace it under the same name, so the guarantee never lapses:
    ALTER TABLE leads DROP CONSTRAINT leads_status_check,
        ADD CONSTRAINT leads_status_check CHECK (status IN ('new', 'won', 'lost', 'spam')) NOT VALID;
    ALTER TABLE leads VALIDATE CONSTRAINT leads_status_check;
    ```
    """

    code = "SW028"
    name = "ban-drop-constraint"
    severity = "warning"
    kinds = ("AlterTableStmt:AT_DropConstraint",)
    help = "Make sure no code or data relies on it, or add its replacement in the same migration."

    def check(self, ctx: StatementContext) -> Iterator[Hit]:
        for table, cmd in table_cmds(ctx, "AT_DropConstraint"):
            name = str(cmd.get("name", ""))
            if not ctx.existed_before(table) or _added_here(ctx, table, name):
                continue
            yield Hit(
                f"dropping {_kind(ctx.state, table, name)} {name} on {table} removes a "
                "guarantee existing code and data may rely on"
            )


def _added_here(ctx: StatementContext, table: str, name: str) -> bool:
    """Added before the drop (new, unused) or after it under the same name (a replacement)."""
    subtypes = ("AT_AddConstraint", "AT_AddColumn")
    earlier = table_cmds_around(ctx, table, True, *subtypes)
    later: Iterable[Node]
    if ctx.non_transactional:  # clients see the gap before a later statement re-adds it
        later = [cmd for t, cmd in table_cmds(ctx, *subtypes) if t == table]
    else:
        later = table_cmds_around(ctx, table, False, *subtypes)
    return any(name in constraint_names(cmd) for cmd in (*earlier, *later))


def _kind(state: ReplayState, table: str, name: str) -> str:
    found = state.tables.get(table)
    if found is None:
        return "constraint"
    if name in found.uniques:
        return "unique constraint"
    if any(fk.name == name for fk in found.foreign_keys):
        return "foreign key"
    if found.primary_key and name == found.primary_key_name:
        return "primary key"
    if name in found.not_null_checks or name in found.not_valid:
        return "check constraint"
    return "constraint"
