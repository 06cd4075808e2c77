from __future__ import annotations

import re
from collections.abc import Iterator

from slipway.lint.rule import Hit, Rule, StatementContext, register
from slipway.sql import nodes as n
from slipway.sql.nodes import Node

MAX_BYTES = 63
# PostgreSQL's scanner truncates identifiers before the tree is built, so a name in the tree
# that is (nearly) 63 bytes long may have been longer in the file: look there.
_SUSPECT = MAX_BYTES - 3
_LONG_TOKEN = re.compile(rb'[\w$\x80-\xff]{%d,}|"[^"]{%d,}"' % (_SUSPECT, _SUSPECT))


@register
class IdentifierTooLong(Rule):
    """An identifier longer than 63 bytes is silently truncated by PostgreSQL.

    Two long names that share their first 63 bytes collide, and later migrations that spell
    the full name do not find the object.

    **Anti-pattern**

    ```sql
    CREATE INDEX leads_dealership_id_status_created_at_assigned_user_id_source_idx
        ON leads (dealership_id, status, created_at, assigned_user_id, source);
    ```

    **Best practice**

    ```sql
    CREATE INDEX leads_dealer_status_created_idx
        ON leads (dealership_id, status, created_at, assigned_user_id, source);
    ```
    """

    code = "SW016"
    name = "identifier-too-long"
    severity = "error"
    kinds = (
        "CreateStmt",
        "AlterTableStmt",
        "IndexStmt",
        "RenameStmt",
        "CreatePolicyStmt",
        "ViewStmt",
        "CreateFunctionStmt",
        "CreateTrigStmt",
        "CreateEnumStmt",
        "CreateSeqStmt",
        "CreateTableAsStmt",
    )
    help = "Shorten the name to at most 63 bytes."

    def check(self, ctx: StatementContext) -> Iterator[Hit]:
        data = ctx.script.data
        if not _LONG_TOKEN.search(data, ctx.stmt.start, ctx.stmt.end):
            return  # no long word in the statement's text: nothing can have been truncated
        suspects = [
            name
            for name in dict.fromkeys(_names(ctx.stmt.kind, ctx.stmt.node))
            if len(name.encode("utf-8")) >= _SUSPECT
        ]
        if not suspects:
            return
        text = data[ctx.stmt.start : ctx.stmt.end]
        for name in suspects:
            pattern = re.escape(name.encode("utf-8")) + rb"[\w$\x80-\xff]+"
            match = re.search(pattern, text, re.IGNORECASE)
            if match:
                full = match.group(0).decode("utf-8", "replace")
                yield Hit(
                    f"identifier {full!r} is {len(match.group(0))} bytes; PostgreSQL "
                    f"truncates it to {name!r}",
                    offset=ctx.stmt.start + match.start(),
                )


def _names(kind: str, node: Node) -> Iterator[str]:
    for key in ("idxname", "newname", "policy_name", "trigname", "conname"):
        if node.get(key):
            yield str(node[key])
    for key in ("relation", "view", "sequence"):
        if isinstance(node.get(key), dict):
            yield str(node[key].get("relname", ""))
    for key in ("funcname", "typeName"):
        if isinstance(node.get(key), list):
            yield from n.strings(node[key])
    if kind == "CreateTableAsStmt":
        yield str(node.get("into", {}).get("rel", {}).get("relname", ""))
    for element in node.get("tableElts", []):
        yield from _element_names(element)
    for cmd in n.alter_cmds(node):
        yield from _element_names(cmd.get("def") or {})


def _element_names(element: Node) -> Iterator[str]:
    if "ColumnDef" in element:
        col = element["ColumnDef"]
        yield str(col.get("colname", ""))
        for con in n.constraints_of(col):
            if con.get("conname"):
                yield str(con["conname"])
    if "Constraint" in element and element["Constraint"].get("conname"):
        yield str(element["Constraint"]["conname"])
