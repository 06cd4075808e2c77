"""Live introspection of a database using every feature the Catalog model describes."""

from __future__ import annotations

from dataclasses import replace

import psycopg
import pytest
from catalog_live import LOGIN, READER

from slipway.catalog.diff import diff
from slipway.catalog.introspect import introspect
from slipway.catalog.model import Catalog
from slipway.catalog.serialize import from_dict, to_dict

Conn = psycopg.Connection[tuple[object, ...]]


@pytest.fixture(scope="module")
def cat(rich_module_conn: Conn) -> Catalog:
    return introspect(rich_module_conn)


@pytest.fixture
def rich_conn(rich_module_conn: Conn) -> Conn:
    """These tests only read: they share one rich database per module."""
    return rich_module_conn


def test_tables_columns_and_comments(cat: Catalog) -> None:
    assert cat.server_version >= 150000
    customers = cat.table("customers")
    assert customers is not None and customers.kind == "ordinary"
    assert [c.name for c in customers.columns] == [
        "id", "dealership_id", "email", "opted_out", "full_name", "status", "visits", "created_at",
    ]  # fmt: skip
    email = customers.column("email")
    assert email is not None
    assert (email.type, email.nullable, email.comment) == (
        "character varying(255)",
        False,
        "primary contact",
    )
    assert email.grants == (f"{READER}=w/postgres",)  # column-level UPDATE (email)
    assert customers.column("opted_out").default == "false"  # type: ignore[union-attr]
    generated = customers.column("full_name")
    assert generated is not None and generated.default is None
    assert generated.generated == "((email)::text || '!'::text)"
    assert customers.column("status").type == "conversation_status"  # type: ignore[union-attr]
    assert customers.column("visits").type == "positive_int"  # type: ignore[union-attr]
    dealerships = cat.table("dealerships")
    assert dealerships is not None and dealerships.comment == "tenants"
    assert dealerships.column("id").identity == "a"  # type: ignore[union-attr]
    assert cat.table("leads").column("id").identity == "d"  # type: ignore[union-attr]
    assert cat.table("index_zoo").column("b").collation == "C"  # type: ignore[union-attr]
    assert cat.table("index_zoo").column("c").collation is None  # type: ignore[union-attr]
    assert cat.table("audit.events").reloptions == ("fillfactor=70",)  # type: ignore[union-attr]
    assert cat.table("scratchpad").unlogged  # type: ignore[union-attr]
    assert customers.owner == "postgres"


def test_constraints_and_indexes(cat: Catalog) -> None:
    customers = cat.table("customers")
    assert customers is not None
    assert customers.primary_key_columns == ("id",)
    fk = customers.constraint("customers_dealership_id_fkey")
    assert fk is not None
    assert (fk.type, fk.columns, fk.ref_schema, fk.ref_table, fk.ref_columns) == (
        "f", ("dealership_id",), "public", "dealerships", ("id",),
    )  # fmt: skip
    assert (fk.on_delete, fk.on_update, fk.validated) == ("CASCADE", "NO ACTION", True)
    check = customers.constraint("customers_email_check")
    assert check is not None and check.definition == "CHECK (((email)::text <> ''::text))"
    zoo_fk = cat.table("index_zoo").constraint("zoo_customer_fk")  # type: ignore[union-attr]
    assert zoo_fk is not None and not zoo_fk.validated and zoo_fk.definition.endswith("NOT VALID")
    leads_fk = cat.table("leads").constraint("leads_customer_fk")  # type: ignore[union-attr]
    assert leads_fk is not None and (leads_fk.deferrable, leads_fk.deferred) == (True, True)
    assert leads_fk.on_delete == "SET NULL"
    email_idx = customers.index("customers_email_idx")
    assert email_idx is not None
    assert email_idx.unique and not email_idx.primary and email_idx.valid
    assert email_idx.columns == ("dealership_id", "lower(email::text)")
    assert email_idx.definition == (
        "CREATE UNIQUE INDEX customers_email_idx ON public.customers USING btree "
        "(dealership_id, lower((email)::text))"
    )
    recent = customers.index("customers_recent_idx")
    assert recent is not None
    assert (recent.columns, recent.include, recent.predicate) == (
        ("created_at",), ("email",), "(NOT opted_out)",
    )  # fmt: skip
    pkey = customers.index("customers_pkey")
    assert pkey is not None and pkey.primary and pkey.constraint == "customers_pkey"
    zoo = cat.table("index_zoo")
    assert zoo is not None
    assert zoo.index("zoo_gin").method == "gin"  # type: ignore[union-attr]
    assert zoo.index("zoo_mixed").columns == ("c", 'lower("Col A")', "b")  # type: ignore[union-attr]


def test_every_index_definition_reads_like_pg_get_indexdef(rich_conn: Conn, cat: Catalog) -> None:
    rows = rich_conn.execute(
        "SELECT c.relname, pg_get_indexdef(c.oid) FROM pg_class c WHERE c.relkind IN ('i', 'I')"
    ).fetchall()
    real = {str(name): str(defn) for name, defn in rows}
    ours = {ix.name: ix.definition for t in cat.tables for ix in t.indexes}
    ours.update({ix.name: ix.definition for m in cat.matviews for ix in m.indexes})
    assert len(ours) >= 25
    for name, definition in ours.items():
        assert definition == real[name], name


def test_every_constraint_definition_reads_like_pg_get_constraintdef(
    rich_conn: Conn, cat: Catalog
) -> None:
    rows = rich_conn.execute(
        "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint"
        " WHERE conrelid <> 0"
    ).fetchall()
    real = {(str(rel).replace("public.", ""), str(name)): str(defn) for rel, name, defn in rows}
    ours = {(t.display, c.name): c.definition for t in cat.tables for c in t.constraints}
    assert len(ours) >= 20
    for key, definition in ours.items():
        assert definition == real[key], key
    zoo = cat.table("constraint_zoo")
    assert zoo is not None
    assert zoo.constraint("zoo_event").definition == (  # type: ignore[union-attr]
        "FOREIGN KEY (event_id) REFERENCES audit.events(id) MATCH FULL ON UPDATE CASCADE "
        "ON DELETE RESTRICT"
    )
    assert zoo.primary_key_columns == ("Key", "k2")
    assert zoo.constraint("zoo_self").ref_columns == ("Key", "k2")  # type: ignore[union-attr]


def test_rls_policies_and_triggers(cat: Catalog) -> None:
    customers = cat.table("customers")
    assert customers is not None and customers.rls_enabled and customers.rls_forced
    select = customers.policy("tenant_select")
    assert select is not None
    assert (select.command, select.permissive, select.roles, select.with_check) == (
        "SELECT", True, (READER,), None,
    )  # fmt: skip
    assert (
        select.using is not None
        and "current_setting('app.dealership_id'::text, true)" in select.using
    )
    insert = customers.policy("tenant_insert")
    assert insert is not None
    assert (insert.command, insert.permissive, insert.roles, insert.using) == (
        "INSERT", False, ("public",), None,
    )  # fmt: skip
    (trigger,) = customers.triggers
    assert trigger.name == "customers_touch" and trigger.enabled and trigger.enabled_mode == "O"
    assert trigger.definition.startswith("CREATE TRIGGER customers_touch BEFORE INSERT")
    assert not cat.table("dealerships").rls_enabled  # type: ignore[union-attr]


def test_partitions(cat: Catalog) -> None:
    leads = cat.table("leads")
    assert leads is not None and leads.is_partitioned
    assert (leads.partition_strategy, leads.partition_key) == ("range", "RANGE (created_at)")
    assert [p.name for p in cat.partitions("leads")] == ["leads_2024", "leads_default"]
    default = cat.default_partition("leads")
    assert default is not None and default.partition_bound == "DEFAULT"
    part = cat.table("leads_2024")
    assert part is not None and part.parent == ("public", "leads")
    assert part.partition_bound is not None and part.partition_bound.startswith("FOR VALUES FROM")
    # The partition's copy of the parent's foreign key is marked inherited, not dropped.
    copy = part.constraint("leads_customer_fk")
    assert copy is not None and copy.inherited
    assert not leads.constraint("leads_customer_fk").inherited  # type: ignore[union-attr]
    assert part.index("leads_2024_dealership_id_idx") is not None
    assert "ON ONLY public.leads" in leads.index("leads_dealership_idx").definition  # type: ignore[union-attr]


def test_views_functions_sequences_types(cat: Catalog) -> None:
    view = cat.view("active_customers")
    assert view is not None and view.security_invoker
    assert [c.name for c in view.columns] == ["id", "email"]
    assert "FROM customers" in view.definition
    mv = cat.matview("dealer_counts")
    assert mv is not None and mv.populated
    assert [i.name for i in mv.indexes] == ["dealer_counts_pk"] and mv.indexes[0].unique
    inc = cat.function("increment_usage_metrics")
    assert inc is not None
    assert (
        inc.label == "function increment_usage_metrics(uuid, uuid, date, integer, integer, numeric)"
    )
    assert inc.security_definer and inc.search_path == "public, pg_temp"
    assert (inc.result, inc.language, inc.volatility) == ("void", "sql", "volatile")
    assert inc.source is not None and inc.source.strip() == "SELECT 1"
    assert inc.definition is not None and inc.definition.startswith("CREATE OR REPLACE FUNCTION")
    purge = cat.function("audit.purge")
    assert purge is not None and purge.kind == "procedure" and purge.result is None
    assert purge.label == "procedure audit.purge(integer)"
    overloads = {f.arg_types: f for f in cat.functions_named("add_one")}
    assert set(overloads) == {"integer", "bigint"}
    assert overloads["integer"].strict and overloads["integer"].volatility == "immutable"
    assert "=X/postgres" in overloads["integer"].grants  # default: EXECUTE to PUBLIC
    assert "=X/postgres" not in overloads["bigint"].grants  # revoked
    seq = cat.sequence("invoice_number")
    assert seq is not None
    assert (seq.type, seq.start, seq.increment, seq.max_value, seq.cycle, seq.owned_by) == (
        "integer", 1000, 5, 999999, True, None,
    )  # fmt: skip
    assert cat.sequence("customers_id_seq").owned_by == "public.customers.id"  # type: ignore[union-attr]
    assert cat.enum("conversation_status").labels == ("open", "waiting", "closed")  # type: ignore[union-attr]
    domain = cat.domain("positive_int")
    assert domain is not None and not domain.nullable and domain.default == "1"
    assert domain.checks == ("positive: CHECK ((VALUE > 0))",)
    (pair,) = cat.composites
    assert [(a.name, a.type) for a in pair.attributes] == [
        ("amount", "numeric(12,2)"), ("currency", "character(3)"),
    ]  # fmt: skip
    audit = cat.schema("audit")
    assert audit is not None and audit.comment == "audit trail"
    assert f"{READER}=U/postgres" in audit.grants
    assert cat.extension("pgcrypto") is not None


def test_extension_members_and_slipway_tables_are_left_out(cat: Catalog) -> None:
    assert cat.functions_named("gen_random_uuid") == ()  # pgcrypto's
    assert cat.functions_named("crypt") == ()
    assert cat.table("slipway_history") is None
    assert cat.sequence("slipway_history_id_seq") is None  # owned by an excluded table
    names = {t.name for t in cat.tables}
    assert not any(n.startswith("slipway_") for n in names)


def test_parameters(rich_conn: Conn) -> None:
    only_audit = introspect(rich_conn, schemas=["audit"])
    assert [t.qualified for t in only_audit.tables] == ["audit.events"]
    assert [f.name for f in only_audit.functions] == ["purge"]
    assert [s.name for s in only_audit.schemas] == ["audit"]
    everything = introspect(rich_conn, exclude_tables=())
    assert everything.table("slipway_history") is not None
    assert everything.sequence("slipway_history_id_seq") is not None
    custom = introspect(rich_conn, exclude_tables={"audit.*", "scratch*"})
    assert custom.table("audit.events") is None and custom.table("scratchpad") is None
    assert custom.table("slipway_history") is not None
    literal = introspect(rich_conn, exclude_tables={"customers", "audit.events", "slipway_*"})
    assert literal.table("customers") is None and literal.table("audit.events") is None
    assert literal.sequence("customers_id_seq") is None  # owned by an excluded table
    assert literal.table("dealerships") == introspect(rich_conn).table("dealerships")
    assert literal.view("active_customers") is not None  # views are never excluded
    bare = introspect(rich_conn, include_privileges=False)
    assert all(t.grants == () for t in bare.tables)
    assert all(f.grants == () for f in bare.functions)
    assert bare.table("customers").column("email").grants == ()  # type: ignore[union-attr]


def test_introspecting_twice_gives_no_differences(rich_conn: Conn, cat: Catalog) -> None:
    again = introspect(rich_conn)
    assert diff(cat, again) == []
    assert again == cat


def test_snapshot_round_trip_of_a_live_catalog(cat: Catalog) -> None:
    back = from_dict(to_dict(cat))
    assert back == cat
    assert diff(cat, back) == []


def test_inside_a_transaction_sees_uncommitted_ddl_and_leaves_it_open(db_url: str) -> None:
    with psycopg.connect(db_url) as conn:  # not autocommit: a transaction is open
        conn.execute("CREATE TABLE pending (id int)")
        cat = introspect(conn)
        assert cat.table("pending") is not None
        assert conn.info.transaction_status == psycopg.pq.TransactionStatus.INTRANS
        conn.rollback()
        assert introspect(conn).table("pending") is None


def test_jit_is_restored(db_conn: Conn) -> None:
    db_conn.execute("SET jit = on")
    introspect(db_conn)
    assert db_conn.execute("SHOW jit").fetchone() == ("on",)


def test_session_settings_do_not_change_the_catalog(rich_module_url: str, cat: Catalog) -> None:
    """TimeZone and search_path change how PostgreSQL prints bounds and names: pinned."""
    with psycopg.connect(rich_module_url, autocommit=True) as conn:
        conn.execute("SET TimeZone = 'America/New_York'")
        conn.execute("SET search_path = audit, pg_temp")
        conn.execute("SET DateStyle = 'German, DMY'")
        other = introspect(conn)
        assert conn.execute("SHOW TimeZone").fetchone() == ("America/New_York",)
        assert conn.execute("SHOW search_path").fetchone() == ("audit, pg_temp",)
        assert conn.execute("SHOW DateStyle").fetchone() == ("German, DMY",)
    assert diff(cat, other) == []
    bound = other.table("leads_2024").partition_bound  # type: ignore[union-attr]
    assert bound is not None and bound.endswith("+00')")  # printed in UTC


def test_without_superuser_the_catalog_is_the_same(rich_conn: Conn, rich_module_url: str) -> None:
    info = psycopg.conninfo.conninfo_to_dict(rich_module_url)
    info["user"] = LOGIN
    with psycopg.connect(psycopg.conninfo.make_conninfo(**info), autocommit=True) as conn:  # type: ignore[arg-type]
        assert conn.execute(
            "SELECT rolsuper FROM pg_roles WHERE rolname = current_user"
        ).fetchone() == (False,)
        as_login = introspect(conn)
    assert diff(introspect(rich_conn), as_login) == []
    assert as_login.table("customers") is not None


def test_empty_database(db_conn: Conn) -> None:
    cat = introspect(db_conn)
    assert cat.tables == () and cat.functions == () and cat.views == ()
    assert [s.name for s in cat.schemas] == ["public"]
    assert [e.name for e in cat.extensions] == ["plpgsql"]


def test_partial_introspection_reads_only_what_is_asked(rich_conn: Conn, cat: Catalog) -> None:
    """A reader that needs partitions and materialized views (the doctor, serve, maintain)
    reads those kinds only, with only the members it names; what it reads is what the whole
    introspection reads."""
    part = introspect(rich_conn, kinds="pm", members=("columns",))
    assert [t.name for t in part.tables] == ["leads", "leads_2024", "leads_default"]
    assert [m.name for m in part.matviews] == ["dealer_counts"]
    assert part.views == () and part.functions == () and part.sequences == ()
    leads, whole = part.table("leads"), cat.table("leads")
    assert leads is not None and whole is not None
    assert leads.columns == whole.columns and leads.indexes == () and whole.indexes != ()
    assert leads.partition_columns == whole.partition_columns == ("created_at",)
    assert leads.partition_key_type == "timestamp with time zone"
    assert part.table("leads_2024") == replace(
        cat.table("leads_2024"),  # type: ignore[type-var]
        constraints=(),
        indexes=(),
        triggers=(),
        policies=(),
    )
    with_indexes = introspect(rich_conn, kinds="m", members=("indexes",))
    (counts,) = with_indexes.matviews
    assert counts == cat.matview("dealer_counts") and with_indexes.tables == ()
    with pytest.raises(ValueError, match="unknown catalog members"):
        introspect(rich_conn, members=("colums",))
