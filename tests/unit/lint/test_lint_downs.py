"""Down scripts are linted like ups, on the schema their up left, without changing it."""

from __future__ import annotations

from lint_support import migration

from slipway.lint.engine import lint
from slipway.lint.findings import Finding


def _down_findings(found: list[Finding]) -> set[tuple[str, str, int]]:
    return {(f.name, f.file.rpartition("/")[2], f.line) for f in found if ".down." in f.file}


def test_statement_rules_run_on_down_scripts_at_their_lines() -> None:
    found = lint(
        [
            migration("0001", "CREATE TABLE leads (id bigint PRIMARY KEY, email text);"),
            migration(
                "0002",
                "ALTER TABLE leads DROP COLUMN email;",
                "SELECT 1;\nALTER TABLE leads ADD COLUMN email char(20);\n"
                "CREATE INDEX leads_email_idx ON leads (email);",
            ),
        ]
    ).findings
    down = _down_findings(found)
    assert ("ban-char-field", "0002_case.down.sql", 2) in down
    assert ("require-concurrent-index-creation", "0002_case.down.sql", 3) in down


def test_undoing_what_the_up_made_is_not_reported() -> None:
    found = lint(
        [
            migration("0001", "CREATE TABLE leads (id bigint PRIMARY KEY);"),
            migration(
                "0002",
                "ALTER TABLE leads ADD COLUMN note text;\nCREATE TABLE notes (id bigint);\n"
                "CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$;",
                "DROP FUNCTION f();\nDROP TABLE notes;\nALTER TABLE leads DROP COLUMN note;",
            ),
        ]
    ).findings
    assert _down_findings(found) == set()


def test_the_down_replay_does_not_reach_the_next_migration() -> None:
    found = lint(
        [
            migration(
                "0001",
                "CREATE TABLE leads (id bigint PRIMARY KEY, mail text);",
                "ALTER TABLE leads RENAME COLUMN mail TO email;\nDROP TABLE leads;",
            ),
            migration("0002", "ALTER TABLE leads ALTER COLUMN mail SET NOT NULL;"),
        ]
    ).findings
    assert [f for f in found if f.name == "missing-object"] == []


def test_a_down_naming_what_only_a_later_migration_creates() -> None:
    found = lint(
        [
            migration("0001", "CREATE TABLE leads (id bigint PRIMARY KEY);", "DROP TABLE notes;"),
            migration("0002", "CREATE TABLE notes (id bigint PRIMARY KEY);"),
        ]
    ).findings
    missing = [f for f in found if f.name == "missing-object"]
    assert [(f.file.rpartition("/")[2], f.line) for f in missing] == [("0001_case.down.sql", 1)]
    assert "only 0002 case, later, creates it" in missing[0].message


def test_a_later_create_if_not_exists_proves_nothing() -> None:
    found = lint(
        [
            migration("0001", "CREATE TABLE leads (id bigint PRIMARY KEY);", "DROP TABLE notes;"),
            migration("0002", "CREATE TABLE IF NOT EXISTS notes (id bigint PRIMARY KEY);"),
        ]
    ).findings
    assert [f for f in found if f.name == "missing-object"] == []


def test_a_down_whose_up_does_not_parse_is_not_judged() -> None:
    found = lint([migration("0001", "CREATE TABLE x (id int,);", "DROP TABLE x;")]).findings
    assert [f.name for f in found if ".down." in f.file] == []


def test_a_forked_table_copy_keeps_every_field_and_shares_nothing_mutable() -> None:
    from dataclasses import fields

    from slipway.lint.state import Column, ForeignKey, Origin, ReplayState, Table

    here = Origin(0, "m.sql", 1, 1, 0, 0)
    table = Table(
        "leads",
        origin=here,
        partial=True,
        columns={"id": Column("id", "int8", (), True, True, True)},
        primary_key=("id",),
        primary_key_name="leads_pk",
        uniques={"leads_id_key": ("id",)},
        foreign_keys=[ForeignKey("fk", ("id",), "other", here, True, ("id",))],
        not_valid={"fk": 0},
        not_null_checks={"c": ("id", False)},
        indexes={"leads_idx"},
        rls_enabled=True,
        rls_forced=True,
        policies={"p": "all"},
        partition_key=("id",),
        partition_strategy="range",
        partition_of="parent",
        emptied_in=0,
        triggers={"t": "touch"},
    )
    state = ReplayState(tables={"leads": table})
    fork = state.fork()
    copy = fork.table("leads")
    assert copy is not table and state.tables["leads"] is table
    for f in fields(Table):
        mine, theirs = getattr(copy, f.name), getattr(table, f.name)
        if f.name in ("columns", "foreign_keys"):
            pairs = zip(
                mine.values() if f.name == "columns" else mine,
                theirs.values() if f.name == "columns" else theirs,
                strict=True,
            )
            for a, b in pairs:  # every field of every column and foreign key
                assert [getattr(a, g.name) for g in fields(a)] == [
                    getattr(b, g.name) for g in fields(b)
                ], f.name
        else:
            assert mine == theirs, f.name
        if isinstance(theirs, dict | list | set):
            assert mine is not theirs, f.name
    assert copy.columns["id"] is not table.columns["id"]
    assert copy.foreign_keys[0] is not table.foreign_keys[0]
    assert fork.table("leads") is copy  # copied once


def test_a_fork_hands_out_one_table_per_name() -> None:
    from slipway.lint.state import ReplayState

    fork = ReplayState().fork()
    placeholder = fork.table("legacy")
    assert fork.table("legacy") is placeholder  # changes through either reference stay
