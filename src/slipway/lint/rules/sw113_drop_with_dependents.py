from __future__ import annotations

from collections.abc import Iterator

from slipway.lint.rule import Hit, Rule, StatementContext, register
from slipway.lint.rules._existence import when
from slipway.lint.rules._objects import object_name
from slipway.lint.state import ReplayState


@register
class DropWithDependents(Rule):
    """A DROP without CASCADE names an object other objects depend on: PostgreSQL refuses it.

    Dropping a table that another table's foreign key references or a view reads, a type a
    column uses, or a function that a trigger, a column default, a policy or a view calls
    fails with "cannot drop ... because other objects depend on it". In a down script this
    is usually the order of its statements: the dependent object has to go first. The
    replay knows the foreign keys, views, column types, triggers, defaults and policies the
    migrations made.

    **Anti-pattern**

    ```sql
    -- up: CREATE TYPE lead_stage AS ENUM ('new', 'won');
    --     ALTER TABLE leads ADD COLUMN stage lead_stage;
    -- down:
    DROP TYPE lead_stage;
    ALTER TABLE leads DROP COLUMN stage;
    ```

    **Best practice**

    ```sql
    -- down:
    ALTER TABLE leads DROP COLUMN stage;
    DROP TYPE lead_stage;
    ```
    """

    code = "SW113"
    name = "drop-with-dependents"
    severity = "error"
    kinds = ("DropStmt",)
    help = "Drop (or change) the dependent objects first; CASCADE only if losing them is meant."

    def check(self, ctx: StatementContext) -> Iterator[Hit]:
        node = ctx.stmt.node
        if node.get("behavior") == "DROP_CASCADE":
            return
        remove = node.get("removeType")
        keys = [object_name(obj) for obj in node.get("objects", [])]
        for key in keys:
            if remove == "OBJECT_TABLE" and key in ctx.state.tables:
                found = _on_table(ctx.state, key, set(keys))
            elif remove in ("OBJECT_VIEW", "OBJECT_MATVIEW") and key in ctx.state.views:
                found = _readers(ctx.state, key, set(keys))
            elif remove in ("OBJECT_TYPE", "OBJECT_DOMAIN"):
                found = _on_type(ctx.state, key)
            elif remove in ("OBJECT_FUNCTION", "OBJECT_PROCEDURE", "OBJECT_ROUTINE"):
                found = _on_function(ctx.state, key)
            else:
                continue
            dependent = next(found, None)
            if dependent:
                yield Hit(f"cannot drop {key} {when(ctx)}: {dependent} depends on it")


def _on_table(state: ReplayState, key: str, dropped: set[str]) -> Iterator[str]:
    for other in state.tables.values():
        if other.key == key or other.key in dropped:
            continue
        for fk in other.foreign_keys:
            if fk.ref_table == key:
                yield f"foreign key {fk.name} of table {other.key}"
    yield from _readers(state, key, dropped)


def _readers(state: ReplayState, key: str, dropped: set[str]) -> Iterator[str]:
    for view in state.views.values():
        if key in view.tables and view.key not in dropped and view.key != key:
            yield f"{'materialized view' if view.materialized else 'view'} {view.key}"


def _on_type(state: ReplayState, key: str) -> Iterator[str]:
    bare = key.rpartition(".")[2]  # Column.type is the type's own name
    for table in state.tables.values():
        for column in table.columns.values():
            if column.type == bare:
                yield f"column {table.key}.{column.name}"


def _on_function(state: ReplayState, key: str) -> Iterator[str]:
    for table in state.tables.values():
        for trigger, function in table.triggers.items():
            if function == key:
                yield f"trigger {trigger} on {table.key}"
        for what, calls in table.calls.items():
            if key in calls:  # "default of column c" or "policy p"
                kind, _, name = what.rpartition(" ")
                yield (
                    f"{kind} {table.key}.{name}"
                    if kind != "policy"
                    else f"policy {name} on {table.key}"
                )
    for view in state.views.values():
        if key in view.calls:
            yield f"{'materialized view' if view.materialized else 'view'} {view.key}"
