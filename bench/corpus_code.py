"""Corpus migrations around the tables: bootstrap, functions, triggers, RLS, views, comments,
data."""

from __future__ import annotations

from collections.abc import Callable

from corpus_model import Column, Function, State, Step, Table, human, ident, singular
from corpus_schema import fill_value


def create_dealerships(s: State) -> Step:
    cols = [
        Column("id", "bigint", True, kind="base", locked=True),
        Column("name", "text", True, kind="base", locked=True),
        Column("external_id", "text", kind="base", locked=True),
        Column("domain", "text"),
        Column("contact_email", "text"),
        Column("created_at", "timestamptz", True, "now()", "base", True),
        Column("updated_at", "timestamptz", True, "now()", "base", True),
    ]
    s.tables["dealerships"] = Table("dealerships", {c.name: c for c in cols}, None)
    body = ",\n".join(
        ["    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY"]
        + [f"    {c.ddl()}" for c in cols[1:]]
    )
    up = f"-- Create dealerships, the tenant root\nCREATE TABLE dealerships (\n{body}\n);\n"
    return Step("create_dealerships", up, "DROP TABLE dealerships;\n")


def _set_updated_at(revision: int) -> str:
    clock = "clock_timestamp()" if revision % 2 else "now()"
    return (
        "CREATE OR REPLACE FUNCTION set_updated_at() RETURNS trigger\n"
        "LANGUAGE plpgsql AS $$\nBEGIN\n"
        f"    -- revision {revision}\n    NEW.updated_at := {clock};\n"
        "    RETURN NEW;\nEND;\n$$;\n"
    )


def create_set_updated_at(s: State) -> Step:
    fn = Function("set_updated_at", "set_updated_at()", _set_updated_at)
    s.functions[fn.name] = fn
    return Step(
        "create_set_updated_at",
        "-- Keep updated_at current\n" + fn.render(0),
        "DROP FUNCTION set_updated_at();\n",
    )


def _audit_row_change(revision: int) -> str:
    return (
        "CREATE OR REPLACE FUNCTION audit_row_change() RETURNS trigger\n"
        "LANGUAGE plpgsql AS $$\nDECLARE\n    row_id bigint;\nBEGIN\n"
        f"    -- revision {revision}\n"
        "    IF TG_OP = 'DELETE' THEN\n        row_id := OLD.id;\n    ELSE\n"
        "        row_id := NEW.id;\n    END IF;\n"
        "    INSERT INTO audit_log (table_name, operation, row_id)\n"
        "    VALUES (TG_TABLE_NAME, TG_OP, row_id);\n    RETURN NULL;\nEND;\n$$;\n"
    )


def create_audit_log(s: State) -> Step:
    fn = Function("audit_row_change", "audit_row_change()", _audit_row_change)
    s.functions[fn.name] = fn
    up = (
        "-- Audit trail written by row triggers\n"
        "CREATE TABLE audit_log (\n"
        "    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n"
        "    table_name text NOT NULL,\n    operation text NOT NULL,\n    row_id bigint,\n"
        "    changed_by text NOT NULL DEFAULT current_user,\n"
        "    changed_at timestamptz NOT NULL DEFAULT now()\n);\n"
        "CREATE INDEX audit_log_table_name_row_id_idx ON audit_log (table_name, row_id);\n"
        + fn.render(0)
    )
    down = "DROP FUNCTION audit_row_change();\nDROP TABLE audit_log;\n"
    return Step("create_audit_log", up, down)


def enable_pg_trgm(s: State) -> Step:
    return Step(
        "enable_pg_trgm",
        "-- Fuzzy name search\nCREATE EXTENSION pg_trgm;\n",
        "DROP EXTENSION pg_trgm;\n",
    )


BOOTSTRAP = [create_dealerships, create_set_updated_at, create_audit_log, enable_pg_trgm]


def _count_fn(table: str, fn: str) -> Callable[[int], str]:
    def render(revision: int) -> str:
        days = f"interval '{365 * revision} days'"
        window = f"\n      AND created_at > now() - {days}" if revision else ""
        return (
            f"CREATE OR REPLACE FUNCTION {fn}(p_dealership_id bigint) RETURNS bigint\n"
            "LANGUAGE plpgsql STABLE AS $$\nDECLARE\n    total bigint;\nBEGIN\n"
            f"    SELECT count(*) INTO total FROM {table}\n"
            f"    WHERE dealership_id = p_dealership_id{window};\n"
            "    RETURN total;\nEND;\n$$;\n"
        )

    return render


def _touch_fn(table: str, fn: str) -> Callable[[int], str]:
    def render(revision: int) -> str:
        stamp = "clock_timestamp()" if revision % 2 else "now()"
        return (
            f"CREATE OR REPLACE FUNCTION {fn}(p_id bigint) RETURNS void\n"
            "LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$\nBEGIN\n"
            "    IF p_id IS NULL THEN\n"
            f"        RAISE EXCEPTION '{fn}: id is required (got %)', p_id;\n    END IF;\n"
            f"    UPDATE {table} SET updated_at = {stamp} WHERE id = p_id;\n"
            f"    -- revision {revision}\nEND;\n$$;\n"
        )

    return render


def _daily_fn(table: str, fn: str) -> Callable[[int], str]:
    def render(revision: int) -> str:
        limit = f"\n    LIMIT {90 * revision}" if revision else ""
        return (
            f"CREATE OR REPLACE FUNCTION {fn}(p_dealership_id bigint)\n"
            "RETURNS TABLE (day date, total bigint)\nLANGUAGE sql STABLE AS $$\n"
            f"    SELECT created_at::date, count(*) FROM {table}\n"
            "    WHERE dealership_id = $1\n    GROUP BY 1\n    ORDER BY 1 DESC"
            f"{limit};\n$$;\n"
        )

    return render


def create_function(s: State) -> Step | None:
    table = s.pick([t for t in s.tenant_tables()])
    if table is None:
        return None
    kinds = [
        (f"{table.singular}_count", _count_fn),
        (f"touch_{table.singular}", _touch_fn),
        (f"{table.singular}_daily_totals", _daily_fn),
    ]
    free = [(n, k) for n, k in kinds if ident(n) not in s.functions]
    if not free:
        return None
    name, kind = s.rng.choice(free)
    name = ident(name)
    render = kind(table.name, name)
    fn = Function(name, f"{name}(bigint)", render)
    s.functions[name] = fn
    return Step(
        f"create_{name}", f"-- Function {name}\n" + fn.render(0), f"DROP FUNCTION {fn.signature};\n"
    )


def replace_function(s: State) -> Step | None:
    if not s.functions:
        return None
    fn = s.functions[s.rng.choice(sorted(s.functions))]
    before = fn.render(fn.revision)
    fn.revision += 1
    return Step(
        f"update_{fn.name}_r{fn.revision}",
        f"-- {fn.name}, revision {fn.revision}\n" + fn.render(fn.revision),
        before,
    )


def create_trigger(s: State) -> Step | None:
    options = [
        (t, k) for t in s.tables.values() for k in ("set_updated_at", "audit") if k not in t.flags
    ]
    if not options:
        return None
    table, kind = s.rng.choice(options)
    table.flags.add(kind)
    name = ident(f"{table.name}_{kind}")
    if kind == "audit":
        what = (
            f"AFTER INSERT OR UPDATE OR DELETE ON {table.name}\n"
            "    FOR EACH ROW EXECUTE FUNCTION audit_row_change()"
        )
    else:
        what = f"BEFORE UPDATE ON {table.name}\n    FOR EACH ROW EXECUTE FUNCTION set_updated_at()"
    up = f"-- Trigger {kind} on {human(table.name)}\nCREATE TRIGGER {name} {what};\n"
    return Step(f"trigger_{name}", up, f"DROP TRIGGER {name} ON {table.name};\n")


def enable_rls(s: State) -> Step | None:
    table = s.pick([t for t in s.tenant_tables() if "rls" not in t.flags])
    if table is None:
        return None
    table.flags.add("rls")
    policy = ident(f"{table.name}_tenant_isolation")
    up = (
        f"-- Tenant isolation for {human(table.name)}\n"
        f"ALTER TABLE {table.name} ENABLE ROW LEVEL SECURITY;\n"
        f"CREATE POLICY {policy} ON {table.name}\n"
        "    USING (dealership_id = "
        "current_setting('app.current_dealership_id', true)::bigint);\n"
    )
    down = (
        f"DROP POLICY {policy} ON {table.name};\n"
        f"ALTER TABLE {table.name} DISABLE ROW LEVEL SECURITY;\n"
    )
    return Step(f"rls_{table.name}", up, down)


def create_view(s: State) -> Step | None:
    table = s.pick([t for t in s.tenant_tables() if "view" not in t.flags])
    if table is None:
        return None
    table.flags.add("view")
    view = ident(f"{table.name}_overview")
    if table.parent:
        ref = singular(table.parent)
        select = (
            f"SELECT c.id, c.dealership_id, c.name, c.created_at, p.name AS {ref}_name\n"
            f"FROM {table.name} AS c\nJOIN {table.parent} AS p ON p.id = c.{ref}_id"
        )
    else:
        select = (
            f"SELECT id, dealership_id, name, created_at, updated_at\nFROM {table.name}\n"
            "WHERE created_at > now() - interval '90 days'"
        )
    up = f"-- Reporting view over {human(table.name)}\nCREATE VIEW {view} AS\n{select};\n"
    return Step(f"create_{view}", up, f"DROP VIEW {view};\n")


def create_matview(s: State) -> Step | None:
    table = s.pick([t for t in s.tenant_tables() if "matview" not in t.flags])
    if table is None:
        return None
    table.flags.add("matview")
    view = ident(f"{table.name}_daily")
    key = ident(f"{view}_key")
    up = (
        f"-- Daily counts of {human(table.name)} for the dashboard\n"
        f"CREATE MATERIALIZED VIEW {view} AS\n"
        "SELECT dealership_id, date_trunc('day', created_at) AS day, count(*) AS total\n"
        f"FROM {table.name}\nGROUP BY 1, 2\nWITH DATA;\n"
        f"CREATE UNIQUE INDEX {key} ON {view} (dealership_id, day);\n"
    )
    return Step(f"create_{view}", up, f"DROP MATERIALIZED VIEW {view};\n")


def comment(s: State) -> Step | None:
    table = s.pick(list(s.tables.values()))
    if table is None:
        return None
    col = s.rng.choice([None, "name", "external_id", "created_at"])
    target = f"TABLE {table.name}" if col is None else f"COLUMN {table.name}.{col}"
    texts = [
        f"{human(table.name).capitalize()} of a dealership.",
        f"Each row is one dealership''s {human(table.singular)} (see {s.tag}).",
        f"Set by the importer; revised in {s.tag}.",
    ]
    text = s.rng.choice(texts if col is None else texts[2:])
    before = s.comments.get(target)
    s.comments[target] = text
    up = f"-- Document {target.lower()}\nCOMMENT ON {target} IS '{text}';\n"
    old = "NULL" if before is None else f"'{before}'"
    down = f"COMMENT ON {target} IS {old};\n"
    return Step(f"comment_{table.name}_{col or 'table'}", up, down)


def insert_rows(s: State) -> Step | None:
    table = s.pick(list(s.tables.values()))
    if table is None:
        return None
    tag, n = s.tag, s.rng.choice([40, 80, 150, 300])
    label = human(table.singular).capitalize()
    if table.name == "dealerships":
        up = (
            "INSERT INTO dealerships (name, external_id)\n"
            f"SELECT 'Dealership {tag}-' || g, '{tag}-' || g\n"
            f"FROM generate_series(1, {n // 10}) AS g;\n"
        )
    else:
        src = table.parent or "dealerships"
        cols = f"dealership_id, {singular(src)}_id, " if table.parent else "dealership_id, "
        tenant = "p.dealership_id, p.id" if table.parent else "p.id"
        up = (
            f"INSERT INTO {table.name} ({cols}name, external_id)\n"
            f"SELECT {tenant}, '{label} ' || p.id || '-' || g, '{tag}-' || p.id || '-' || g\n"
            f"FROM {src} AS p\nCROSS JOIN generate_series(1, {s.rng.randint(1, 3)}) AS g\n"
            f"ORDER BY p.id, g\nLIMIT {n};\n"
        )
    return Step(
        f"seed_{table.name}",
        f"-- Seed {human(table.name)}\n" + up,
        f"DELETE FROM {table.name} WHERE external_id LIKE '{tag}-%';\n",
    )


def _fillable(s: State, want_default: bool) -> list[tuple[Table, Column]]:
    return [
        (t, c)
        for t in s.tables.values()
        for c in t.columns.values()
        if c.kind == "pool"
        and not c.not_null
        and fill_value(c)
        and (c.default is not None) == want_default
    ]


def backfill(s: State) -> Step | None:
    pairs = [(t, c) for t, c in _fillable(s, False) if f"filled:{c.name}" not in t.flags]
    if not pairs:
        return None
    table, col = s.rng.choice(pairs)
    table.flags.add(f"filled:{col.name}")
    up = (
        f"-- Backfill {human(table.name)}.{col.name}\n"
        f"UPDATE {table.name} SET {col.name} = {fill_value(col)} WHERE {col.name} IS NULL;\n"
    )
    return Step(
        f"backfill_{table.name}_{col.name}",
        up,
        f"UPDATE {table.name} SET {col.name} = NULL WHERE {col.name} IS NOT NULL;\n",
    )


def set_default(s: State) -> Step | None:
    pairs = _fillable(s, False)
    if not pairs:
        return None
    table, col = s.rng.choice(pairs)
    col.default = fill_value(col)
    up = (
        f"-- Default for {human(table.name)}.{col.name}\n"
        f"ALTER TABLE {table.name} ALTER COLUMN {col.name} SET DEFAULT {col.default};\n"
    )
    return Step(
        f"default_{table.name}_{col.name}",
        up,
        f"ALTER TABLE {table.name} ALTER COLUMN {col.name} DROP DEFAULT;\n",
    )


def set_not_null(s: State) -> Step | None:
    pairs = _fillable(s, True)
    if not pairs:
        return None
    table, col = s.rng.choice(pairs)
    col.not_null = True
    up = (
        f"-- Require {human(table.name)}.{col.name}\n"
        f"UPDATE {table.name} SET {col.name} = {col.default} WHERE {col.name} IS NULL;\n"
        f"ALTER TABLE {table.name} ALTER COLUMN {col.name} SET NOT NULL;\n"
    )
    return Step(
        f"require_{table.name}_{col.name}",
        up,
        f"ALTER TABLE {table.name} ALTER COLUMN {col.name} DROP NOT NULL;\n",
    )
