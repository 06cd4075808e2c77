"""Apply one parsed statement to the ReplayState, the way PostgreSQL would change its catalog."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from slipway.lint import replay_objects
from slipway.lint.state import Column, ForeignKey, Index, Origin, ReplayState, Table, View
from slipway.sql import nodes as n
from slipway.sql.nodes import Node

Handler = Callable[[ReplayState, Node, Origin], None]


def apply(state: ReplayState, kind: str, node: Node, origin: Origin) -> None:
    handler = _HANDLERS.get(kind)
    if handler is not None:
        handler(state, node, origin)


def _create_table(state: ReplayState, node: Node, origin: Origin) -> None:
    key = n.relation(node.get("relation"))
    if node.get("if_not_exists") and key in state.tables and not state.tables[key].partial:
        return
    table = Table(key, origin=origin)
    elements = node.get("tableElts", [])
    # LIKE, OF type and INHERITS bring columns the replay does not copy
    table.partial = any("TableLikeClause" in e for e in elements) or bool(node.get("ofTypename"))
    table.partial |= bool(node.get("inhRelations")) and not node.get("partbound")
    state.gone.pop(("table", key), None)
    for column in n.column_defs(elements):
        _add_column(state, table, column, origin)
    for constraint in n.table_constraints(elements):
        _add_constraint(state, table, constraint, origin)
    _drop_redundant_keys(table)
    spec = node.get("partspec")
    if spec:
        strategy = str(spec.get("strategy", "")).rpartition("_")[2].lower()
        table.partition_strategy = strategy or None
        table.partition_key = tuple(
            str(p["PartitionElem"].get("name", "")) for p in spec.get("partParams", [])
        )
    if node.get("partbound") and node.get("inhRelations"):
        parent = n.relation(node["inhRelations"][0].get("RangeVar"))
        table.partition_of = parent
        if parent in state.tables:
            _inherit(table, state.tables[parent])
    state.tables[key] = table


def _drop_redundant_keys(table: Table) -> None:
    """Within one CREATE TABLE, PostgreSQL makes one index for keys on the same columns: a
    UNIQUE on the primary key's columns (`id text UNIQUE PRIMARY KEY`) or a repeated UNIQUE
    is dropped (transformIndexConstraints), the first one kept."""
    seen = {table.primary_key} if table.primary_key else set()
    for name, columns in list(table.uniques.items()):
        if columns in seen:
            del table.uniques[name]
        seen.add(columns)


def _inherit(child: Table, parent: Table) -> None:
    for name, column in parent.columns.items():
        child.columns.setdefault(
            name,
            Column(
                column.name,
                column.type,
                column.typmods,
                column.not_null,
                column.has_default,
                column.array,
            ),
        )
    child.primary_key = child.primary_key or parent.primary_key


def _add_column(state: ReplayState, table: Table, column: Node, origin: Origin) -> None:
    name = str(column.get("colname", ""))
    type_node = column.get("typeName")
    col = Column(name, n.type_name(type_node), tuple(n.typmods(type_node)))
    col.array = n.is_array(type_node)
    for constraint in n.constraints_of(column):
        contype = constraint.get("contype")
        if contype == "CONSTR_NOTNULL":
            col.not_null = True
        elif contype in ("CONSTR_DEFAULT", "CONSTR_IDENTITY", "CONSTR_GENERATED"):
            col.has_default = True
            _set_calls(table, f"default of column {name}", constraint.get("raw_expr"))
        elif contype == "CONSTR_PRIMARY":
            _set_primary_key(state, table, constraint, (name,))
            col.not_null = True
        elif contype == "CONSTR_UNIQUE":
            unique = _constraint_name(state, table, constraint, (name,), "key")
            table.uniques[_claim(state, table, unique)] = (name,)
        elif contype == "CONSTR_FOREIGN":
            _add_foreign_key(state, table, constraint, (name,), origin)
    if col.type in n.SERIAL_TYPES:
        col.has_default = True
    table.columns[name] = col


def _add_constraint(state: ReplayState, table: Table, con: Node, origin: Origin) -> None:
    contype = con.get("contype")
    name = str(con.get("conname", ""))
    if con.get("indexname"):  # USING INDEX: the index's columns
        index_name = str(con["indexname"])
        index = state.indexes.get(index_name)
        keys = index.columns if index else ()
        # The index becomes the constraint's, renamed after it (or naming it when unnamed).
        con = {**con, "conname": name or index_name}
        state.indexes.pop(index_name, None)
        table.indexes.discard(index_name)
    else:
        keys = n.key_columns(con)
    if contype == "CONSTR_PRIMARY":
        _set_primary_key(state, table, con, keys)
    elif contype == "CONSTR_UNIQUE":
        table.uniques[_claim(state, table, _constraint_name(state, table, con, keys, "key"))] = keys
    elif contype == "CONSTR_FOREIGN":
        _add_foreign_key(state, table, con, n.key_columns(con, "fk_attrs"), origin)
    if con.get("skip_validation") and contype in ("CONSTR_CHECK", "CONSTR_FOREIGN"):
        table.not_valid[name] = origin.migration
    if contype == "CONSTR_CHECK":
        column = _null_test_column(con.get("raw_expr"))
        if column:
            table.not_null_checks[name] = (column, not con.get("skip_validation"))


def _set_primary_key(state: ReplayState, table: Table, con: Node, columns: tuple[str, ...]) -> None:
    table.primary_key = columns
    table.primary_key_name = _claim(state, table, _constraint_name(state, table, con, (), "pkey"))
    for name in columns:  # a primary key makes its columns NOT NULL
        if name in table.columns:
            table.columns[name].not_null = True


def _add_foreign_key(
    state: ReplayState, table: Table, con: Node, columns: tuple[str, ...], origin: Origin
) -> None:
    ref = n.relation(con.get("pktable"))
    ref_columns = n.key_columns(con, "pk_attrs")
    if not ref_columns:  # REFERENCES t: t's primary key (the table itself while it is made)
        target = table if ref == table.key else state.tables.get(ref)
        ref_columns = (target.primary_key or ()) if target else ()
    table.foreign_keys.append(
        ForeignKey(
            _constraint_name(state, table, con, columns, "fkey"),
            columns,
            ref,
            origin,
            bool(con.get("skip_validation")),
            ref_columns,
        )
    )


def _constraint_name(
    state: ReplayState, table: Table, con: Node, columns: tuple[str, ...], label: str
) -> str:
    """The constraint's name, or the one PostgreSQL gives an unnamed one (leads_email_key).

    Migrations drop unnamed constraints by that name, and two unnamed UNIQUEs must not share
    one entry. Like ChooseConstraintName: truncated to 63 bytes, a number added when taken.
    """
    given = con.get("conname")
    if given:
        return str(given)

    def taken(name: str) -> bool:
        return _relation_name_taken(state, table, name) or any(
            fk.name == name for fk in table.foreign_keys
        )

    return choose_name(table.bare_name, name_addition(columns), label, taken)


def _relation_name_taken(state: ReplayState, table: Table, name: str) -> bool:
    """Whether an index (or a key's index, on this table or another) already has `name`.
    Looked up, not copied: a migration set with thousands of indexes names many of them by
    default."""
    if name in state.indexes or name in table.uniques or name == table.primary_key_name:
        return True
    owner = state.tables.get(state.key_names.get(name, ""))
    return owner is not None and (owner.primary_key_name == name or name in owner.uniques)


def _claim(state: ReplayState, table: Table, name: str) -> str:
    """Record that `table`'s key constraint (and its index) is called `name`; returns it."""
    if name:
        state.key_names[name] = table.key
    return name


def choose_name(name1: str, name2: str, label: str, taken: Callable[[str], bool]) -> str:
    """PostgreSQL's ChooseRelationName: name1_name2_label, then label1, label2, ... until the
    name is free."""
    attempt = 0
    while True:
        name = default_name(name1, name2, label + (str(attempt) if attempt else ""))
        if not taken(name):
            return name
        attempt += 1


def name_addition(columns: tuple[str, ...]) -> str:
    """PostgreSQL's ChooseIndexNameAddition: the column names joined with `_`, stopping once
    the text reaches 64 bytes (makeObjectName then cuts it to fit)."""
    out = ""
    for column in columns:
        out = f"{out}_{column}" if out else column
        if len(out.encode()) >= 64:
            break
    return out


def default_name(name1: str, name2: str, label: str) -> str:
    """PostgreSQL's makeObjectName: name1_name2_label, the longer part cut until it fits 63 bytes."""
    room = 63 - len(label) - 1 - (1 if name2 else 0)
    if name1.isascii() and name2.isascii() and len(name1) + len(name2) <= room:
        return f"{name1}_{name2}_{label}" if name2 else f"{name1}_{label}"  # fits: the usual case
    first, second = name1.encode(), name2.encode()
    len1, len2 = len(first), len(second)
    while len1 + len2 > room:
        if len1 > len2:
            len1 -= 1
        else:
            len2 -= 1
    parts = [first[:len1].decode(errors="ignore"), second[:len2].decode(errors="ignore"), label]
    return "_".join(p for p in parts if p)


def _drop_column(state: ReplayState, table: Table, name: str) -> None:
    """PostgreSQL drops the column's constraints and every index that uses it along with it."""
    table.columns.pop(name, None)
    table.calls.pop(f"default of column {name}", None)
    gone = {c for c, cols in table.uniques.items() if name in cols}
    gone |= {fk.name for fk in table.foreign_keys if name in fk.columns and fk.name}
    gone |= {c for c, (col, _) in table.not_null_checks.items() if col == name}
    for constraint in gone:
        _drop_constraint(table, constraint)
    if table.primary_key and name in table.primary_key:
        table.primary_key, table.primary_key_name = None, ""
    for index in [i for i in table.indexes if name in getattr(state.indexes.get(i), "uses", ())]:
        state.indexes.pop(index, None)
        table.indexes.discard(index)


def _null_test_column(expr: Node | None) -> str | None:
    """`col IS NOT NULL` -> col."""
    test = (expr or {}).get("NullTest")
    if not test or test.get("nulltesttype") != "IS_NOT_NULL":
        return None
    fields = n.strings(test.get("arg", {}).get("ColumnRef", {}).get("fields"))
    return fields[-1] if fields else None


def _drop_constraint(table: Table, name: str) -> None:
    table.uniques.pop(name, None)
    table.not_valid.pop(name, None)
    table.not_null_checks.pop(name, None)
    table.foreign_keys = [fk for fk in table.foreign_keys if fk.name != name]
    if table.primary_key and name == table.primary_key_name:
        table.primary_key, table.primary_key_name = None, ""


def _alter_table(state: ReplayState, node: Node, origin: Origin) -> None:
    objtype = node.get("objtype", "OBJECT_TABLE")
    if objtype == "OBJECT_VIEW":
        _alter_view(state, node)
    if objtype != "OBJECT_TABLE":
        return
    table = state.table(n.relation(node.get("relation")))
    for cmd in n.alter_cmds(node):
        _alter_cmd(state, table, cmd, origin)


def _alter_cmd(state: ReplayState, table: Table, cmd: Node, origin: Origin) -> None:
    sub = cmd.get("subtype")
    name = str(cmd.get("name", ""))
    column = table.columns.get(name)
    definition = cmd.get("def") or {}
    if sub == "AT_AddColumn" and "ColumnDef" in definition:
        _add_column(state, table, definition["ColumnDef"], origin)
    elif sub == "AT_DropColumn":
        _drop_column(state, table, name)
    elif sub == "AT_AlterColumnType" and column and "ColumnDef" in definition:
        type_node = definition["ColumnDef"].get("typeName")
        column.type, column.typmods = n.type_name(type_node), tuple(n.typmods(type_node))
        column.array = n.is_array(type_node)
    elif sub in ("AT_SetNotNull", "AT_DropNotNull") and column:
        column.not_null = sub == "AT_SetNotNull"
    elif sub == "AT_ColumnDefault" and column:
        column.has_default = bool(definition)
        _set_calls(table, f"default of column {name}", definition or None)
    elif sub == "AT_AddConstraint" and "Constraint" in definition:
        _add_constraint(state, table, definition["Constraint"], origin)
    elif sub == "AT_DropConstraint":
        _drop_constraint(table, name)
    elif sub == "AT_ValidateConstraint":
        table.not_valid.pop(name, None)
        if name in table.not_null_checks:
            table.not_null_checks[name] = (table.not_null_checks[name][0], True)
        for fk in table.foreign_keys:
            fk.not_valid = fk.not_valid and fk.name != name
    elif sub in _RLS_FLAGS:
        attr, value = _RLS_FLAGS[sub]
        setattr(table, attr, value)
    elif sub == "AT_AttachPartition" and "PartitionCmd" in definition:
        child = state.table(n.relation(definition["PartitionCmd"].get("name")))
        child.partition_of = table.key


def _alter_view(state: ReplayState, node: Node) -> None:
    key = n.relation(node.get("relation"))
    for cmd in n.alter_cmds(node):
        view = state.views.get(key)
        if view and cmd.get("subtype") == "AT_SetRelOptions":
            options = n.def_elems(cmd.get("def", {}).get("List", {}).get("items"))
            if "security_invoker" in options:
                invoker = n.truthy(options["security_invoker"])
                state.views[key] = replace(view, security_invoker=invoker)  # a fork shares it


_RLS_FLAGS = {
    "AT_EnableRowSecurity": ("rls_enabled", True),
    "AT_DisableRowSecurity": ("rls_enabled", False),
    "AT_ForceRowSecurity": ("rls_forced", True),
    "AT_NoForceRowSecurity": ("rls_forced", False),
}


def _create_index(state: ReplayState, node: Node, origin: Origin) -> None:
    table = state.table(n.relation(node.get("relation")))
    elems = [p["IndexElem"] for p in node.get("indexParams", []) if "IndexElem" in p]
    columns = tuple(str(e.get("name", "")) for e in elems)
    name = str(node.get("idxname") or "")
    if not name:
        # `idx` even when UNIQUE: `key` is for the indexes behind constraints.
        addition = name_addition(tuple(_index_column_name(e) for e in elems))
        name = choose_name(
            table.bare_name, addition, "idx", lambda name: _relation_name_taken(state, table, name)
        )
    if node.get("if_not_exists") and name in state.indexes:
        return
    state.gone.pop(("index", name), None)
    uses = {c for c in columns if c}
    for part in (*(e.get("expr") for e in elems), node.get("whereClause")):
        uses.update(_column_refs(part))
    state.indexes[name] = Index(
        name,
        table.key,
        columns,
        bool(node.get("unique")),
        origin,
        method=str(node.get("accessMethod") or "btree"),
        predicate=_predicate(node.get("whereClause")),
        uses=frozenset(uses),
    )
    table.indexes.add(name)


def _index_column_name(elem: Node) -> str:
    """The name PostgreSQL gives an index column (FigureIndexColname): the column, a
    function's name for a call, else `expr`."""
    if elem.get("name"):
        return str(elem["name"])
    expr = elem.get("expr") or {}
    while "TypeCast" in expr:
        expr = expr["TypeCast"].get("arg") or {}
    if "FuncCall" in expr:
        return n.func_name(expr["FuncCall"]) or "expr"
    if "ColumnRef" in expr:
        fields = n.strings(expr["ColumnRef"].get("fields"))
        return fields[-1] if fields else "expr"
    return "expr"


def _column_refs(node: Node | None) -> set[str]:
    """Names of the columns an expression reads."""
    found: set[str] = set()
    for kind, child in n.walk(node or {}):
        if kind == "ColumnRef":
            fields = n.strings(child.get("fields"))
            if fields:
                found.add(fields[-1])
    return found


def _predicate(where: Node | None) -> str | None:
    """A partial index's WHERE, as far as foreign keys care: `col IS NOT NULL` or opaque."""
    if not where:
        return None
    test = where.get("NullTest") or {}
    ref = (test.get("arg") or {}).get("ColumnRef") or {}
    parts = n.strings(ref.get("fields"))
    if test.get("nulltesttype") == "IS_NOT_NULL" and len(parts) == 1:
        return f"{parts[0]} IS NOT NULL"
    return "<expression>"


def _drop(state: ReplayState, node: Node, origin: Origin) -> None:
    kind = node.get("removeType")
    for obj in node.get("objects", []):
        parts = n.strings(obj["List"].get("items")) if "List" in obj else []
        if kind in ("OBJECT_TABLE", "OBJECT_FOREIGN_TABLE") and parts:
            _drop_table(state, n.qualified(parts), origin)
        elif kind == "OBJECT_INDEX" and parts:
            index = state.indexes.pop(n.qualified(parts), None)
            state.gone["index", n.qualified(parts)] = origin
            if index and index.table in state.tables:
                state.table(index.table).indexes.discard(index.name)
        elif kind in ("OBJECT_VIEW", "OBJECT_MATVIEW") and parts:
            state.views.pop(n.qualified(parts), None)
            state.gone["view", n.qualified(parts)] = origin
        elif kind in ("OBJECT_POLICY", "OBJECT_TRIGGER") and len(parts) >= 2:
            table = state.table(n.qualified(parts[:-1]))
            (table.policies if kind == "OBJECT_POLICY" else table.triggers).pop(parts[-1], None)
            if kind == "OBJECT_POLICY":
                table.calls.pop(f"policy {parts[-1]}", None)
        elif kind in _ROUTINES and "ObjectWithArgs" in obj:
            key = n.qualified(n.strings(obj["ObjectWithArgs"].get("objname")))
            state.functions.pop(key, None)
            state.gone["function", key] = origin
        elif kind in ("OBJECT_TYPE", "OBJECT_DOMAIN") and "TypeName" in obj:
            key = n.qualified(n.strings(obj["TypeName"].get("names")))
            state.enums.pop(key, None)
            state.gone["type", key] = origin


_ROUTINES = ("OBJECT_FUNCTION", "OBJECT_PROCEDURE", "OBJECT_ROUTINE")


def _drop_table(state: ReplayState, key: str, origin: Origin) -> None:
    table = state.tables.pop(key, None)
    state.gone["table", key] = origin
    for name in table.indexes if table else ():
        state.indexes.pop(name, None)
        state.gone["index", name] = origin


def _rename(state: ReplayState, node: Node, origin: Origin) -> None:
    kind = node.get("renameType")
    new = str(node.get("newname", ""))
    relation = n.relation(node.get("relation"))
    if kind == "OBJECT_TABLE" and relation in state.indexes and relation not in state.tables:
        _rename_index(state, relation, new, origin)  # ALTER TABLE also renames an index
    elif kind == "OBJECT_TABLE":
        _rename_table(state, relation, new, origin)
    elif kind == "OBJECT_COLUMN":
        table = state.table(n.relation(node.get("relation")))
        old = str(node.get("subname", ""))
        column = table.columns.pop(old, None)
        if column:
            column.name = new
            table.columns[new] = column
            _rename_in_keys(state, table, old, new)
    elif kind in replay_objects.RENAMES:
        replay_objects.rename(state, node, origin)
    elif kind == "OBJECT_TABCONSTRAINT":
        table = state.table(n.relation(node.get("relation")))
        _rename_constraint(state, table, str(node["subname"]), new)
    elif kind == "OBJECT_INDEX":
        _rename_index(state, relation, new, origin)


def _rename_index(state: ReplayState, old_index: str, new: str, origin: Origin) -> None:
    index = state.indexes.pop(old_index, None)
    if index is None:  # the index behind a key: renaming it renames the constraint
        bare = old_index.rpartition(".")[2]
        for table in list(state.tables.values()):
            if bare == table.primary_key_name or bare in table.uniques:
                _rename_constraint(state, state.table(table.key), bare, new)
                break
        return
    owner = state.table(index.table)
    owner.indexes.discard(index.name)
    state.indexes[new] = replace(index, name=new)
    owner.indexes.add(new)
    state.gone["index", old_index] = origin
    state.gone.pop(("index", new), None)


def _rename_constraint(state: ReplayState, table: Table, old: str, new: str) -> None:
    if old in table.uniques:
        table.uniques[_claim(state, table, new)] = table.uniques.pop(old)
    if table.primary_key_name == old:
        table.primary_key_name = _claim(state, table, new)
    for fk in table.foreign_keys:
        if fk.name == old:
            fk.name = new


def _rename_in_keys(state: ReplayState, table: Table, old: str, new: str) -> None:
    """Keys, constraints and indexes follow a renamed column, as in PostgreSQL."""

    def swap(cols: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(new if c == old else c for c in cols)

    if table.primary_key:
        table.primary_key = swap(table.primary_key)
    table.uniques = {name: swap(cols) for name, cols in table.uniques.items()}
    for fk in table.foreign_keys:
        fk.columns = swap(fk.columns)
    for name in table.indexes:
        if name in state.indexes:
            index = state.indexes[name]
            state.indexes[name] = replace(index, columns=swap(index.columns))
    if table.partition_key:
        table.partition_key = swap(table.partition_key)


def _rename_table(state: ReplayState, old: str, new: str, origin: Origin) -> None:
    table = state.table(old)
    del state.tables[old]
    schema = old.rpartition(".")[0]
    table.key = f"{schema}.{new}" if schema else new
    state.tables[table.key] = table
    for name in (table.primary_key_name, *table.uniques):  # its keys keep their names
        _claim(state, table, name)
    state.gone["table", old] = origin
    state.gone.pop(("table", table.key), None)
    for name in table.indexes:
        if name in state.indexes:
            state.indexes[name] = replace(state.indexes[name], table=table.key)
    # Foreign keys and views follow the table (PostgreSQL keeps them by oid, not by name).
    for other in [
        t for t in state.tables.values() if any(fk.ref_table == old for fk in t.foreign_keys)
    ]:
        for fk in state.table(other.key).foreign_keys:
            fk.ref_table = table.key if fk.ref_table == old else fk.ref_table
    for key, view in list(state.views.items()):
        if old in view.tables:
            tables = tuple(table.key if t == old else t for t in view.tables)
            state.views[key] = replace(view, tables=tables)


def _create_policy(state: ReplayState, node: Node, origin: Origin) -> None:
    table = state.table(n.relation(node.get("table")))
    name = str(node.get("policy_name", ""))
    table.policies[name] = str(node.get("cmd_name", "all")).lower()
    _set_calls(table, f"policy {name}", [node.get("qual"), node.get("with_check")])


def _set_calls(table: Table, what: str, expr: object) -> None:
    """Record the functions `expr` calls (a DROP FUNCTION without CASCADE fails on them)."""
    calls = function_calls(expr)
    if calls:
        table.calls[what] = calls
    else:
        table.calls.pop(what, None)


def function_calls(expr: object) -> frozenset[str]:
    """Keys of the functions an expression or query calls."""
    return _calls(n.collect(expr, "FuncCall")["FuncCall"])


def _calls(calls: list[Node]) -> frozenset[str]:
    return frozenset(n.qualified(n.strings(call.get("funcname"))) for call in calls)


def _reads(query: Node | None) -> tuple[tuple[str, ...], frozenset[str]]:
    """The tables a view's query reads and the functions it calls (one walk: views are big)."""
    found = n.collect(query or {}, "RangeVar", "FuncCall")
    tables = tuple(dict.fromkeys(n.relation(r) for r in found["RangeVar"]))
    return tables, _calls(found["FuncCall"])


def _create_view(state: ReplayState, node: Node, origin: Origin) -> None:
    key = n.relation(node.get("view"))
    invoker = n.truthy(n.def_elems(node.get("options")).get("security_invoker"))
    tables, calls = _reads(node.get("query"))
    state.views[key] = View(key, tables, invoker, origin, calls=calls)
    state.gone.pop(("view", key), None)


def _select_into(state: ReplayState, node: Node, origin: Origin) -> None:
    """SELECT ... INTO t creates t, as CREATE TABLE t AS SELECT does; a SELECT of a function
    that runs SQL it builds may change what it names."""
    if state.functions:
        replay_objects.call_dynamic(state, node)
    into = node.get("intoClause")
    if into:
        key = n.relation(into.get("rel"))
        state.tables[key] = Table(key, origin=origin, partial=True)
        state.gone.pop(("table", key), None)


def _create_table_as(state: ReplayState, node: Node, origin: Origin) -> None:
    key = n.relation(node.get("into", {}).get("rel"))
    if node.get("objtype") == "OBJECT_MATVIEW":
        # security_invoker does not exist for materialized views: not the view rule's business.
        tables, calls = _reads(node.get("query"))
        state.views[key] = View(key, tables, True, origin, materialized=True, calls=calls)
        state.gone.pop(("view", key), None)
    else:
        state.tables[key] = Table(key, origin=origin, partial=True)
        state.gone.pop(("table", key), None)


def _delete(state: ReplayState, node: Node, origin: Origin) -> None:
    if not node.get("whereClause"):
        _set_emptied(state, n.relation(node.get("relation")), origin.migration)


def _truncate(state: ReplayState, node: Node, origin: Origin) -> None:
    for rel in node.get("relations", []):
        _set_emptied(state, n.relation(rel.get("RangeVar")), origin.migration)


def _fill(state: ReplayState, node: Node, origin: Origin) -> None:
    """INSERT, COPY FROM: the table may hold rows again."""
    if node.get("is_from", True):
        _set_emptied(state, n.relation(node.get("relation")), None)


def _set_emptied(state: ReplayState, key: str, migration: int | None) -> None:
    if key in state.views or (migration is None and key not in state.tables):
        return  # a view's rows live elsewhere; no placeholder needed to say "not empty"
    state.table(key).emptied_in = migration


_HANDLERS: dict[str, Handler] = {
    "DeleteStmt": _delete,
    "TruncateStmt": _truncate,
    "InsertStmt": _fill,
    "CopyStmt": _fill,
    "CreateStmt": _create_table,
    "AlterTableStmt": _alter_table,
    "IndexStmt": _create_index,
    "DropStmt": _drop,
    "RenameStmt": _rename,
    "CreatePolicyStmt": _create_policy,
    "ViewStmt": _create_view,
    "CreateTableAsStmt": _create_table_as,
    "SelectStmt": _select_into,
    **replay_objects.HANDLERS,
}
