"""Which PostgreSQL table lock each statement takes (the documented lock levels, one table).

Source: the PostgreSQL manual, "Explicit Locking" (13.3.1) and each command's reference page.
`statement_locks(kind, node)` reads one pglast JSON statement and returns the locks it takes
on named relations; the guide keeps the strongest one taken on an object that existed before
the migration (locks on a table the same migration created block nobody).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, get_args

from slipway.sql import is_concurrent
from slipway.sql import nodes as n
from slipway.sql.nodes import Node

# Weakest to strongest.
LockLevel = Literal[
    "ACCESS SHARE",
    "ROW SHARE",
    "ROW EXCLUSIVE",
    "SHARE UPDATE EXCLUSIVE",
    "SHARE",
    "SHARE ROW EXCLUSIVE",
    "EXCLUSIVE",
    "ACCESS EXCLUSIVE",
]
LEVELS: tuple[LockLevel, ...] = get_args(LockLevel)
RANK = {level: i for i, level in enumerate(LEVELS)}

BLOCKS = {
    "ACCESS SHARE": "only ACCESS EXCLUSIVE (DDL that rewrites or drops)",
    "ROW SHARE": "EXCLUSIVE and ACCESS EXCLUSIVE",
    "ROW EXCLUSIVE": "SHARE and stronger (CREATE INDEX, most DDL); reads and writes continue",
    "SHARE UPDATE EXCLUSIVE": "other DDL, VACUUM and ANALYZE; reads and writes continue",
    "SHARE": "INSERT, UPDATE and DELETE; reads continue",
    "SHARE ROW EXCLUSIVE": "INSERT, UPDATE and DELETE; reads continue",
    "EXCLUSIVE": "everything but plain reads",
    "ACCESS EXCLUSIVE": "every read and write of the table",
}

# ALTER TABLE subcommands that take less than ACCESS EXCLUSIVE.
_ALTER_CMD: dict[str, LockLevel] = {
    "AT_ValidateConstraint": "SHARE UPDATE EXCLUSIVE",
    "AT_SetStatistics": "SHARE UPDATE EXCLUSIVE",
    "AT_ClusterOn": "SHARE UPDATE EXCLUSIVE",
    "AT_DropCluster": "SHARE UPDATE EXCLUSIVE",
    "AT_SetRelOptions": "SHARE UPDATE EXCLUSIVE",
    "AT_ResetRelOptions": "SHARE UPDATE EXCLUSIVE",
    "AT_AttachPartition": "SHARE UPDATE EXCLUSIVE",  # on the parent, PostgreSQL 12+
    "AT_EnableTrig": "SHARE ROW EXCLUSIVE",
    "AT_DisableTrig": "SHARE ROW EXCLUSIVE",
    "AT_EnableTrigAll": "SHARE ROW EXCLUSIVE",
    "AT_DisableTrigAll": "SHARE ROW EXCLUSIVE",
    "AT_EnableTrigUser": "SHARE ROW EXCLUSIVE",
    "AT_DisableTrigUser": "SHARE ROW EXCLUSIVE",
    "AT_EnableAlwaysTrig": "SHARE ROW EXCLUSIVE",
    "AT_EnableReplicaTrig": "SHARE ROW EXCLUSIVE",
}
_DML: dict[str, LockLevel] = {
    "InsertStmt": "ROW EXCLUSIVE",
    "UpdateStmt": "ROW EXCLUSIVE",
    "DeleteStmt": "ROW EXCLUSIVE",
    "MergeStmt": "ROW EXCLUSIVE",
}
_DROPPED_RELATIONS = {
    "OBJECT_TABLE",
    "OBJECT_VIEW",
    "OBJECT_MATVIEW",
    "OBJECT_INDEX",
    "OBJECT_SEQUENCE",
    "OBJECT_FOREIGN_TABLE",
}


@dataclass(frozen=True, slots=True)
class Lock:
    mode: LockLevel
    relation: str  # key of the locked table, view or index

    @property
    def rank(self) -> int:
        return RANK[self.mode]


def strongest(locks: list[Lock]) -> Lock | None:
    return max(locks, key=lambda lock: lock.rank) if locks else None


def _alter_table(node: Node) -> list[Lock]:
    table = n.relation(node.get("relation"))
    out: list[Lock] = []
    for cmd in n.alter_cmds(node):
        sub = str(cmd.get("subtype", ""))
        definition = cmd.get("def") or {}
        constraint = definition.get("Constraint", {})
        if sub == "AT_AddConstraint" and constraint.get("contype") == "CONSTR_FOREIGN":
            # Both sides of a new foreign key: SHARE ROW EXCLUSIVE.
            out.append(Lock("SHARE ROW EXCLUSIVE", table))
            out.append(Lock("SHARE ROW EXCLUSIVE", n.relation(constraint.get("pktable"))))
        elif sub == "AT_DetachPartition":
            concurrent = definition.get("PartitionCmd", {}).get("concurrent")
            out.append(Lock("SHARE UPDATE EXCLUSIVE" if concurrent else "ACCESS EXCLUSIVE", table))
        elif sub == "AT_AttachPartition":
            out.append(Lock("SHARE UPDATE EXCLUSIVE", table))
            child = n.relation(definition.get("PartitionCmd", {}).get("name"))
            out.append(Lock("ACCESS EXCLUSIVE", child))
        else:
            out.append(Lock(_ALTER_CMD.get(sub, "ACCESS EXCLUSIVE"), table))
    return out


def _create_table(node: Node) -> list[Lock]:
    out: list[Lock] = []
    for _kind, child in n.walk(node.get("tableElts", [])):
        if child.get("contype") == "CONSTR_FOREIGN" and child.get("pktable"):
            out.append(Lock("SHARE ROW EXCLUSIVE", n.relation(child["pktable"])))
    for parent in node.get("inhRelations", []):
        # CREATE TABLE ... PARTITION OF / INHERITS locks the parent exclusively.
        out.append(Lock("ACCESS EXCLUSIVE", n.relation(parent.get("RangeVar"))))
    out.append(Lock("ACCESS EXCLUSIVE", n.relation(node.get("relation"))))
    return out


def _drop(node: Node) -> list[Lock]:
    kind = node.get("removeType")
    out: list[Lock] = []
    for obj in node.get("objects", []):
        parts = n.strings(obj["List"].get("items")) if "List" in obj else []
        if not parts:
            continue
        if kind in _DROPPED_RELATIONS:
            mode: LockLevel = (
                "SHARE UPDATE EXCLUSIVE" if node.get("concurrent") else "ACCESS EXCLUSIVE"
            )
            out.append(Lock(mode, n.qualified(parts)))
        elif kind in ("OBJECT_POLICY", "OBJECT_TRIGGER", "OBJECT_RULE") and len(parts) >= 2:
            out.append(Lock("ACCESS EXCLUSIVE", n.qualified(parts[:-1])))
    return out


def _vacuum(node: Node) -> list[Lock]:
    options = n.def_elems(node.get("options"))
    full = "full" in options
    mode: LockLevel = "ACCESS EXCLUSIVE" if full else "SHARE UPDATE EXCLUSIVE"
    return [
        Lock(mode, n.relation(rel["VacuumRelation"].get("relation")))
        for rel in node.get("rels", [])
        if "VacuumRelation" in rel
    ]


_LOCK_MODES: dict[int, LockLevel] = {  # LOCK TABLE's numeric modes (lockdefs.h)
    1: "ACCESS SHARE",
    2: "ROW SHARE",
    3: "ROW EXCLUSIVE",
    4: "SHARE UPDATE EXCLUSIVE",
    5: "SHARE",
    6: "SHARE ROW EXCLUSIVE",
    7: "EXCLUSIVE",
    8: "ACCESS EXCLUSIVE",
}


def statement_locks(kind: str, node: Node) -> list[Lock]:
    """The table locks one statement takes, by relation (empty when it takes none)."""
    if kind == "AlterTableStmt":
        return _alter_table(node)
    if kind == "CreateStmt":
        return _create_table(node)
    if kind == "DropStmt":
        return _drop(node)
    if kind == "VacuumStmt":
        return _vacuum(node)
    if kind == "IndexStmt":
        mode: LockLevel = "SHARE UPDATE EXCLUSIVE" if node.get("concurrent") else "SHARE"
        return [Lock(mode, n.relation(node.get("relation")))]
    if kind == "CreateTrigStmt":
        return [Lock("SHARE ROW EXCLUSIVE", n.relation(node.get("relation")))]
    if kind in ("CreatePolicyStmt", "AlterPolicyStmt"):
        return [Lock("ACCESS EXCLUSIVE", n.relation(node.get("table")))]
    if kind == "CommentStmt" and node.get("objtype") in ("OBJECT_TABLE", "OBJECT_COLUMN"):
        parts = n.strings(node.get("object", {}).get("List", {}).get("items"))
        cut = parts[:-1] if node.get("objtype") == "OBJECT_COLUMN" else parts
        return [Lock("SHARE UPDATE EXCLUSIVE", n.qualified(cut))] if cut else []
    return _simple(kind, node)


def _simple(kind: str, node: Node) -> list[Lock]:
    if kind in _DML:
        return [Lock(_DML[kind], n.relation(node.get("relation")))]
    if kind == "RenameStmt" and node.get("relation"):
        return [Lock("ACCESS EXCLUSIVE", n.relation(node.get("relation")))]
    if kind == "TruncateStmt":
        return [Lock("ACCESS EXCLUSIVE", n.relation(r.get("RangeVar"))) for r in node["relations"]]
    if kind == "RefreshMatViewStmt":
        mode: LockLevel = "EXCLUSIVE" if node.get("concurrent") else "ACCESS EXCLUSIVE"
        return [Lock(mode, n.relation(node.get("relation")))]
    if kind == "ClusterStmt" and node.get("relation"):
        return [Lock("ACCESS EXCLUSIVE", n.relation(node.get("relation")))]
    if kind == "ReindexStmt" and node.get("relation"):
        mode = "SHARE UPDATE EXCLUSIVE" if is_concurrent(kind, node) else "SHARE"
        return [Lock(mode, n.relation(node.get("relation")))]
    if kind == "LockStmt":
        mode = _LOCK_MODES.get(int(node.get("mode", 8)), "ACCESS EXCLUSIVE")
        return [Lock(mode, n.relation(r.get("RangeVar"))) for r in node.get("relations", [])]
    return []
