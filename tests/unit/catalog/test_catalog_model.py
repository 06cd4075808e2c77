"""The Catalog model's keys, labels and lookup helpers, on hand-built catalogs."""

from __future__ import annotations

import dataclasses

import pytest
from catalog_samples import CUSTOMERS, INCREMENT, sample

from slipway.catalog.model import (
    Catalog,
    Column,
    Constraint,
    Index,
    Policy,
    Table,
    View,
    display_name,
    split_name,
)


def test_objects_are_frozen_and_hashable() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        CUSTOMERS.name = "other"  # type: ignore[misc]
    assert hash(sample().tables) == hash(sample().tables)
    assert sample() == sample()


def test_keys_and_labels() -> None:
    cat = sample()
    events = cat.table("audit.events")
    assert events is not None
    assert CUSTOMERS.key == ("table", "public", "customers")
    assert CUSTOMERS.label == "table customers"
    assert events.label == "table audit.events"
    assert events.qualified == "audit.events"
    col = CUSTOMERS.columns[3]
    assert col.key_in(CUSTOMERS) == ("column", "public", "customers", "opted_out_at")
    assert col.label_in(CUSTOMERS) == "column customers.opted_out_at"
    assert CUSTOMERS.indexes[0].label_in(CUSTOMERS) == "index customers_pkey"
    assert CUSTOMERS.indexes[0].key_in(CUSTOMERS) == ("index", "public", "customers_pkey")
    assert CUSTOMERS.policies[0].label_in(CUSTOMERS) == "policy tenant_select on customers"
    assert CUSTOMERS.triggers[0].label_in(events) == "trigger customers_touch on audit.events"
    pkey = CUSTOMERS.constraint("customers_pkey")
    assert pkey is not None and pkey.label_in(CUSTOMERS) == "constraint customers_pkey on customers"
    assert INCREMENT.label == (
        "function increment_usage_metrics(uuid, uuid, date, integer, integer, numeric)"
    )
    assert INCREMENT.key[-1] == "uuid, uuid, date, integer, integer, numeric"
    assert cat.matviews[0].label == "materialized view dealer_counts"
    assert cat.enums[0].label == "enum conversation_status"
    assert cat.sequences[0].label == "sequence invoice_number"
    assert cat.extensions[0].label == "extension pgcrypto"
    assert cat.schemas[0].label == "schema audit"
    assert display_name("audit", "x") == "audit.x" and display_name("public", "x") == "x"
    assert split_name("a.b") == ("a", "b") and split_name("b") == (None, "b")


def test_table_lookup_by_bare_qualified_and_relation() -> None:
    cat = sample()
    assert cat.table("customers") is CUSTOMERS
    assert cat.table("public.customers") is CUSTOMERS
    assert cat.table(CUSTOMERS) is CUSTOMERS
    assert cat.table("audit.customers") is None
    assert cat.table("nope") is None
    # A bare name outside public is still found when it is the only one.
    assert cat.table("events") is not None and cat.table("events").schema == "audit"  # type: ignore[union-attr]


def test_bare_name_prefers_public() -> None:
    twin = Table("audit", "customers")
    cat = Catalog(tables=(twin, CUSTOMERS))
    assert cat.table("customers") is CUSTOMERS
    assert cat.table("audit.customers") is twin


def test_other_lookups() -> None:
    cat = sample()
    assert cat.view("active_customers") is not None
    assert cat.view("active_customers").security_invoker  # type: ignore[union-attr]
    assert not View("public", "v", "x", options=("security_invoker=false",)).security_invoker
    assert cat.matview("dealer_counts").index("dealer_counts_pk") is not None  # type: ignore[union-attr]
    assert cat.relation("dealer_counts") is cat.matviews[0]
    assert cat.relation("customers") is CUSTOMERS
    assert cat.sequence("invoice_number") is cat.sequences[0]
    assert cat.enum("conversation_status").labels == ("open", "waiting", "closed")  # type: ignore[union-attr]
    assert cat.domain("positive_int") is not None
    assert cat.schema("audit") is not None and cat.schema("nope") is None
    assert cat.extension("pgcrypto") is not None and cat.extension("postgis") is None
    assert cat.function("increment_usage_metrics") is INCREMENT
    assert cat.function("increment_usage_metrics", "uuid") is None
    assert cat.functions_named("public.increment_usage_metrics") == (INCREMENT,)
    assert cat.functions_named("audit.increment_usage_metrics") == ()
    assert INCREMENT.search_path == "public, pg_temp"
    assert dataclasses.replace(INCREMENT, config=()).search_path is None
    assert [o.label for o in cat.objects()][:3] == [
        "schema audit",
        "schema public",
        "extension pgcrypto",
    ]


def test_table_member_lookups() -> None:
    assert CUSTOMERS.column("email").comment == "primary contact"  # type: ignore[union-attr]
    assert CUSTOMERS.column("nope") is None
    assert CUSTOMERS.index("customers_pkey") is not None
    assert CUSTOMERS.constraint("customers_pkey").type == "p"  # type: ignore[union-attr]
    assert CUSTOMERS.policy("tenant_select") is not None
    assert CUSTOMERS.trigger("customers_touch") is not None
    assert [p.name for p in CUSTOMERS.policies_for("select")] == ["tenant_select"]
    assert CUSTOMERS.policies_for("DELETE") == ()
    everything = dataclasses.replace(CUSTOMERS, policies=(Policy("all", "ALL"),))
    assert [p.name for p in everything.policies_for("DELETE")] == ["all"]


def test_helpers_other_features_need() -> None:
    cat = sample()
    assert cat.table("customers").primary_key_columns == ("id",)  # type: ignore[union-attr]
    assert cat.table("leads").primary_key_columns == ()  # type: ignore[union-attr]
    fks = cat.foreign_keys("customers")
    assert [(t.name, c.name) for t, c in fks] == [("customers", "customers_dealership_id_fkey")]
    assert cat.foreign_keys("nope") == ()
    assert [(t.name, c.name) for t, c in cat.referencing("dealerships")] == [
        ("customers", "customers_dealership_id_fkey")
    ]
    assert cat.referencing("customers") == () and cat.referencing("nope") == ()
    assert [t.name for t in cat.partitions("leads")] == ["leads_2024", "leads_default"]
    assert cat.partitions("customers") == () and cat.partitions("nope") == ()
    assert cat.default_partition("leads").name == "leads_default"  # type: ignore[union-attr]
    assert cat.table("leads_2024").is_partition  # type: ignore[union-attr]
    assert cat.table("leads").is_partitioned  # type: ignore[union-attr]


def _fk(*cols: str) -> Constraint:
    return Constraint("fk", "f", "FOREIGN KEY", cols, "public", "t", cols)


def _ix(*cols: str, **kw: object) -> Index:
    return Index("ix", "CREATE INDEX ix", cols, **kw)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("fk_cols", "index", "covered"),
    [
        (("a",), _ix("a"), True),
        (("a",), _ix("a", "b"), True),
        (("a", "b"), _ix("b", "a", "c"), True),  # any order among the leading columns
        (("a",), _ix("b", "a"), False),  # not leading
        (("a", "b"), _ix("a"), False),  # index shorter than the key
        (("a",), _ix("a", valid=False), False),  # INVALID index covers nothing
        (("a",), _ix("a", predicate="(a > 0)"), False),  # partial
        (("a",), _ix("a", method="gin"), False),
        (("a",), _ix("a", method="hash"), True),
        (("a", "b"), _ix("a", "b", method="hash"), False),
    ],
)
def test_covering_index(fk_cols: tuple[str, ...], index: Index, covered: bool) -> None:
    fk = _fk(*fk_cols)
    table = Table("public", "t", columns=(Column("a", "int"),), constraints=(fk,), indexes=(index,))
    cat = Catalog(tables=(table,))
    assert (table.covering_index(fk) is index) is covered
    assert cat.uncovered_foreign_keys() == (() if covered else ((table, fk),))


def test_catalog_lookup_index_follows_replace() -> None:
    cat = sample()
    smaller = dataclasses.replace(cat, tables=(CUSTOMERS,))
    assert smaller.table("dealerships") is None
    assert smaller.table("customers") is CUSTOMERS


def test_members_and_objects_are_kept_in_canonical_order() -> None:
    flipped = dataclasses.replace(CUSTOMERS, constraints=tuple(reversed(CUSTOMERS.constraints)))
    assert flipped == CUSTOMERS
    assert [c.name for c in flipped.constraints] == sorted(c.name for c in CUSTOMERS.constraints)
    cat = sample()
    assert dataclasses.replace(cat, tables=tuple(reversed(cat.tables))) == cat
    # Column order is the table's own and is never re-sorted.
    assert [c.name for c in CUSTOMERS.columns][:2] == ["id", "dealership_id"]


@pytest.mark.parametrize(
    ("grants", "shared"),
    [
        ((), False),
        (("owner=arwdDxt/owner",), False),
        (("owner=arwdDxt/owner", "app=r/owner"), True),
        (("owner=arwdDxt/owner", "=r/owner"), True),  # PUBLIC
        (('"my owner"=arwdDxt/"my owner"',), False),
    ],
)
def test_table_shared_means_granted_to_another_role(grants: tuple[str, ...], shared: bool) -> None:
    owner = "my owner" if grants and grants[0].startswith('"') else "owner"
    assert Table("public", "t", owner=owner, grants=grants).shared is shared


def test_generated_columns_are_generated_stored_or_virtual() -> None:
    """pg_attribute.attgenerated is 's' (STORED) or, from PostgreSQL 18, 'v' (VIRTUAL): both
    are generated columns (never written, no default), not columns with a default."""
    from slipway.catalog._rows import column

    base = {
        "name": "c",
        "type": "integer",
        "nullable": True,
        "identity": "",
        "comment": None,
        "ordinal": 3,
        "collation": None,
        "acl": None,
    }
    for flag in ("s", "v"):
        made = column({**base, "generated": flag, "expr": "(a * 2)"}, False)
        assert (made.generated, made.default) == ("(a * 2)", None), flag
    plain = column({**base, "generated": "", "expr": "42"}, False)
    assert (plain.generated, plain.default) == (None, "42")
