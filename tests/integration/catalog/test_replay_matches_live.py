"""lint's replay holds the schema PostgreSQL holds: after `up`, the replayed catalog's tables,
columns, keys and indexes equal the live catalog's (compared through the Catalog model).

The migrations below do what made the replay lose track on real projects: unnamed
constraints and indexes (PostgreSQL's own names, with their numeric suffixes and 63-byte
truncation), columns dropped with their keys and indexes, a table renamed before a column
drop, `CREATE INDEX IF NOT EXISTS` on an index that exists; long names in several bytes a
character.
"""

from __future__ import annotations

from pathlib import Path

import psycopg

from slipway import api
from slipway.catalog.introspect import introspect
from slipway.catalog.structure import structural_differences, structure
from slipway.lint.catalog import to_catalog
from slipway.lint.engine import lint
from slipway.migrations.layouts import load_folder

LONG = "a_table_name_long_enough_that_postgresql_must_truncate_it_somewhere"
MIGRATIONS = {
    "0001_parents.up.sql": """
        CREATE TABLE parent (id bigint PRIMARY KEY, code text UNIQUE, a int, b int, UNIQUE (a, b));
        CREATE TABLE kinds (id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name varchar(40) NOT NULL);
    """,
    "0002_children.up.sql": """
        CREATE TABLE child (
            id bigserial PRIMARY KEY,
            parent_id bigint REFERENCES parent (id),
            kind_id int NOT NULL REFERENCES kinds,
            other_id bigint,
            note text,
            price numeric(10, 2),
            tags text[],
            seen timestamptz DEFAULT now(),
            UNIQUE (parent_id, note),
            UNIQUE (parent_id, note)
        );
        CREATE INDEX ON child (other_id);
        CREATE INDEX ON child (other_id);
        CREATE INDEX ON child (lower(note));
    """,
    "0003_drop_and_rename.up.sql": """
        ALTER TABLE child DROP COLUMN note;
        ALTER TABLE child DROP CONSTRAINT child_parent_id_fkey;
        ALTER TABLE parent RENAME TO mother;
        ALTER TABLE mother DROP COLUMN b;
        ALTER TABLE mother RENAME COLUMN code TO label;
        CREATE INDEX IF NOT EXISTS child_other_id_idx ON child (id);
        ALTER TABLE child ADD COLUMN mother_id bigint;
        ALTER TABLE child ADD FOREIGN KEY (mother_id) REFERENCES mother (id);
        ALTER INDEX child_other_id_idx1 RENAME TO child_other_again;
        ALTER TABLE child_other_again RENAME TO child_other_final;  -- ALTER TABLE renames indexes too
    """,
    "0004_keys.up.sql": """
        CREATE TABLE store (id text UNIQUE PRIMARY KEY, a int, b int, UNIQUE (a), UNIQUE (a));
        CREATE UNIQUE INDEX ON store (a, b) WHERE a > 0;
        CREATE TABLE pairs (x int, y int, PRIMARY KEY (x, y));
        ALTER TABLE pairs RENAME CONSTRAINT pairs_pkey TO pairs_key;
        CREATE TABLE langs (id serial PRIMARY KEY, a int NOT NULL, b int NOT NULL, UNIQUE (a, b));
        ALTER TABLE langs DROP COLUMN id, ADD PRIMARY KEY (a, b), DROP CONSTRAINT langs_a_b_key;
        CREATE TABLE users (id int PRIMARY KEY);
        CREATE TABLE reports (id int PRIMARY KEY, creator_id int REFERENCES users);
        ALTER TABLE users RENAME TO person;
        ALTER INDEX users_pkey RENAME TO person_pkey;
    """,
    "0005_long_names.up.sql": f"""
        CREATE TABLE {LONG} (
            id int PRIMARY KEY,
            a_column_name_that_is_also_rather_long_for_an_identifier int UNIQUE
        );
        CREATE INDEX ON {LONG} (id, a_column_name_that_is_also_rather_long_for_an_identifier);
        -- multibyte names: cut on a character boundary, counted in bytes
        CREATE TABLE "données_des_clients_très_très_longues" (
            id int PRIMARY KEY, "référence_élémentaire_é" int UNIQUE, "clé" int UNIQUE
        );
        CREATE INDEX ON "données_des_clients_très_très_longues" ("référence_élémentaire_é", "clé");
    """,
    # A table renamed away keeps its keys' names, so the new one gets x_pkey1 and x_code_key1
    # (ovh/cds does this, then copies the rows across).
    "0006_rename_and_recreate.up.sql": """
        CREATE TABLE worker (id int PRIMARY KEY, code text UNIQUE);
        ALTER TABLE worker RENAME TO old_worker;
        CREATE TABLE worker (id int PRIMARY KEY, code text UNIQUE);
        ALTER TABLE worker ADD CONSTRAINT worker_pkey2 UNIQUE (id, code);
        DROP TABLE old_worker;
        CREATE TABLE spare (id int PRIMARY KEY);
        ALTER TABLE spare RENAME TO spare_old;
        DROP TABLE spare_old;
        CREATE TABLE spare (id int PRIMARY KEY);
        -- USING INDEX: the index becomes the constraint's, renamed after it
        CREATE TABLE hooks (id int, uuid text, code text);
        CREATE UNIQUE INDEX idx_hooks_uuid ON hooks (uuid);
        ALTER TABLE hooks ADD CONSTRAINT unique_hooks_uuid UNIQUE USING INDEX idx_hooks_uuid;
        CREATE UNIQUE INDEX idx_hooks_code ON hooks (code);
        ALTER TABLE hooks ADD UNIQUE USING INDEX idx_hooks_code;
        CREATE UNIQUE INDEX hooks_id ON hooks (id);
        ALTER TABLE hooks ADD PRIMARY KEY USING INDEX hooks_id;
        -- types whose typname and format_type() spelling differ, serial2 among the serials
        CREATE TABLE flags (id serial2 PRIMARY KEY, f "char", b bpchar(2), t timetz);
    """,
}


def test_replayed_schema_equals_the_live_schema_after_up(db_url: str, tmp_path: Path) -> None:
    folder = tmp_path / "migrations"
    folder.mkdir()
    for name, sql in MIGRATIONS.items():
        (folder / name).write_text(sql)
    api.up(database_url=db_url, migrations=folder, project_dir=tmp_path)
    with psycopg.connect(db_url, autocommit=True) as conn:
        live = introspect(conn)
    replayed = lint(load_folder(folder).migrations).state
    assert replayed is not None
    own = {
        t.qualified for t in live.tables if t.schema == "public" and t.name.startswith("slipway")
    }
    differences = structural_differences(structure(to_catalog(replayed)), structure(live, skip=own))
    assert differences == []
