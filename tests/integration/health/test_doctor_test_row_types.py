"""The CRUD check's test rows follow types through the Catalog: enums and domains in a
schema with a capitalised name, domains over domains (down to an enum, a uuid), a varchar(n)
inside a domain, and a NOT NULL foreign key to a list-partitioned table."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from health_support import create_database, doctor, drop_database, url_for

SCHEMA = """
CREATE TABLE dealerships (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name text NOT NULL);
CREATE TYPE mood AS ENUM ('calm', 'busy');
CREATE DOMAIN mood_d AS mood;
CREATE DOMAIN mood_dd AS mood_d;
CREATE DOMAIN code5 AS varchar(5);
CREATE DOMAIN ref_d AS uuid;
CREATE DOMAIN ref_dd AS ref_d;
CREATE SCHEMA "Sales";
CREATE TYPE "Sales"."Stage" AS ENUM ('Lead', 'Won');
CREATE DOMAIN "Sales"."Stage d" AS "Sales"."Stage";
CREATE TABLE "Sales"."Deals" (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    dealership_id bigint NOT NULL REFERENCES dealerships ON DELETE CASCADE,
    stage "Sales"."Stage" NOT NULL,
    stages "Sales"."Stage"[] NOT NULL,
    staged "Sales"."Stage d" NOT NULL,
    mood mood_d NOT NULL);
CREATE TABLE deeper (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    dealership_id bigint NOT NULL REFERENCES dealerships ON DELETE CASCADE,
    mood mood_dd NOT NULL,
    ref ref_dd NOT NULL);
CREATE TABLE coded (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    dealership_id bigint NOT NULL REFERENCES dealerships ON DELETE CASCADE,
    code code5 NOT NULL);
CREATE TABLE regions (
    code text PRIMARY KEY,
    dealership_id bigint NOT NULL REFERENCES dealerships ON DELETE CASCADE
) PARTITION BY LIST (code);
CREATE TABLE regions_eu PARTITION OF regions FOR VALUES IN ('eu');
CREATE TABLE regions_other PARTITION OF regions DEFAULT;
CREATE TABLE visits (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    dealership_id bigint NOT NULL REFERENCES dealerships ON DELETE CASCADE,
    region text NOT NULL REFERENCES regions ON DELETE CASCADE);
"""


@pytest.fixture(scope="module")
def built(pg_server: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    name = create_database("hc")
    url = url_for(name)
    try:
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(SCHEMA)
        yield url, tmp_path_factory.mktemp("types")
    finally:
        drop_database(name)


def test_types_through_domains_and_schemas_get_valid_rows(built: tuple[str, Path]) -> None:
    url, project = built
    crud = doctor(url, project).check("HC080")
    assert not [f for f in crud.findings if "not validated" in f.message], crud.findings
    assert crud.details[0] == "inserted test rows in 6 of 6 tables; everything was rolled back"
