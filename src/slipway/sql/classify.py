"""What a statement is to the engine: how a script runs (in a transaction or not), which
BEGIN is never ended, and whether statements change the schema.

One answer for each, used by `up`, `plan`, `guide`, `verify` and lint alike: when these
disagreed, `plan` promised a transaction for `DETACH PARTITION ... CONCURRENTLY` and `up` failed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

# How the engine runs a script.
RunMode = Literal["transaction", "wrapped", "statements"]
_BEGIN_KINDS = ("TRANS_STMT_BEGIN", "TRANS_STMT_START")
# PostgreSQL calls PreventInTransactionBlock for these whatever their options.
_ALWAYS_OUTSIDE = {
    "AlterSystemStmt",
    "CreatedbStmt",
    "DropdbStmt",
    "CreateTableSpaceStmt",
    "DropTableSpaceStmt",
    "DropSubscriptionStmt",  # when the subscription has a slot, the default: assume it does
}
_REFRESHING_ALTER_SUBSCRIPTION = (
    "ALTER_SUBSCRIPTION_SET_PUBLICATION",
    "ALTER_SUBSCRIPTION_ADD_PUBLICATION",
    "ALTER_SUBSCRIPTION_DROP_PUBLICATION",
)


def _option(node: Mapping[str, Any], name: str, default: bool) -> bool:
    """A boolean `WITH (name = ...)` option of a statement's DefElem list."""
    for item in node.get("options") or []:
        elem = item.get("DefElem", {})
        if elem.get("defname") != name:
            continue
        arg = elem.get("arg")
        if arg is None:
            return True
        ((_, value),) = arg.items()
        if "names" in value:  # `off` parses as a type name
            value = value["names"][-1]["String"]
        word = str(value.get("sval", value.get("boolval", value.get("ival", "")))).lower()
        return word not in ("false", "off", "no", "0", "")
    return default


def is_concurrent(kind: str, node: Mapping[str, Any]) -> bool:
    """CREATE/DROP INDEX, REINDEX or DETACH PARTITION ... CONCURRENTLY."""
    if kind in ("IndexStmt", "DropStmt"):
        return bool(node.get("concurrent"))
    if kind == "ReindexStmt":
        params = node.get("params") or []
        return any(p.get("DefElem", {}).get("defname") == "concurrently" for p in params)
    if kind == "AlterTableStmt":
        return any(
            c.get("AlterTableCmd", {}).get("subtype") == "AT_DetachPartition"
            and ((c["AlterTableCmd"].get("def") or {}).get("PartitionCmd") or {}).get("concurrent")
            for c in node.get("cmds") or []
        )
    return False


def _subscription_outside(kind: str, node: Mapping[str, Any]) -> bool:
    """CREATE SUBSCRIPTION that creates a slot; ALTER SUBSCRIPTION that refreshes."""
    if kind == "CreateSubscriptionStmt":
        return _option(node, "create_slot", _option(node, "connect", True))
    if node.get("kind") == "ALTER_SUBSCRIPTION_REFRESH":
        return True
    return node.get("kind") in _REFRESHING_ALTER_SUBSCRIPTION and _option(node, "refresh", True)


def needs_no_transaction(kind: str, node: Mapping[str, Any]) -> bool:
    """Whether PostgreSQL refuses this statement inside a transaction block.

    The callers of PreventInTransactionBlock that a statement's parse tree can tell apart.
    """
    if kind in _ALWAYS_OUTSIDE or is_concurrent(kind, node):
        return True
    if kind in ("CreateSubscriptionStmt", "AlterSubscriptionStmt"):
        return _subscription_outside(kind, node)
    if kind == "VacuumStmt":  # ANALYZE alone runs in a transaction
        return bool(node.get("is_vacuumcmd"))
    if kind == "ReindexStmt":
        return node.get("kind") in ("REINDEX_OBJECT_SYSTEM", "REINDEX_OBJECT_DATABASE")
    if kind == "ClusterStmt":
        return not node.get("relation")
    if kind == "AlterDatabaseStmt":  # ALTER DATABASE ... SET TABLESPACE
        return any(
            o.get("DefElem", {}).get("defname") == "tablespace" for o in node.get("options") or []
        )
    return kind == "DiscardStmt" and node.get("target") == "DISCARD_ALL"


@dataclass(frozen=True, slots=True)
class StatementRun:
    """How the engine runs one statement."""

    # PostgreSQL refuses it inside a transaction block, so it runs alone, outside one.
    outside_transaction: bool
    # It runs under the configured lock_timeout. CONCURRENTLY waits for old snapshots, which
    # blocks no application query: a timeout would only make it fail and leave an INVALID
    # index behind, so it runs without one.
    lock_timeout: bool


def statement_run(kind: str, node: Mapping[str, Any]) -> StatementRun:
    """How the engine runs a statement of this node kind: in a transaction or not, under the
    lock timeout or not. The one answer for the engine, plan, the guide, verify and lint."""
    return StatementRun(
        outside_transaction=needs_no_transaction(kind, node),
        lock_timeout=not is_concurrent(kind, node),
    )


def run_mode(
    transactional: bool | None, statements: Sequence[tuple[str, Mapping[str, Any]]]
) -> RunMode:
    """How the engine runs a script of (node kind, node) statements.

    'transaction': it and its history row in one transaction; 'wrapped': the file is
    BEGIN; ...; COMMIT; and its body runs in our transaction; 'statements': one by one outside
    a transaction (something PostgreSQL refuses in one, other transaction control, or a file
    marked no-transaction). `transactional` is the file's own choice (None: decide here).
    """
    if transactional is not None:
        return "transaction" if transactional else "statements"
    if any(needs_no_transaction(kind, node) for kind, node in statements):
        return "statements"
    control = [str(node.get("kind")) for kind, node in statements if kind == "TransactionStmt"]
    if not control:
        return "transaction"
    first, last = statements[0], statements[-1]
    if (
        len(control) == 2
        and first[0] == "TransactionStmt"
        and first[1].get("kind") in _BEGIN_KINDS
        and last[0] == "TransactionStmt"
        and last[1].get("kind") == "TRANS_STMT_COMMIT"
    ):
        return "wrapped"
    return "statements"


# What ends the transaction a BEGIN opened (PREPARE TRANSACTION hands it to two-phase commit).
_END_KINDS = frozenset(
    {
        "TRANS_STMT_COMMIT",
        "TRANS_STMT_ROLLBACK",
        "TRANS_STMT_COMMIT_PREPARED",
        "TRANS_STMT_ROLLBACK_PREPARED",
        "TRANS_STMT_PREPARE",
    }
)


def unclosed_begin(statements: Sequence[tuple[str, Mapping[str, Any]]]) -> int | None:
    """Index of the BEGIN (or START TRANSACTION) a script of (node kind, node) statements
    never ends, else None: whatever follows it would be rolled back when the script ends.
    One answer for the engine (which refuses such a migration) and lint (SW042)."""
    opened = None
    for index, (kind, node) in enumerate(statements):
        if kind != "TransactionStmt":
            continue
        if node.get("kind") in _BEGIN_KINDS and opened is None:
            opened = index
        elif node.get("kind") in _END_KINDS:
            opened = None
    return opened


# Statements that read or change data, or only the session, and never the schema. Anything
# else (DDL, GRANT, COMMENT, DO and CALL, which may run DDL) counts as changing the schema.
_DATA_ONLY = frozenset(
    {
        "SelectStmt",
        "InsertStmt",
        "UpdateStmt",
        "DeleteStmt",
        "MergeStmt",
        "CopyStmt",
        "TruncateStmt",
        "LockStmt",
        "VariableSetStmt",
        "VariableShowStmt",
        "TransactionStmt",
        "ExplainStmt",
        "NotifyStmt",
        "ListenStmt",
        "UnlistenStmt",
        "VacuumStmt",
        "ClusterStmt",
        "ReindexStmt",
        "RefreshMatViewStmt",
        "CheckPointStmt",
        "DiscardStmt",
        "PrepareStmt",
        "ExecuteStmt",
        "DeallocateStmt",
        "DeclareCursorStmt",
        "FetchStmt",
        "ClosePortalStmt",
        "ConstraintsSetStmt",
        "LoadStmt",
    }
)


def changes_schema(kinds: Sequence[str]) -> bool:
    """Whether statements of these node kinds may change the schema (not only data)."""
    return any(kind not in _DATA_ONLY for kind in kinds)
