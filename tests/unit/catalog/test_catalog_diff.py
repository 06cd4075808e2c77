"""The catalog diff on hand-built catalogs: one precise message per kind of change."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import replace

import pytest
from catalog_samples import CUSTOMERS, INCREMENT, sample

from slipway.catalog.diff import (
    ADDED,
    CHANGED,
    COLUMN_ORDER,
    DRIFT,
    REMOVED,
    ROLLBACK,
    Wording,
    diff,
)
from slipway.catalog.model import (
    Catalog,
    Column,
    Extension,
    Index,
    Policy,
    Table,
)


def _with_table(cat: Catalog, table: Table | None) -> Catalog:
    assert table is not None
    others = tuple(t for t in cat.tables if t.key != table.key)
    return replace(cat, tables=(*others, table))


def _customers(**changes: object) -> Callable[[Catalog], Catalog]:
    return lambda cat: _with_table(cat, replace(CUSTOMERS, **changes))  # type: ignore[arg-type]


def _column(name: str, **changes: object) -> Callable[[Catalog], Catalog]:
    def edit(cat: Catalog) -> Catalog:
        cols = tuple(replace(c, **changes) if c.name == name else c for c in CUSTOMERS.columns)  # type: ignore[arg-type]
        return _with_table(cat, replace(CUSTOMERS, columns=cols))

    return edit


def _edit(field: str, index: int = 0, **changes: object) -> Callable[[Catalog], Catalog]:
    def edit(cat: Catalog) -> Catalog:
        items = list(getattr(cat, field))
        items[index] = replace(items[index], **changes)
        return replace(cat, **{field: tuple(items)})  # type: ignore[arg-type]

    return edit


_NEW_INDEX = Index("users_email_idx", "CREATE INDEX users_email_idx ON public.customers (email)")

CASES: list[tuple[str, Callable[[Catalog], Catalog], str]] = [
    (
        "index left",
        _customers(indexes=(*CUSTOMERS.indexes, _NEW_INDEX)),
        "index users_email_idx left behind",
    ),
    (
        "default",
        _column("opted_out_at", default="false"),
        "column customers.opted_out_at default changed from NULL to false",
    ),
    (
        "type",
        _column("email", type="character varying(255)"),
        "column customers.email type changed from text to character varying(255)",
    ),
    (
        "nullable",
        _column("email", nullable=True),
        "column customers.email changed from NOT NULL to nullable",
    ),
    (
        "identity",
        _column("id", identity="d"),
        "column customers.id identity changed from ALWAYS to BY DEFAULT",
    ),
    (
        "generated",
        _column("email", generated="lower(x)"),
        "column customers.email generated expression changed from NULL to lower(x)",
    ),
    (
        "column comment",
        _column("email", comment=None),
        "column customers.email comment changed from 'primary contact' to none",
    ),
    (
        "column dropped",
        _customers(columns=CUSTOMERS.columns[:3]),
        "column customers.opted_out_at missing",
    ),
    (
        "column order",
        _customers(columns=tuple(reversed(CUSTOMERS.columns))),
        (
            "column order of customers changed: opted_out_at, email, dealership_id, id "
            "(was id, dealership_id, email, opted_out_at)"
        ),
    ),
    (
        "body",
        _edit("functions", source=" BEGIN RETURN; END "),
        "function increment_usage_metrics(uuid, uuid, date, integer, integer, numeric) body differs",
    ),
    (
        "definer",
        _edit("functions", security_definer=False),
        (
            "function increment_usage_metrics(uuid, uuid, date, integer, integer, numeric) "
            "became SECURITY INVOKER"
        ),
    ),
    (
        "config",
        _edit("functions", config=()),
        (
            "function increment_usage_metrics(uuid, uuid, date, integer, integer, numeric) "
            "settings changed from [search_path=public, pg_temp] to []"
        ),
    ),
    (
        "policy using",
        _customers(policies=(replace(CUSTOMERS.policies[0], using="true"),)),
        "policy tenant_select on customers using changed from (dealership_id = 1) to true",
    ),
    (
        "policy roles",
        _customers(policies=(replace(CUSTOMERS.policies[0], roles=("public",)),)),
        "policy tenant_select on customers roles changed from [app] to [public]",
    ),
    (
        "policy restrictive",
        _customers(policies=(replace(CUSTOMERS.policies[0], permissive=False),)),
        "policy tenant_select on customers became restrictive",
    ),
    (
        "policy left",
        _customers(policies=(*CUSTOMERS.policies, Policy("extra"))),
        "policy extra on customers left behind",
    ),
    (
        "rls forced",
        _customers(rls_forced=False),
        "table customers row level security no longer forced",
    ),
    (
        "rls enabled",
        _customers(rls_enabled=False),
        "table customers row level security no longer enabled",
    ),
    (
        "enum",
        _edit("enums", labels=("open", "snoozed", "waiting", "closed")),
        (
            "enum conversation_status values changed from [open, waiting, closed] "
            "to [open, snoozed, waiting, closed]"
        ),
    ),
    (
        "invalid index",
        _customers(indexes=(replace(CUSTOMERS.indexes[0], valid=False),)),
        "index customers_pkey became invalid",
    ),
    (
        "index definition",
        _customers(indexes=(replace(CUSTOMERS.indexes[0], definition="CREATE UNIQUE INDEX x"),)),
        (
            "index customers_pkey definition changed from CREATE UNIQUE INDEX customers_pkey ON "
            "public.customers USING btree (id) to CREATE UNIQUE INDEX x"
        ),
    ),
    (
        "constraint not valid",
        _customers(
            constraints=(
                replace(
                    CUSTOMERS.constraints[0],
                    validated=False,
                    definition=CUSTOMERS.constraints[0].definition + " NOT VALID",
                ),
                CUSTOMERS.constraints[1],
            )
        ),
        "constraint customers_dealership_id_fkey on customers became NOT VALID",
    ),
    (
        "trigger disabled",
        _customers(triggers=(replace(CUSTOMERS.triggers[0], enabled=False, enabled_mode="D"),)),
        "trigger customers_touch on customers changed from enabled to disabled",
    ),
    ("trigger dropped", _customers(triggers=()), "trigger customers_touch on customers missing"),
    (
        "table comment",
        _customers(comment="people"),
        "table customers comment changed from none to 'people'",
    ),
    (
        "owner",
        _customers(owner="admin", grants=("admin=arwdDxt/admin", "app=r/admin")),
        "table customers owner changed from postgres to admin",
    ),
    (
        "grant",
        _customers(grants=("postgres=arwdDxt/postgres", "app=ar/postgres")),
        "table customers grant INSERT to app left behind",
    ),
    (
        "revoke",
        _customers(grants=("postgres=arwdDxt/postgres",)),
        "table customers grant SELECT to app missing",
    ),
    (
        "view definition",
        _edit("views", definition=" SELECT 2;"),
        "view active_customers definition differs",
    ),
    (
        "view options",
        _edit("views", options=()),
        "view active_customers options changed from [security_invoker=true] to []",
    ),
    (
        "matview definition",
        _edit("matviews", definition=" SELECT 2;"),
        "materialized view dealer_counts definition differs",
    ),
    ("matview index", _edit("matviews", indexes=()), "index dealer_counts_pk missing"),
    (
        "sequence",
        _edit("sequences", increment=10),
        "sequence invoice_number increment changed from 5 to 10",
    ),
    ("sequence cycle", _edit("sequences", cycle=False), "sequence invoice_number no longer cycles"),
    (
        "extension",
        _edit("extensions", version="1.4"),
        "extension pgcrypto version changed from 1.3 to 1.4",
    ),
    (
        "extension left",
        lambda c: replace(c, extensions=(*c.extensions, Extension("citext"))),
        "extension citext left behind",
    ),
    (
        "schema comment",
        _edit("schemas", comment=None),
        "schema audit comment changed from 'audit trail' to none",
    ),
    ("domain", _edit("domains", nullable=True), "domain positive_int became nullable"),
    (
        "composite",
        _edit("composites", attributes=(Column("amount", "numeric"),)),
        "type money_pair attributes changed from [amount numeric(12,2)] to [amount numeric]",
    ),
    (
        "detached",
        lambda c: _with_table(
            c,
            replace(
                c.table("leads_2024"),
                parent=None,  # type: ignore[type-var]
                partition_bound=None,
            ),
        ),
        "table leads_2024 no longer a partition of leads",
    ),
    (
        "partition bound",
        lambda c: _with_table(
            c,
            replace(
                c.table("leads_2024"),  # type: ignore[type-var]
                partition_bound="FOR VALUES IN (1)",
            ),
        ),
        (
            "table leads_2024 partition bound changed from FOR VALUES FROM ('2024-01-01') TO "
            "('2025-01-01') to FOR VALUES IN (1)"
        ),
    ),
    (
        "table missing",
        lambda c: replace(c, tables=tuple(t for t in c.tables if t.name != "customers")),
        "table customers missing",
    ),
]


@pytest.mark.parametrize(("case", "edit", "message"), CASES, ids=[c[0] for c in CASES])
def test_each_change_is_named_precisely(
    case: str, edit: Callable[[Catalog], Catalog], message: str
) -> None:
    before = sample()
    after = edit(before)
    changes = diff(before, after, wording=ROLLBACK)
    assert [str(c) for c in changes] == [message], case


def test_identical_catalogs_have_no_changes() -> None:
    assert diff(sample(), sample()) == []
    assert diff(Catalog(), Catalog()) == []


def test_noise_is_ignored() -> None:
    before = sample()
    noisy = _customers(
        estimated_rows=1e6,
        columns=tuple(replace(c, ordinal=c.ordinal + 10) for c in CUSTOMERS.columns),
    )(replace(before, server_version=160002))
    assert diff(before, noisy) == []


def test_wording_and_kinds() -> None:
    before = sample()
    after = _customers(indexes=(*CUSTOMERS.indexes, _NEW_INDEX))(before)
    (added,) = diff(before, after)  # default wording is drift
    assert (added.kind, added.object, added.message) == (
        ADDED,
        "index users_email_idx",
        "index users_email_idx added",
    )
    assert added.key == ("index", "public", "users_email_idx")
    (removed,) = diff(after, before, wording=DRIFT)
    assert (removed.kind, removed.message) == (REMOVED, "index users_email_idx dropped")
    (missing,) = diff(after, before, wording=ROLLBACK)
    assert missing.message == "index users_email_idx missing"
    (custom,) = diff(before, after, wording=Wording(added="appeared", removed="vanished"))
    assert custom.message == "index users_email_idx appeared"
    (changed,) = diff(before, _column("email", type="citext")(before))
    assert changed.kind == CHANGED and changed.object == "column customers.email"
    (order,) = diff(before, _customers(columns=tuple(reversed(CUSTOMERS.columns)))(before))
    assert (order.kind, order.object) == (COLUMN_ORDER, "table customers")


def test_column_order_compares_only_the_shared_columns() -> None:
    """A dropped column is its own change; the order of the others is unchanged."""
    before = sample()
    changes = diff(before, _customers(columns=CUSTOMERS.columns[1:])(before), wording=ROLLBACK)
    assert [c.kind for c in changes] == [REMOVED]


def test_a_new_table_is_one_change_not_one_per_column() -> None:
    before = replace(sample(), tables=())
    changes = diff(before, sample(), wording=ROLLBACK)
    assert all(
        c.message.startswith("table ") and c.message.endswith("left behind") for c in changes
    )
    assert len(changes) == len(sample().tables)


def test_privileges_and_owner_can_be_switched_off() -> None:
    before = sample()
    after = _customers(owner="app", grants=("app=arwdDxt/app",))(before)
    assert {c.message for c in diff(before, after)} >= {
        "table customers owner changed from postgres to app",
        "table customers grant SELECT to app dropped",
    }
    assert diff(before, after, compare_privileges=False, compare_owner=False) == []
    only_owner = diff(before, after, compare_privileges=False)
    assert [c.message for c in only_owner] == ["table customers owner changed from postgres to app"]


def test_owner_privileges_follow_the_owner() -> None:
    """The owner's own grant entry moves with a change of owner: reported once, as owner."""
    before = sample()
    after = _customers(owner="app", grants=("app=arwdDxt/app",))(before)
    # app's separate SELECT grant is now part of the owner's privileges.
    assert [c.message for c in diff(before, after)] == [
        "table customers owner changed from postgres to app",
        "table customers grant SELECT to app dropped",
    ]


def test_grant_option_and_public() -> None:
    before = replace(sample(), functions=(replace(INCREMENT, grants=("=X/postgres",)),))
    after = replace(sample(), functions=(replace(INCREMENT, grants=("app=X*/postgres",)),))
    assert [c.message for c in diff(before, after)] == [
        f"{INCREMENT.label} grant EXECUTE WITH GRANT OPTION to app added",
        f"{INCREMENT.label} grant EXECUTE to PUBLIC dropped",
    ]


def test_long_expressions_are_shortened_to_one_line() -> None:
    before = sample()
    long_expr = "(\n" + " OR ".join(f"x = {i}" for i in range(100)) + ")"
    after = _customers(policies=(replace(CUSTOMERS.policies[0], using=long_expr),))(before)
    (change,) = diff(before, after)
    assert "\n" not in change.message and change.message.endswith("…")
    assert len(change.message) < 300


def test_function_definition_without_separate_body() -> None:
    old = replace(INCREMENT, source=None)
    before = replace(sample(), functions=(old,))
    after = replace(sample(), functions=(replace(old, definition="CREATE FUNCTION other"),))
    assert [c.message for c in diff(before, after)] == [f"{INCREMENT.label} body differs"]
    cost = replace(sample(), functions=(replace(INCREMENT, definition="... COST 500 ..."),))
    assert [c.message for c in diff(sample(), cost)] == [f"{INCREMENT.label} definition differs"]


def test_changes_are_frozen_values() -> None:
    (change,) = diff(sample(), _customers(comment="x")(sample()))
    with pytest.raises(dataclasses.FrozenInstanceError):
        change.message = "y"  # type: ignore[misc]
    assert str(change) == change.message
