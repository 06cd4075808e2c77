"""Corpus migrations that shape tables: create, add columns, constraints, indexes, enums."""

from __future__ import annotations

from corpus_model import Column, Enum, Index, State, Step, Table, human, ident, singular, sql_list

# A dealership platform's tables in the order a team would add them: (name, parent table).
TABLES: list[tuple[str, str | None]] = [
    ("users", None),
    ("customers", None),
    ("vehicles", None),
    ("leads", "customers"),
    ("conversations", "leads"),
    ("messages", "conversations"),
    ("appointments", "customers"),
    ("service_orders", "vehicles"),
    ("service_order_lines", "service_orders"),
    ("vehicle_photos", "vehicles"),
    ("price_changes", "vehicles"),
    ("test_drives", "leads"),
    ("trade_ins", "customers"),
    ("finance_applications", "customers"),
    ("credit_checks", "finance_applications"),
    ("deals", "leads"),
    ("deal_documents", "deals"),
    ("invoices", "deals"),
    ("payments", "invoices"),
    ("campaigns", None),
    ("campaign_recipients", "campaigns"),
    ("email_templates", None),
    ("notifications", "users"),
    ("tasks", "users"),
    ("task_comments", "tasks"),
    ("staff_schedules", "users"),
    ("api_keys", "users"),
    ("webhooks", None),
    ("webhook_deliveries", "webhooks"),
    ("inventory_feeds", None),
    ("feed_runs", "inventory_feeds"),
    ("feed_errors", "feed_runs"),
    ("parts", None),
    ("part_orders", "parts"),
    ("warranties", "vehicles"),
    ("recalls", "vehicles"),
    ("reviews", "customers"),
    ("surveys", None),
    ("survey_responses", "surveys"),
    ("usage_metrics", "users"),
    ("ai_prompts", None),
    ("ai_responses", "conversations"),
    ("message_feedback", "messages"),
    ("handovers", "leads"),
    ("escalations", "conversations"),
    ("customer_notes", "customers"),
    ("lead_sources", None),
    ("lead_scores", "leads"),
    ("showroom_visits", "customers"),
    ("loaner_vehicles", "vehicles"),
    ("loaner_bookings", "loaner_vehicles"),
    ("insurance_quotes", "customers"),
    ("promotions", None),
    ("promotion_redemptions", "promotions"),
    ("dialog_contexts", "conversations"),
    ("whatsapp_sessions", "customers"),
    ("call_logs", "customers"),
    ("documents", None),
    ("document_versions", "documents"),
    ("integrations", None),
    ("integration_events", "integrations"),
    ("reports", "users"),
    ("report_runs", "reports"),
    ("locations", None),
    ("departments", "locations"),
    ("employees", "departments"),
]

# Ordinary data columns: name -> (type, NOT NULL, default).
POOL: dict[str, tuple[str, bool, str | None]] = {
    "email": ("text", False, None),
    "phone": ("text", False, None),
    "notes": ("text", False, None),
    "amount": ("numeric(12,2)", False, None),
    "quantity": ("integer", True, "0"),
    "score": ("integer", False, None),
    "starts_at": ("timestamptz", False, None),
    "ends_at": ("timestamptz", False, None),
    "metadata": ("jsonb", True, "'{}'::jsonb"),
    "is_archived": ("boolean", True, "false"),
    "status": ("text", True, "'active'"),
    "source": ("text", False, None),
    "priority": ("smallint", True, "3"),
    "public_id": ("uuid", True, "gen_random_uuid()"),
    "title": ("varchar(200)", False, None),
    "description": ("text", False, None),
    "total_cost": ("numeric(10,4)", False, None),
    "last_seen_at": ("timestamptz", False, None),
    "tags": ("text[]", True, "'{}'::text[]"),
    "locale": ("varchar(10)", False, None),
    "opted_out_at": ("timestamptz", False, None),
    "rating": ("smallint", False, None),
    "url": ("text", False, None),
    "version": ("integer", True, "1"),
    "expires_at": ("timestamptz", False, None),
    "country_code": ("char(2)", False, None),
    "retry_count": ("integer", True, "0"),
    "sync_status": ("text", False, None),
}
RENAMES = {
    "notes": "internal_notes",
    "email": "contact_email",
    "phone": "contact_phone",
    "url": "website_url",
    "title": "headline",
    "description": "summary",
    "score": "lead_score",
    "source": "origin",
    "rating": "star_rating",
    "locale": "language_tag",
}
WIDEN = {"integer": "bigint", "smallint": "integer", "varchar(200)": "text", "varchar(10)": "text"}
ENUM_WORDS: dict[str, list[str]] = {
    "stage": ["new", "contacted", "qualified", "won", "lost", "dormant"],
    "channel": ["email", "sms", "phone", "web", "whatsapp", "walk_in"],
    "tier": ["bronze", "silver", "gold", "platinum", "diamond"],
    "outcome": ["pending", "accepted", "rejected", "expired", "withdrawn"],
}


def check_for(col: Column) -> str | None:
    """A CHECK that every value the corpus ever writes satisfies."""
    if col.type in ("text", "varchar(200)", "varchar(10)"):
        return f"char_length({col.name}) <= 500"
    if col.type in ("integer", "smallint", "bigint") or col.type.startswith("numeric"):
        return f"{col.name} >= 0"
    if col.type == "timestamptz":
        return f"{col.name} >= '2000-01-01'::timestamptz"
    if col.type == "jsonb":
        return f"jsonb_typeof({col.name}) = 'object'"
    return None


def fill_value(col: Column) -> str | None:
    """What a backfill or a new default puts in the column."""
    values = {
        "text": "'unknown'",
        "varchar(200)": "'untitled'",
        "varchar(10)": "'en-US'",
        "char(2)": "'US'",
        "timestamptz": "now()",
        "jsonb": "'{}'::jsonb",
    }
    if col.type in ("integer", "smallint", "bigint") or col.type.startswith("numeric"):
        return "0"
    return values.get(col.type)


def _base(table: Table) -> list[Column]:
    return list(table.columns.values())


def create_table(s: State) -> Step | None:
    spec = next(((n, p) for n, p in TABLES if n not in s.tables), None)
    if spec is None:
        return None
    name, parent = spec
    cols = [
        Column("id", "bigint", True, kind="base", locked=True),
        Column("dealership_id", "bigint", True, kind="base", locked=True),
    ]
    refs = [("dealership_id", "dealerships")]
    if parent:
        cols.append(Column(f"{singular(parent)}_id", "bigint", True, kind="base", locked=True))
        refs.append((cols[-1].name, parent))
    cols += [
        Column("name", "text", True, kind="base", locked=True),
        Column("external_id", "text", kind="base", locked=True),
    ]
    for extra in s.rng.sample(sorted(POOL), s.rng.randint(1, 3)):
        typ, not_null, default = POOL[extra]
        cols.append(Column(extra, typ, not_null, default))
    cols += [
        Column("created_at", "timestamptz", True, "now()", "base", True),
        Column("updated_at", "timestamptz", True, "now()", "base", True),
    ]
    table = Table(name, {c.name: c for c in cols}, parent)
    s.tables[name] = table
    identity = s.rng.choice(["ALWAYS", "BY DEFAULT"])
    lines = [f"    id bigint GENERATED {identity} AS IDENTITY PRIMARY KEY"]
    for col in cols[1:]:
        ref = dict(refs).get(col.name)
        tail = f" REFERENCES {ref} (id) ON DELETE CASCADE" if ref else ""
        lines.append(f"    {col.ddl()}{tail}")
    body = ",\n".join(lines)
    up = [f"-- Create {human(name)}", f"CREATE TABLE {name} (\n{body}\n);"]
    for col_name, _ in refs:
        index = _add_index(s, table, [col_name])
        if index:
            up.append(index.definition + ";")
    return Step(f"create_{name}", "\n".join(up) + "\n", f"DROP TABLE {name};\n")


def _add_index(
    s: State, table: Table, cols: list[str], method: str = "", opclass: str = ""
) -> Index | None:
    suffix = "trgm_idx" if opclass else "idx"
    name = ident(f"{table.name}_{'_'.join(cols)}_{suffix}")
    if name in s.indexes:
        return None
    using = f" USING {method}" if method else ""
    col_sql = ", ".join(f"{c} {opclass}".strip() for c in cols)
    index = Index(name, table.name, f"CREATE INDEX {name} ON {table.name}{using} ({col_sql})")
    s.indexes[name] = index
    for c in cols:
        table.columns[c].locked = True
    return index


def add_columns(s: State) -> Step | None:
    table = s.pick([t for t in s.tables.values() if set(POOL) - set(t.columns)])
    if table is None:
        return None
    free = [c for c in sorted(POOL) if c not in table.columns]
    chosen = s.rng.sample(free, min(len(free), s.rng.randint(1, 3)))
    cols = [Column(c, *POOL[c]) for c in chosen]
    for col in cols:
        table.columns[col.name] = col
    adds = ",\n    ".join(f"ADD COLUMN {c.ddl()}" for c in cols)
    drops = ",\n    ".join(f"DROP COLUMN {c.name}" for c in reversed(cols))
    up = (
        f"-- Add {', '.join(chosen)} to {human(table.name)}\n"
        f"ALTER TABLE {table.name}\n    {adds};\n"
    )
    return Step(
        f"add_{'_'.join(chosen)}_to_{table.name}", up, f"ALTER TABLE {table.name}\n    {drops};\n"
    )


def _index_candidates(s: State, table: Table) -> list[tuple[list[str], str, str]]:
    out: list[tuple[list[str], str, str]] = []
    for col in _base(table):
        if col.kind == "pool" and col.type in ("jsonb", "text[]"):
            out.append(([col.name], "gin", ""))
        elif col.kind in ("pool", "fk"):
            out.append(([col.name], "", ""))
        elif col.kind == "enum":
            out.append((["dealership_id", col.name], "", ""))
    if "dealership_id" in table.columns:
        out.append((["dealership_id", "created_at"], "", ""))
    out.append((["name"], "gin", "gin_trgm_ops"))
    return out


def create_index(s: State, concurrently: bool = False) -> Step | None:
    table = s.pick(list(s.tables.values()))
    if table is None:
        return None
    options = _index_candidates(s, table)
    cols, method, opclass = s.rng.choice(options)
    index = _add_index(s, table, cols, method, opclass)
    if index is None:
        return None
    if not concurrently:
        up = f"-- Index {human(table.name)} by {', '.join(cols)}\n{index.definition};\n"
        return Step(f"index_{table.name}_on_{'_'.join(cols)}", up, f"DROP INDEX {index.name};\n")
    definition = index.definition.replace("CREATE INDEX", "CREATE INDEX CONCURRENTLY", 1)
    up = (
        f"-- Index {human(table.name)} by {', '.join(cols)} without blocking writes\n"
        f"{definition};\n"
    )
    return Step(
        f"index_{table.name}_on_{'_'.join(cols)}_concurrently",
        up,
        f"DROP INDEX CONCURRENTLY {index.name};\n",
        transactional=False,
    )


def create_index_concurrently(s: State) -> Step | None:
    return create_index(s, concurrently=True)


def drop_index(s: State) -> Step | None:
    if not s.indexes:
        return None
    index = s.indexes.pop(s.rng.choice(sorted(s.indexes)))
    up = f"-- Drop the redundant index {index.name}\nDROP INDEX {index.name};\n"
    return Step(f"drop_{index.name}", up, index.definition + ";\n")


def add_check(s: State) -> Step | None:
    pairs = [
        (t, c)
        for t in s.tables.values()
        for c in _base(t)
        if c.kind == "pool" and check_for(c) and f"check:{c.name}" not in t.flags
    ]
    if not pairs:
        return None
    table, col = s.rng.choice(pairs)
    table.flags.add(f"check:{col.name}")
    col.locked = True
    con = ident(f"{table.name}_{col.name}_check")
    up = (
        f"-- Reject bad {col.name} values in {human(table.name)}\n"
        f"ALTER TABLE {table.name}\n    ADD CONSTRAINT {con} CHECK ({check_for(col)});\n"
    )
    return Step(
        f"check_{table.name}_{col.name}", up, f"ALTER TABLE {table.name} DROP CONSTRAINT {con};\n"
    )


def add_unique(s: State) -> Step | None:
    table = s.pick([t for t in s.tables.values() if "unique" not in t.flags])
    if table is None:
        return None
    table.flags.add("unique")
    cols = "dealership_id, external_id" if "dealership_id" in table.columns else "external_id"
    con = ident(f"{table.name}_{cols.replace(', ', '_')}_key")
    up = (
        f"-- One row per external id in {human(table.name)}\n"
        f"ALTER TABLE {table.name}\n    ADD CONSTRAINT {con} UNIQUE ({cols});\n"
    )
    return Step(
        f"unique_{table.name}_external_id", up, f"ALTER TABLE {table.name} DROP CONSTRAINT {con};\n"
    )


def add_foreign_key(s: State) -> Step | None:
    """A new reference column, constrained NOT VALID so it does not scan; validated later."""
    tables = [t for t in s.tables.values() if t.name != "dealerships"]
    if len(tables) < 2:
        return None
    child, parent = s.rng.sample(tables, 2)
    col = Column(f"{parent.singular}_id", "bigint", kind="fk", locked=True)
    if col.name in child.columns:
        return None
    child.columns[col.name] = col
    con = ident(f"{child.name}_{col.name}_fkey")
    definition = f"FOREIGN KEY ({col.name}) REFERENCES {parent.name} (id) ON DELETE SET NULL"
    s.unvalidated.append((child.name, con, definition))
    up = (
        f"-- Link {human(child.name)} to {human(parent.name)}\n"
        f"ALTER TABLE {child.name} ADD COLUMN {col.ddl()};\n"
        f"ALTER TABLE {child.name}\n    ADD CONSTRAINT {con} {definition} NOT VALID;\n"
    )
    down = (
        f"ALTER TABLE {child.name} DROP CONSTRAINT {con};\n"
        f"ALTER TABLE {child.name} DROP COLUMN {col.name};\n"
    )
    return Step(f"add_{col.name}_to_{child.name}", up, down)


def validate_foreign_key(s: State) -> Step | None:
    if not s.unvalidated:
        return None
    table, con, definition = s.unvalidated.pop(s.rng.randrange(len(s.unvalidated)))
    up = f"-- Validate {con}\nALTER TABLE {table} VALIDATE CONSTRAINT {con};\n"
    down = (
        f"ALTER TABLE {table} DROP CONSTRAINT {con};\n"
        f"ALTER TABLE {table}\n    ADD CONSTRAINT {con} {definition} NOT VALID;\n"
    )
    return Step(f"validate_{con}", up, down)


def rename_column(s: State) -> Step | None:
    pairs = [
        (t, c)
        for t in s.tables.values()
        for c in _base(t)
        if c.kind == "pool" and not c.locked and RENAMES.get(c.name, "") not in ("", *t.columns)
    ]
    if not pairs:
        return None
    table, col = s.rng.choice(pairs)
    old, new = col.name, RENAMES[col.name]
    col.name = new
    table.columns = {(new if k == old else k): v for k, v in table.columns.items()}
    up = (
        f"-- Rename {human(table.name)}.{old} to {new}\n"
        f"ALTER TABLE {table.name} RENAME COLUMN {old} TO {new};\n"
    )
    return Step(
        f"rename_{table.name}_{old}",
        up,
        f"ALTER TABLE {table.name} RENAME COLUMN {new} TO {old};\n",
    )


def widen_column(s: State) -> Step | None:
    pairs = [
        (t, c)
        for t in s.tables.values()
        for c in _base(t)
        if c.kind == "pool" and not c.locked and c.default is None and c.type in WIDEN
    ]
    if not pairs:
        return None
    table, col = s.rng.choice(pairs)
    old, col.type = col.type, WIDEN[col.type]
    col.locked = True  # narrowing twice in a row would not round-trip
    up = (
        f"-- Widen {human(table.name)}.{col.name} to {col.type}\n"
        f"ALTER TABLE {table.name} ALTER COLUMN {col.name} TYPE {col.type};\n"
    )
    return Step(
        f"widen_{table.name}_{col.name}",
        up,
        f"ALTER TABLE {table.name} ALTER COLUMN {col.name} TYPE {old};\n",
    )


def create_enum(s: State) -> Step | None:
    table = s.pick(
        [
            t
            for t in s.tables.values()
            if t.name != "dealerships" and set(ENUM_WORDS) - set(t.columns)
        ]
    )
    if table is None:
        return None
    word = s.rng.choice([w for w in ENUM_WORDS if w not in table.columns])
    name = ident(f"{table.singular}_{word}")
    values = ENUM_WORDS[word]
    s.enums[name] = Enum(name, table.name, word, values[:3], values[3:])
    table.columns[word] = Column(word, name, True, f"'{values[0]}'", kind="enum", locked=True)
    up = (
        f"-- Track the {word} of {human(table.name)}\n"
        f"CREATE TYPE {name} AS ENUM ({sql_list(values[:3])});\n"
        f"ALTER TABLE {table.name} ADD COLUMN {table.columns[word].ddl()};\n"
    )
    down = f"ALTER TABLE {table.name} DROP COLUMN {word};\nDROP TYPE {name};\n"
    return Step(f"add_{word}_to_{table.name}", up, down)


def add_enum_value(s: State) -> Step | None:
    """ALTER TYPE ... ADD VALUE; PostgreSQL has no DROP VALUE, so the rollback rebuilds the type."""
    options = [e for e in s.enums.values() if e.spare]
    if not options:
        return None
    enum = s.rng.choice(options)
    old = list(enum.values)
    value = enum.spare.pop(0)
    enum.values.append(value)
    t, c, e = enum.table, enum.column, enum.name
    o = ident(f"{e}_old")
    up = f"-- Allow {c} '{value}' for {human(t)}\nALTER TYPE {e} ADD VALUE '{value}';\n"
    down = (
        f"ALTER TYPE {e} RENAME TO {o};\n"
        f"CREATE TYPE {e} AS ENUM ({sql_list(old)});\n"
        f"ALTER TABLE {t} ALTER COLUMN {c} DROP DEFAULT;\n"
        f"ALTER TABLE {t} ALTER COLUMN {c} TYPE {e} USING {c}::text::{e};\n"
        f"ALTER TABLE {t} ALTER COLUMN {c} SET DEFAULT '{old[0]}';\n"
        f"DROP TYPE {o};\n"
    )
    return Step(f"add_{value}_to_{e}", up, down)
