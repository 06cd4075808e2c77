"""Shared by require-lock-timeout and require-statement-timeout: which statements lock
something that already existed, and what the script itself sets the timeouts to."""

from __future__ import annotations

import re
from bisect import bisect_left
from typing import TYPE_CHECKING
from weakref import WeakKeyDictionary

from slipway.lint.rules._objects import FAMILIES, object_name
from slipway.sql import is_concurrent
from slipway.sql import nodes as n
from slipway.sql.nodes import Node

if TYPE_CHECKING:
    from slipway.lint.rule import StatementContext
    from slipway.lint.source import ParsedScript
    from slipway.sql import Statement

# Statements that lock a table or other object; the value names the field holding the tables.
LOCKING: dict[str, str | None] = {
    "AlterTableStmt": "relation",
    "IndexStmt": "relation",
    "RenameStmt": "relation",
    "CreateTrigStmt": "relation",
    "CreatePolicyStmt": "table",
    "AlterPolicyStmt": "table",
    "ReindexStmt": "relation",
    "ClusterStmt": "relation",
    "RefreshMatViewStmt": "relation",
    "LockStmt": "relations",
    "TruncateStmt": "relations",
    "DropStmt": None,
    "AlterDomainStmt": None,
    "AlterEnumStmt": None,
    "AlterSeqStmt": "sequence",
    "ViewStmt": "view",
    "CreateStmt": None,
}
_SETTINGS = ("lock_timeout", "statement_timeout")
_NUMBER = re.compile(r"\s*(\d+(?:\.\d*)?|\.\d+)")


def locks_existing(ctx: StatementContext) -> bool:
    """The statement locks something that existed before the migration (and may be busy).

    CONCURRENTLY statements are left out: slipway runs them without a lock timeout on purpose,
    and a statement timeout would cancel the build half way.
    """
    kind, node = ctx.stmt.kind, ctx.stmt.node
    if kind not in LOCKING or is_concurrent(kind, node):
        return False
    if kind == "CreateStmt":  # locks only the tables it inherits from or references
        tables = [n.relation(r.get("RangeVar")) for r in node.get("inhRelations") or ()]
        tables += [
            n.relation(c.get("pktable"))
            for _, c in n.walk(node.get("tableElts"))
            if c.get("contype") == "CONSTR_FOREIGN"
        ]
    elif kind == "DropStmt":
        family = FAMILIES.get(str(node.get("removeType")))
        if family not in ("table", "index", "view"):
            return family is not None  # a schema, type, function...: its dependents
        tables = [object_name(o) for o in node.get("objects") or ()]
        if family == "index":
            tables = [ctx.state.index_table(t) or t for t in tables]
    else:
        field = LOCKING[kind]
        value = node.get(field) if field else None
        if value is None:
            return True  # ALTER DOMAIN, ALTER TYPE, REINDEX SCHEMA...: whatever uses it
        if kind == "ViewStmt" and not node.get("replace"):
            return False  # a new view
        items = value if isinstance(value, list) else [{"RangeVar": value}]
        tables = [n.relation(i.get("RangeVar")) for i in items]
        if "OBJECT_INDEX" in (
            node.get("renameType"),
            str(node.get("kind", "")).replace("REINDEX_", ""),
        ):
            tables = [ctx.state.index_table(t) or t for t in tables]
    return any(t and ctx.existed_before(t) for t in tables)


# script -> setting -> [(statement index, enabled after it)], in file order
_CHANGES: WeakKeyDictionary[ParsedScript, dict[str, list[tuple[int, bool]]]] = WeakKeyDictionary()


def timeout_enabled(ctx: StatementContext, setting: str, default: bool) -> tuple[bool, int]:
    """Whether `setting` is non-zero when the statement runs, and the index of the statement
    that last changed it (-1: nothing in the file did, `default` holds)."""
    changes = _CHANGES.get(ctx.script)
    if changes is None:
        changes = _CHANGES[ctx.script] = _setting_changes(ctx.script.statements)
    found = changes.get(setting, [])
    at = bisect_left(found, (ctx.stmt.index, False))  # changes strictly before the statement
    return (found[at - 1][1], found[at - 1][0]) if at else (default, -1)


def _setting_changes(statements: list[Statement]) -> dict[str, list[tuple[int, bool]]]:
    out: dict[str, list[tuple[int, bool]]] = {}
    for stmt in statements:
        if stmt.kind != "VariableSetStmt":
            continue
        node, kind = stmt.node, stmt.node.get("kind")
        name = str(node.get("name", "")).lower()
        if kind == "VAR_RESET_ALL":
            for setting in _SETTINGS:
                out.setdefault(setting, []).append((stmt.index, False))
        elif name in _SETTINGS and kind in ("VAR_RESET", "VAR_SET_DEFAULT"):
            out.setdefault(name, []).append((stmt.index, False))
        elif name in _SETTINGS and kind == "VAR_SET_VALUE":
            out.setdefault(name, []).append((stmt.index, _nonzero(node.get("args") or [])))
    return out


class OncePerGap:
    """Remembers, per script, the places a timeout was off where a finding was already made,
    so a rule reports only the first locking statement after each (in one linear pass)."""

    def __init__(self) -> None:
        self._seen: set[tuple[int, int]] = set()

    def first(self, ctx: StatementContext, since: int) -> bool:
        key = (ctx.script.sid, since)
        if key in self._seen:
            return False
        self._seen.add(key)
        return True


def _nonzero(args: list[Node]) -> bool:
    const = args[0].get("A_Const", {}) if args else {}
    if "ival" in const:
        return bool(const["ival"].get("ival", 0))
    text = str(const.get("sval", {}).get("sval", const.get("fval", {}).get("fval", "")))
    match = _NUMBER.match(text)
    return match is None or float(match.group(1)) != 0
