"""Dependencies between migrations: small hand-written corpora, then examples/rylie."""

from __future__ import annotations

import json
from pathlib import Path

from guide_support import RYLIE, edges, facts_for

from slipway.guide.deps import analyze, dependency_edges
from slipway.guide.deps_render import deps_json, deps_mermaid, deps_text
from slipway.migrations.layouts import load_folder


def test_foreign_key_makes_a_dependency_with_its_line(tmp_path: Path) -> None:
    facts = facts_for(
        tmp_path,
        {
            "0001_a.sql": "CREATE TABLE accounts (id int PRIMARY KEY);",
            "0002_b.sql": "-- b\n\nCREATE TABLE projects (\n  id int,\n  a int REFERENCES accounts (id)\n);",
        },
    )
    assert facts[0].dependencies == []
    (dep,) = facts[1].dependencies
    assert (dep.version, dep.name) == ("0001", "a")
    (reason,) = dep.reasons
    assert (reason.obj.key, reason.obj.kind, reason.how, reason.line) == (
        "accounts",
        "table",
        "foreign key",
        3,
    )
    assert not reason.best_effort


def test_index_alter_insert_and_trigger_on_earlier_objects(tmp_path: Path) -> None:
    facts = facts_for(
        tmp_path,
        {
            "0001_a.sql": "CREATE TABLE t (id int); CREATE FUNCTION f() RETURNS trigger "
            "LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;",
            "0002_b.sql": "CREATE INDEX t_id ON t (id); ALTER TABLE t ADD COLUMN c int;",
            "0003_c.sql": "INSERT INTO t (id) VALUES (1); UPDATE t SET c = 2;",
            "0004_d.sql": "CREATE TRIGGER tg BEFORE UPDATE ON t FOR EACH ROW EXECUTE FUNCTION f();",
            "0005_e.sql": "DROP INDEX t_id;",
        },
    )
    got = edges(facts)
    assert got["0002"] == {"0001": {("t", "CREATE INDEX ON"), ("t", "ALTER TABLE")}}
    assert got["0003"] == {"0001": {("t", "INSERT INTO"), ("t", "UPDATE")}}
    assert got["0004"] == {"0001": {("t", "CREATE TRIGGER ON"), ("f", "trigger executes")}}
    # Dropping an index depends on the migration that created the index, not the table's.
    assert got["0005"] == {"0002": {("t_id", "DROP INDEX")}}


def test_type_usage_view_and_function_call(tmp_path: Path) -> None:
    facts = facts_for(
        tmp_path,
        {
            "0001_types.sql": "CREATE TYPE mood AS ENUM ('ok', 'sad');"
            " CREATE FUNCTION score(int) RETURNS int LANGUAGE sql AS 'SELECT $1';",
            "0002_people.sql": "CREATE TABLE people (id int, m mood, moods mood[]);",
            "0003_view.sql": "CREATE VIEW happy AS SELECT id, score(id) FROM people WHERE m = 'ok'::mood;",
            "0004_more.sql": "ALTER TYPE mood ADD VALUE 'glad';",
        },
    )
    got = edges(facts)
    assert got["0002"] == {"0001": {("mood", "uses type")}}
    assert got["0003"] == {
        "0001": {("score", "calls function"), ("mood", "uses type")},
        "0002": {("people", "reads")},
    }
    assert got["0004"] == {"0001": {("mood", "ALTER TYPE")}}


def test_function_bodies_are_scanned_as_best_effort(tmp_path: Path) -> None:
    body = (
        "CREATE FUNCTION n_orders() RETURNS bigint LANGUAGE plpgsql AS $$\n"
        "BEGIN\n"
        "  -- orders_archive is only mentioned in a comment\n"
        "  RETURN (SELECT count(*) FROM public.orders WHERE note <> 'customers');\n"
        "END $$;"
    )
    facts = facts_for(
        tmp_path,
        {
            "0001_a.sql": "CREATE TABLE orders (id int, note text); CREATE TABLE customers (id int);"
            " CREATE TABLE orders_archive (id int);",
            "0002_b.sql": body,
        },
    )
    (dep,) = facts[1].dependencies
    assert [(r.obj.key, r.how, r.best_effort) for r in dep.reasons] == [
        ("orders", "function body mentions", True)
    ]
    assert "(best effort)" in dep.reasons[0].text


def test_firm_reason_hides_best_effort_for_the_same_object(tmp_path: Path) -> None:
    facts = facts_for(
        tmp_path,
        {
            "0001_a.sql": "CREATE TABLE t (id int);",
            "0002_b.sql": "CREATE FUNCTION f() RETURNS void LANGUAGE sql AS $$ DELETE FROM t $$;"
            " ALTER TABLE t ADD COLUMN c int;",
        },
    )
    (dep,) = facts[1].dependencies
    assert [(r.how, r.best_effort) for r in dep.reasons] == [("ALTER TABLE", False)]


def test_no_dependency_on_objects_created_in_the_same_migration(tmp_path: Path) -> None:
    facts = facts_for(
        tmp_path,
        {
            "0001_a.sql": "CREATE TABLE a (id int PRIMARY KEY);",
            "0002_b.sql": "CREATE TABLE b (id int PRIMARY KEY); CREATE TABLE c (b int REFERENCES b);"
            " CREATE INDEX ON c (b);",
        },
    )
    assert facts[1].dependencies == []
    assert facts[1].strongest_lock is None  # only its own new tables are locked


def test_drop_and_recreate_moves_ownership(tmp_path: Path) -> None:
    facts = facts_for(
        tmp_path,
        {
            "0001_a.sql": "CREATE TABLE t (id int);",
            "0002_b.sql": "DROP TABLE t; CREATE TABLE t (id bigint);",
            "0003_c.sql": "ALTER TABLE t ADD COLUMN c int;",
            "0004_d.sql": "ALTER TABLE t RENAME TO u;",
            "0005_e.sql": "CREATE INDEX u_c ON u (c);",
        },
    )
    got = edges(facts)
    assert got["0002"] == {"0001": {("t", "DROP TABLE")}}
    assert got["0003"] == {"0002": {("t", "ALTER TABLE")}}
    assert got["0005"] == {"0002": {("u", "CREATE INDEX ON")}}
    assert [o.key for o in facts[0].surviving] == []
    assert [o.key for o in facts[1].surviving] == ["u"]


def test_changes_locks_and_modes(tmp_path: Path) -> None:
    facts = facts_for(
        tmp_path,
        {
            "0001_a.sql": "CREATE TABLE t (id int PRIMARY KEY, p int);",
            "0002_b.sql": "ALTER TABLE t ADD COLUMN c int;\nCREATE INDEX t_c ON t (c);\nDROP TABLE IF EXISTS gone;",
            "0003_c.sql": "CREATE INDEX CONCURRENTLY t_p ON t (p);",
            "0004_d.sql": "BEGIN;\nALTER TABLE t VALIDATE CONSTRAINT x;\nCOMMIT;",
            "0005_e.sql": "this is not sql",
        },
    )
    second = facts[1]
    assert [(c.action, c.obj.label, line) for c, line in second.changes] == [
        ("alters", "table t", 1),
        ("creates", "index t_c", 2),
        ("drops", "table gone", 3),
    ]
    lock = second.strongest_lock
    assert lock is not None and (lock.mode, lock.relation, lock.line) == (
        "ACCESS EXCLUSIVE",
        "t",
        1,
    )
    assert [f.mode for f in facts[:4]] == ["transaction", "transaction", "statements", "wrapped"]
    assert facts[2].strongest_lock is not None
    assert facts[2].strongest_lock.mode == "SHARE UPDATE EXCLUSIVE"
    assert facts[4].syntax_error is not None and "line 1" in facts[4].syntax_error


def test_foreign_keys_get_postgres_default_names(tmp_path: Path) -> None:
    facts = facts_for(
        tmp_path,
        {
            "0001_a.sql": "CREATE TABLE p (a int, b int, PRIMARY KEY (a, b));"
            " CREATE TABLE c (x int REFERENCES p, y int, z int, FOREIGN KEY (y, z) REFERENCES p);",
            "0002_b.sql": "ALTER TABLE c ADD CONSTRAINT named FOREIGN KEY (y, z) REFERENCES p;"
            " ALTER TABLE c DROP CONSTRAINT c_y_z_fkey;",
        },
    )
    assert [(f.table, f.name, f.ref_table) for f in facts[0].foreign_keys] == [
        ("c", "c_x_fkey", "p")
    ]
    assert [f.name for f in facts[1].foreign_keys] == ["named"]


def test_rylie_dependencies_are_real() -> None:
    """Seed 000 said "All migrations are currently independent": it must be impossible."""
    facts = analyze(load_folder(RYLIE / "migrations").migrations)
    got = edges(facts)
    assert got["0000"] == {}
    assert all(got[v] for v in got if v != "0000"), "every later Rylie migration builds on another"
    assert ("dealerships", "foreign key") in got["0001"]["0000"]
    objects_0017 = {key for key, _ in got["0017"]["0000"]}
    assert {"messages", "conversations"} <= objects_0017
    assert ("customers", "ALTER TABLE") in got["0007"]["0001"]
    assert set(got["0014"]) == {"0000", "0010", "0011"}
    assert ("dealership_credentials", "CREATE TRIGGER ON") in got["0013"]["0003"]
    assert len(dependency_edges(facts)) >= 30


def test_renderers(tmp_path: Path) -> None:
    facts = facts_for(
        tmp_path,
        {
            "0001_a.sql": "CREATE TABLE a (id int PRIMARY KEY);",
            "0002_b.sql": "CREATE TABLE b (a int REFERENCES a);",
        },
    )
    text = deps_text(facts)
    assert text.splitlines() == [
        "0001 a: no dependencies",
        "0002 b depends on:",
        "  0001 a",
        "    table a: foreign key, line 1",
        "2 migrations, 1 dependencies",
    ]
    data = json.loads(json.dumps(deps_json(facts)))
    assert data[1]["depends_on"] == [
        {
            "version": "0001",
            "name": "a",
            "reasons": [
                {
                    "object": "a",
                    "kind": "table",
                    "how": "foreign key",
                    "line": 1,
                    "best_effort": False,
                }
            ],
        }
    ]
    assert deps_mermaid(facts) == (
        'flowchart LR\n    m0001["0001 a"]\n    m0002["0002 b"]\n    m0001 -->|"a"| m0002\n'
    )
