"""Dependencies between migrations, and what each one changes and locks.

One pass over the migrations in version order keeps an owner map: which migration created
each table, view, index, sequence, type, function, trigger and policy that still exists. A
statement that names an object owned by an earlier migration makes that migration a
dependency, with the reason (the object, how it is used, the line). Procedural bodies are
strings to the parser: their identifiers are matched against known objects as a best effort
and labelled so.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from slipway.guide import locks as lk
from slipway.guide.changes import changes
from slipway.guide.statements import Change, Obj, Ref, references
from slipway.migrations.model import Migration
from slipway.sql import RunMode, Statement, run_mode
from slipway.sql import nodes as n
from slipway.sql.nodes import Node


@dataclass(frozen=True, slots=True)
class Reason:
    obj: Obj  # the object the earlier migration created
    how: str
    line: int
    best_effort: bool = False

    @property
    def text(self) -> str:
        mark = " (best effort)" if self.best_effort else ""
        return f"{self.obj.label}: {self.how}, line {self.line}{mark}"


@dataclass(frozen=True, slots=True)
class Dependency:
    version: str
    name: str
    reasons: tuple[Reason, ...]


@dataclass(frozen=True, slots=True)
class LockUse:
    mode: lk.LockLevel
    relation: str
    line: int
    statement: str  # the statement kind, e.g. AlterTableStmt
    existing: bool  # False: the relation was created by this same migration


@dataclass(frozen=True, slots=True)
class ForeignKey:
    table: str
    name: str
    ref_table: str


@dataclass
class MigrationFacts:
    migration: Migration
    position: int
    changes: list[tuple[Change, int]] = field(default_factory=list)  # (change, line)
    dependencies: list[Dependency] = field(default_factory=list)
    locks: list[LockUse] = field(default_factory=list)
    syntax_error: str | None = None
    mode: RunMode = "transaction"  # how the engine runs it
    surviving: list[Obj] = field(default_factory=list)  # created here, still there at the end
    foreign_keys: list[ForeignKey] = field(default_factory=list)  # added here, still there

    @property
    def strongest_lock(self) -> LockUse | None:
        """The strongest lock on a relation that existed before this migration."""
        existing = [lock for lock in self.locks if lock.existing]
        return max(existing, key=lambda lock: lk.RANK[lock.mode]) if existing else None

    def objects(self, action: str) -> list[tuple[Change, int]]:
        return [(c, line) for c, line in self.changes if c.action == action]


@dataclass(frozen=True, slots=True)
class _Owner:
    position: int
    obj: Obj
    line: int


@dataclass
class _Pass:
    migrations: list[Migration]
    owners: dict[tuple[str, str], _Owner] = field(default_factory=dict)
    fks: dict[tuple[str, str], tuple[int, str]] = field(default_factory=dict)
    index_table: dict[str, str] = field(default_factory=dict)


def analyze(migrations: list[Migration]) -> list[MigrationFacts]:
    """Facts for every migration, in the order given (version order)."""
    run = _Pass(migrations)
    facts = [_migration(run, m, i) for i, m in enumerate(migrations)]
    for owner in run.owners.values():
        facts[owner.position].surviving.append(owner.obj)
    for (table, name), (position, ref) in run.fks.items():
        facts[position].foreign_keys.append(ForeignKey(table, name, ref))
    return facts


def _migration(run: _Pass, migration: Migration, position: int) -> MigrationFacts:
    facts = MigrationFacts(migration, position)
    parsed = migration.up.parsed
    if parsed.error is not None:
        facts.syntax_error = f"line {parsed.error_line}: {parsed.error.message}"
    facts.mode = transaction_mode(migration, parsed.statements)
    created: set[str] = set()
    reasons: dict[int, dict[tuple[str, str], Reason]] = {}
    for stmt in parsed.statements:
        for ref in references(stmt.kind, stmt.node):
            _depend(run, position, ref, stmt.line, reasons)
        for change in changes(stmt.kind, stmt.node):
            change = _own(run, position, change, stmt, created)
            facts.changes.append((change, stmt.line))
        _track_foreign_keys(run, position, stmt)
        for lock in lk.statement_locks(stmt.kind, stmt.node):
            use = LockUse(
                lock.mode, lock.relation, stmt.line, stmt.kind, lock.relation not in created
            )
            facts.locks.append(use)
    for on in sorted(reasons):
        firm = {r.obj.key for r in reasons[on].values() if not r.best_effort}
        kept = [r for r in reasons[on].values() if not (r.best_effort and r.obj.key in firm)]
        found = sorted(kept, key=lambda r: (r.line, r.obj.key))
        earlier = run.migrations[on]
        facts.dependencies.append(Dependency(earlier.version, earlier.name, tuple(found)))
    return facts


def transaction_mode(migration: Migration, statements: list[Statement]) -> RunMode:
    """How the engine runs the migration's up script (`slipway.sql.run_mode`)."""
    return run_mode(migration.up.transactional, [(s.kind, s.node) for s in statements])


def _depend(
    run: _Pass,
    position: int,
    ref: Ref,
    line: int,
    reasons: dict[int, dict[tuple[str, str], Reason]],
) -> None:
    owner = run.owners.get((ref.namespace, ref.key))
    if owner is None or owner.position >= position:
        return
    bucket = reasons.setdefault(owner.position, {})
    key = (owner.obj.key, ref.how)
    if key not in bucket or (bucket[key].best_effort and not ref.best_effort):
        bucket[key] = Reason(owner.obj, ref.how, line, ref.best_effort)


def _own(run: _Pass, position: int, change: Change, stmt: Statement, created: set[str]) -> Change:
    """Update the owner map for one change; a replaced function is an alteration."""
    key = (change.obj.namespace, change.obj.key)
    if change.action == "creates":
        previous = run.owners.get(key)
        if previous is not None and previous.position < position:
            return Change("alters", change.obj, "replaced")
        run.owners[key] = _Owner(position, change.obj, stmt.line)
        created.add(change.obj.key)
        if change.obj.kind == "index":
            run.index_table[change.obj.key] = n.relation(stmt.node.get("relation"))
    elif change.action == "drops":
        run.owners.pop(key, None)
        if change.obj.kind == "table":
            _drop_table_members(run, change.obj.key)
    elif stmt.kind == "RenameStmt" and stmt.node.get("renameType") == "OBJECT_TABLE":
        _rename_table(run, n.relation(stmt.node.get("relation")), str(stmt.node.get("newname")))
    return change


def _drop_table_members(run: _Pass, table: str) -> None:
    for namespace, key in list(run.owners):
        member = namespace in ("trigger", "policy") and key.rpartition(".")[0] == table
        if member or (namespace == "relation" and run.index_table.get(key) == table):
            run.owners.pop((namespace, key))
    for fk in [k for k in run.fks if k[0] == table]:
        run.fks.pop(fk)


def _rename_table(run: _Pass, old: str, new: str) -> None:
    schema = old.rpartition(".")[0]
    new_key = f"{schema}.{new}" if schema else new
    owner = run.owners.pop(("relation", old), None)
    if owner is not None:
        obj = Obj("relation", new_key, owner.obj.kind)
        run.owners[("relation", new_key)] = _Owner(owner.position, obj, owner.line)


def _track_foreign_keys(run: _Pass, position: int, stmt: Statement) -> None:
    if stmt.kind == "CreateStmt":
        table = n.relation(stmt.node.get("relation"))
        for column in n.column_defs(stmt.node.get("tableElts")):
            for con in n.constraints_of(column):
                _add_fk(run, position, table, con, (str(column.get("colname", "")),))
        for con in n.table_constraints(stmt.node.get("tableElts")):
            _add_fk(run, position, table, con, n.key_columns(con, "fk_attrs"))
    elif stmt.kind == "AlterTableStmt":
        table = n.relation(stmt.node.get("relation"))
        for cmd in n.alter_cmds(stmt.node):
            added: Node = (cmd.get("def") or {}).get("Constraint") or {}
            if cmd.get("subtype") == "AT_AddConstraint" and added:
                _add_fk(run, position, table, added, n.key_columns(added, "fk_attrs"))
            elif cmd.get("subtype") == "AT_DropConstraint":
                run.fks.pop((table, str(cmd.get("name", ""))), None)


def _add_fk(run: _Pass, position: int, table: str, con: Node, columns: tuple[str, ...]) -> None:
    if con.get("contype") != "CONSTR_FOREIGN":
        return
    bare = table.rpartition(".")[2]
    # PostgreSQL's default name: table_col1_col2_fkey, cut to 63 bytes.
    name = str(con.get("conname") or f"{bare}_{'_'.join(columns)}_fkey"[:63])
    run.fks[(table, name)] = (position, n.relation(con.get("pktable")))


def dependency_edges(facts: list[MigrationFacts]) -> list[tuple[str, str, tuple[Reason, ...]]]:
    """(dependency version, dependent version, reasons) for every edge of the graph."""
    return [
        (dep.version, f.migration.version, dep.reasons) for f in facts for dep in f.dependencies
    ]
