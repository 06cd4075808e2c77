"""Hand-built catalogs shared by the catalog unit tests (no database)."""

from __future__ import annotations

from slipway.catalog.model import (
    Catalog,
    Column,
    CompositeType,
    Constraint,
    Domain,
    EnumType,
    Extension,
    Function,
    Index,
    MatView,
    Policy,
    Schema,
    Sequence,
    Table,
    Trigger,
    View,
)

CUSTOMERS = Table(
    schema="public",
    name="customers",
    columns=(
        Column("id", "bigint", nullable=False, identity="a", ordinal=1),
        Column("dealership_id", "bigint", nullable=False, ordinal=2),
        Column("email", "text", nullable=False, comment="primary contact", ordinal=3),
        Column("opted_out_at", "timestamp with time zone", ordinal=4),
    ),
    constraints=(
        Constraint("customers_pkey", "p", "PRIMARY KEY (id)", ("id",), index="customers_pkey"),
        Constraint(
            "customers_dealership_id_fkey",
            "f",
            "FOREIGN KEY (dealership_id) REFERENCES dealerships(id) ON DELETE CASCADE",
            ("dealership_id",),
            "public",
            "dealerships",
            ("id",),
            on_delete="CASCADE",
            on_update="NO ACTION",
        ),
    ),
    indexes=(
        Index(
            "customers_pkey",
            "CREATE UNIQUE INDEX customers_pkey ON public.customers USING btree (id)",
            ("id",),
            unique=True,
            primary=True,
            constraint="customers_pkey",
        ),
    ),
    triggers=(
        Trigger(
            "customers_touch",
            "CREATE TRIGGER customers_touch BEFORE INSERT ON public.customers "
            "FOR EACH ROW EXECUTE FUNCTION touch()",
        ),
    ),
    policies=(Policy("tenant_select", "SELECT", roles=("app",), using="(dealership_id = 1)"),),
    rls_enabled=True,
    rls_forced=True,
    owner="postgres",
    grants=("postgres=arwdDxt/postgres", "app=r/postgres"),
    estimated_rows=120.0,
)

DEALERSHIPS = Table(
    schema="public",
    name="dealerships",
    columns=(Column("id", "bigint", nullable=False, ordinal=1),),
    constraints=(Constraint("dealerships_pkey", "p", "PRIMARY KEY (id)", ("id",)),),
    owner="postgres",
)

LEADS = Table(
    schema="public",
    name="leads",
    kind="partitioned",
    columns=(
        Column("id", "bigint", nullable=False, ordinal=1),
        Column("created_at", "timestamp with time zone", nullable=False, ordinal=2),
    ),
    partition_strategy="range",
    partition_key="RANGE (created_at)",
)
LEADS_2024 = Table(
    schema="public",
    name="leads_2024",
    columns=LEADS.columns,
    parent=("public", "leads"),
    partition_bound="FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')",
)
LEADS_DEFAULT = Table(
    schema="public",
    name="leads_default",
    columns=LEADS.columns,
    parent=("public", "leads"),
    partition_bound="DEFAULT",
    is_default_partition=True,
)
AUDIT_EVENTS = Table(
    schema="audit",
    name="events",
    columns=(Column("id", "bigint", nullable=False, ordinal=1),),
)

INCREMENT = Function(
    schema="public",
    name="increment_usage_metrics",
    arg_types="uuid, uuid, date, integer, integer, numeric",
    identity_args="a uuid, b uuid, d date, x integer, y integer, n numeric",
    result="void",
    language="plpgsql",
    definition="CREATE OR REPLACE FUNCTION ... AS $$ BEGIN END $$",
    source=" BEGIN END ",
    security_definer=True,
    config=("search_path=public, pg_temp",),
    owner="postgres",
    grants=("=X/postgres", "postgres=X/postgres"),
)


def sample() -> Catalog:
    return Catalog(
        server_version=150004,
        schemas=(
            Schema("audit", "postgres", ("postgres=UC/postgres",), "audit trail"),
            Schema("public", "pg_database_owner"),
        ),
        tables=(AUDIT_EVENTS, CUSTOMERS, DEALERSHIPS, LEADS, LEADS_2024, LEADS_DEFAULT),
        views=(
            View(
                "public",
                "active_customers",
                " SELECT id FROM customers;",
                options=("security_invoker=true",),
                owner="postgres",
            ),
        ),
        matviews=(
            MatView(
                "public",
                "dealer_counts",
                " SELECT 1;",
                indexes=(
                    Index(
                        "dealer_counts_pk",
                        "CREATE UNIQUE INDEX dealer_counts_pk ON public.dealer_counts "
                        "USING btree (dealership_id)",
                        ("dealership_id",),
                        unique=True,
                    ),
                ),
            ),
        ),
        functions=(INCREMENT,),
        sequences=(
            Sequence("public", "invoice_number", "integer", 1000, 5, 1, 999999, cycle=True),
        ),
        enums=(EnumType("public", "conversation_status", ("open", "waiting", "closed")),),
        domains=(Domain("public", "positive_int", "integer", nullable=False, checks=("c: x",)),),
        composites=(CompositeType("public", "money_pair", (Column("amount", "numeric(12,2)"),)),),
        extensions=(Extension("pgcrypto", "1.3", "public"),),
    )
