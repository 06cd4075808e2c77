"""The doctor's CRUD check makes its test rows with the one row generator (the tenancy test's):
CHECK constraints that refuse a plain value are retried with the values they spell out, an
IN list gives its first value, and a lookup table outside the tenant tree lends a row."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from health_support import create_database, doctor, drop_database, url_for

SCHEMA = """
CREATE TABLE dealerships (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name text NOT NULL);
CREATE TABLE makes (id int PRIMARY KEY, name text NOT NULL);
INSERT INTO makes VALUES (7, 'Saab');
CREATE TABLE api_keys (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    dealership_id bigint NOT NULL REFERENCES dealerships ON DELETE CASCADE,
    key_hash text NOT NULL CHECK (key_hash ~ '^[0-9a-f]{64}$'),
    code text NOT NULL CHECK (char_length(code) = 6),
    status text NOT NULL CHECK (status IN ('active', 'revoked')));
CREATE TABLE vehicles (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    dealership_id bigint NOT NULL REFERENCES dealerships ON DELETE CASCADE,
    make_id int NOT NULL REFERENCES makes,
    year int NOT NULL CHECK (year >= 1990));
"""


@pytest.fixture(scope="module")
def built(pg_server: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    name = create_database("hc")
    url = url_for(name)
    try:
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(SCHEMA)
        yield url, tmp_path_factory.mktemp("rows")
    finally:
        drop_database(name)


def test_check_constraints_and_lookup_tables_get_valid_rows(built: tuple[str, Path]) -> None:
    url, project = built
    crud = doctor(url, project).check("HC080")
    assert crud.details[0] == "inserted test rows in 3 of 3 tables; everything was rolled back"
    messages = {f.target: f.message for f in crud.findings}
    assert "as declared" in messages["public.api_keys.api_keys_dealership_id_fkey"]
    assert "as declared" in messages["public.vehicles.vehicles_dealership_id_fkey"]
    assert not [f for f in crud.findings if f.severity != "info"], crud.findings
    with psycopg.connect(url) as conn:  # rolled back: nothing left, the lookup row untouched
        assert conn.execute("SELECT count(*) FROM dealerships").fetchone() == (0,)
        assert conn.execute("SELECT count(*) FROM makes").fetchone() == (1,)
