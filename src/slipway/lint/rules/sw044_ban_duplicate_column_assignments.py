from __future__ import annotations

import re
from collections.abc import Iterator

from slipway.lint.rule import Hit, Rule, StatementContext, register
from slipway.sql import nodes as n
from slipway.sql.nodes import Node

_UPDATE = re.compile(rb"(?i)update")


@register
class BanDuplicateColumnAssignments(Rule):
    """An UPDATE that assigns the same column twice fails: PostgreSQL refuses the statement.

    `multiple assignments to same column` is raised before any row changes, so the migration
    fails when it runs. Also checked: `ON CONFLICT ... DO UPDATE SET`, `MERGE ... UPDATE SET`
    and updates inside a WITH. Assignments to different array elements or fields of one column
    (`tags[1] = ..., tags[2] = ...`) are allowed and not reported.

    **Anti-pattern**

    ```sql
    UPDATE leads SET status = 'won', status = 'lost' WHERE id = 1;
    ```

    **Best practice**

    ```sql
    UPDATE leads SET status = 'won' WHERE id = 1;
    ```
    """

    code = "SW044"
    name = "ban-duplicate-column-assignments"
    severity = "error"
    kinds = ("UpdateStmt", "InsertStmt", "MergeStmt", "SelectStmt", "DeleteStmt")
    help = "Assign each column once."

    def check(self, ctx: StatementContext) -> Iterator[Hit]:
        if not _UPDATE.search(ctx.script.data, ctx.stmt.start, ctx.stmt.end):
            return  # a SET list needs the word UPDATE: no need to walk a big query
        for kind, node in [(ctx.stmt.kind, ctx.stmt.node), *n.walk(ctx.stmt.node)]:
            yield from _duplicates(_set_list(kind, node))


def _set_list(kind: str, node: Node) -> list[Node]:
    """The SET list of an UPDATE, an INSERT's ON CONFLICT DO UPDATE or a MERGE's UPDATE."""
    if kind == "InsertStmt":
        node = node.get("onConflictClause") or {}
    elif kind == "MergeWhenClause":
        if node.get("commandType") != "CMD_UPDATE":
            return []
    elif kind != "UpdateStmt":
        return []
    return list(node.get("targetList") or ())


def _duplicates(targets: list[Node]) -> Iterator[Hit]:
    seen: set[str] = set()
    for item in targets:
        target = item.get("ResTarget") or {}
        name = str(target.get("name", ""))
        if not name or target.get("indirection"):
            continue
        if name in seen:
            yield Hit(
                f"column {name} is assigned twice: PostgreSQL refuses the statement",
                offset=target.get("location"),
            )
        seen.add(name)
