"""Lint's checks of down scripts agree with PostgreSQL: a down that SW112 (missing-object),
SW113 (drop-with-dependents) or SW114 (index-constraint-mixup) reports fails on the server
after its up, and one they pass runs."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from slipway.lint.engine import lint
from slipway.migrations.model import Migration, Script

TRIGGER = (
    "CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;\n"
    "CREATE TRIGGER leads_touch BEFORE UPDATE ON leads FOR EACH ROW EXECUTE FUNCTION touch();"
)
CODE = "CREATE FUNCTION code() RETURNS text LANGUAGE sql AS $$ SELECT 'x' $$;"
ONE = "CREATE FUNCTION one() RETURNS bigint LANGUAGE sql STABLE AS $$ SELECT 1::bigint $$;"
BASE = "CREATE TABLE leads (id bigint PRIMARY KEY, mail text NOT NULL, email text);"
RULES = {"missing-object", "drop-with-dependents", "index-constraint-mixup"}

# (up, down, the down fails on the server)
CASES = [
    (
        "ALTER TABLE leads RENAME COLUMN mail TO email2;",
        "ALTER TABLE leads ALTER COLUMN mail DROP NOT NULL;",
        True,
    ),
    (
        "ALTER TABLE leads RENAME COLUMN mail TO email2;",
        "ALTER TABLE leads RENAME COLUMN email2 TO mail;",
        False,
    ),
    (
        "CREATE INDEX leads_email_idx ON leads (email);",
        "DROP INDEX leads_email_idx;\nDROP INDEX leads_email_idx;",
        True,
    ),
    (
        "CREATE TYPE stage AS ENUM ('new');\nALTER TABLE leads ADD COLUMN s stage[];",
        "DROP TYPE stage;\nALTER TABLE leads DROP COLUMN s;",
        True,
    ),
    (
        "CREATE TYPE stage AS ENUM ('new');\nALTER TABLE leads ADD COLUMN s stage;",
        "ALTER TABLE leads DROP COLUMN s;\nDROP TYPE stage;",
        False,
    ),
    (
        "CREATE TABLE notes (id bigint PRIMARY KEY, lead_id bigint REFERENCES leads);",
        "DROP TABLE leads;",
        True,
    ),
    (
        "CREATE VIEW lead_ids AS SELECT id FROM leads;",
        "DROP TABLE leads;",
        True,
    ),
    (
        TRIGGER,
        "DROP FUNCTION touch();\nDROP TRIGGER leads_touch ON leads;",
        True,
    ),
    (
        TRIGGER,
        "DROP TRIGGER leads_touch ON leads;\nDROP FUNCTION touch();",
        False,
    ),
    (
        f"{CODE}\nALTER TABLE leads ADD COLUMN code text DEFAULT code();",
        "DROP FUNCTION code();\nALTER TABLE leads DROP COLUMN code;",
        True,
    ),
    (
        f"{ONE}\nCREATE POLICY leads_one ON leads USING (id = one());",
        "DROP FUNCTION one();\nDROP POLICY leads_one ON leads;",
        True,
    ),
    (
        f"{ONE}\nCREATE POLICY leads_one ON leads USING (id = one());",
        "DROP POLICY leads_one ON leads;\nDROP FUNCTION one();",
        False,
    ),
    (
        f"{ONE}\nCREATE VIEW lead_ones AS SELECT id, one() FROM leads;",
        "DROP FUNCTION one();\nDROP VIEW lead_ones;",
        True,
    ),
    (
        "CREATE UNIQUE INDEX leads_email_idx ON leads (email);",
        "ALTER TABLE leads DROP CONSTRAINT leads_email_idx;",
        True,
    ),
    ("ALTER TABLE leads ADD UNIQUE (email);", "DROP INDEX leads_email_key;", True),
    (
        "ALTER TABLE leads ADD UNIQUE (email);",
        "ALTER TABLE leads DROP CONSTRAINT leads_email_key;",
        False,
    ),
]


@pytest.fixture
def conn(db_url: str) -> Iterator[psycopg.Connection[tuple[object, ...]]]:
    with psycopg.connect(db_url, autocommit=True) as connection:
        yield connection


def _server_fails(conn: psycopg.Connection[tuple[object, ...]], up: str, down: str) -> bool:
    conn.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    conn.execute(BASE)
    conn.execute(up.encode())
    try:
        conn.execute(down.encode())
    except psycopg.errors.Error:
        return True
    return False


def _lint(up: str, down: str) -> set[str]:
    folder = Path("migrations")
    first = Migration("0001", "base", "paired", Script(folder / "0001_base.sql", BASE))
    second = Migration(
        "0002",
        "change",
        "paired",
        Script(folder / "0002_change.sql", up),
        Script(folder / "0002_change.down.sql", down),
    )
    found = lint([first, second]).findings
    return {f.name for f in found if f.name in RULES and f.file.endswith(".down.sql")}


@pytest.mark.parametrize(("up", "down", "fails"), CASES, ids=[c[1][:40] for c in CASES])
def test_lint_reports_the_downs_the_server_refuses(
    conn: psycopg.Connection[tuple[object, ...]], up: str, down: str, fails: bool
) -> None:
    assert _server_fails(conn, up, down) is fails  # the case states the server
    assert bool(_lint(up, down)) is fails


def test_drop_constraint_if_exists_on_an_index_leaves_it(
    conn: psycopg.Connection[tuple[object, ...]],
) -> None:
    up = "CREATE UNIQUE INDEX leads_email_idx ON leads (email);"
    down = "ALTER TABLE leads DROP CONSTRAINT IF EXISTS leads_email_idx;"
    assert _server_fails(conn, up, down) is False
    assert conn.execute("SELECT to_regclass('leads_email_idx')").fetchone() != (None,)
    assert _lint(up, down) == {"index-constraint-mixup"}
