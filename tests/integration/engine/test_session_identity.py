"""A migration's SET ROLE ends with it: the next migration and every history row run as the
connecting user (RESET ALL alone leaves role and session authorization in place)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import psycopg
import pytest
from engine_helpers import Cli, query


@pytest.fixture
def owner_role(db_conn: psycopg.Connection[tuple[object, ...]]) -> Iterator[str]:
    role = f"slipway_owner_{uuid.uuid4().hex[:8]}"
    db_conn.execute(f'CREATE ROLE "{role}"')
    db_conn.execute(f'GRANT CREATE ON SCHEMA public TO "{role}"')
    yield role
    db_conn.execute(f'DROP OWNED BY "{role}"')
    db_conn.execute(f'DROP ROLE "{role}"')


@pytest.mark.parametrize(
    "first",
    [
        "SET ROLE {role};\nCREATE TABLE a (id int);",
        # Statement by statement (CONCURRENTLY): the role is taken outside any transaction.
        "SET ROLE {role};\nCREATE TABLE a (id int);\nCREATE INDEX CONCURRENTLY a_id ON a (id);",
    ],
    ids=["transaction", "statements"],
)
def test_set_role_does_not_leak_into_the_next_migration(
    cli: Cli, db_conn, owner_role: str, first: str
) -> None:
    cli.write("0001_as_owner.sql", first.format(role=owner_role))
    cli.write("0002_plain.sql", "CREATE TABLE b (id int);")
    result = cli("up")
    assert result.code == 0, result.err
    owners = dict(
        query(
            db_conn,
            "SELECT relname, pg_get_userbyid(relowner) FROM pg_class WHERE relname IN ('a', 'b')",
        )
    )
    assert owners == {"a": owner_role, "b": "postgres"}
    users = query(db_conn, "SELECT DISTINCT db_user FROM slipway_migrations")
    assert users == [("postgres",)]
    logged = query(db_conn, "SELECT DISTINCT db_user FROM slipway_migrations_log")
    assert logged == [("postgres",)]
