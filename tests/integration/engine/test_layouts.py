"""Each layout teams already have is detected and applied, and rolls back by version."""

from __future__ import annotations

import json

import pytest
from engine_helpers import Cli, table_exists

from slipway.migrations.layouts import load_folder
from slipway.migrations.scaffold import new_migration


def status_json(cli: Cli) -> list[dict[str, object]]:
    result = cli("status", "--format", "json")
    assert result.code == 0, result.text
    return json.loads(result.out)["migrations"]  # type: ignore[no-any-return]


def test_paired_files_with_each_rollback_suffix(cli: Cli, db_conn) -> None:
    cli.write("0001_a.sql", "-- Create a\nCREATE TABLE a (id int);\n")
    cli.write("0001_a.down.sql", "DROP TABLE a;\n")
    cli.write("0002_b.sql", "CREATE TABLE b (id int);\n")
    cli.write("0002_b.rollback.sql", "DROP TABLE b;\n")
    cli.write("0003_c.sql", "CREATE TABLE c (id int);\n")
    cli.write("0003_c_rollback.sql", "DROP TABLE c;\n")
    # A rollback pairs by version, not by name.
    cli.write("0004_d.sql", "CREATE TABLE d (id int);\n")
    cli.write("0004_renamed_later.down.sql", "DROP TABLE d;\n")
    states = status_json(cli)
    assert [s["version"] for s in states] == ["0001", "0002", "0003", "0004"]
    assert all(s["has_rollback"] for s in states)
    assert states[0]["description"] == "Create a"
    assert states[1]["description"] == "B"
    assert cli("up").code == 0
    for name in "abcd":
        assert table_exists(db_conn, name)
    assert cli("down", "--steps", "4").code == 0
    for name in "abcd":
        assert not table_exists(db_conn, name)


def test_golang_migrate_layout(cli: Cli, db_conn) -> None:
    cli.write("000001_users.up.sql", "CREATE TABLE users (id int);")
    cli.write("000001_users.down.sql", "DROP TABLE users;")
    cli.write("000002_posts.up.sql", "CREATE TABLE posts (id int);")
    cli.write("000002_posts.down.sql", "DROP TABLE posts;")
    assert cli("up").code == 0
    assert table_exists(db_conn, "posts")
    assert cli("down").code == 0
    assert not table_exists(db_conn, "posts") and table_exists(db_conn, "users")


def test_diesel_folders_with_metadata_and_verify(cli: Cli, db_conn) -> None:
    cli.write("2019-02-26-002946_users/up.sql", "CREATE TABLE users (id int, email text);")
    cli.write("2019-02-26-002946_users/down.sql", "DROP TABLE users;")
    cli.write("2019-02-26-002946_users/verify.sql", "SELECT id FROM users;")
    cli.write(
        "2019-03-01-101010_users_email/up.sql",
        "CREATE INDEX CONCURRENTLY users_email ON users (email);",
    )
    cli.write("2019-03-01-101010_users_email/down.sql", "DROP INDEX users_email;")
    cli.write("2019-03-01-101010_users_email/metadata.toml", "run_in_transaction = false\n")
    result = cli("up")
    assert result.code == 0, result.text
    assert "no transaction" in result.out
    assert db_conn.execute("SELECT to_regclass('users_email') IS NOT NULL").fetchone()[0]
    states = status_json(cli)
    assert [s["version"] for s in states] == ["2019-02-26-002946", "2019-03-01-101010"]


def test_dbmate_sections_and_transaction_false(cli: Cli, db_conn) -> None:
    cli.write(
        "20240101120000_users.sql",
        "-- migrate:up\nCREATE TABLE users (id int, email text);\n\n"
        "-- migrate:down\nDROP TABLE users;\n",
    )
    cli.write(
        "20240102120000_idx.sql",
        "-- migrate:up transaction:false\nCREATE INDEX CONCURRENTLY users_email ON users (email);\n"
        "-- migrate:down\nDROP INDEX users_email;\n",
    )
    result = cli("up")
    assert result.code == 0, result.text
    assert "no transaction" in result.out
    assert cli("down", "--steps", "2").code == 0
    assert not table_exists(db_conn, "users")


@pytest.mark.parametrize(
    ("name", "up", "down"),
    [
        ("20240101120000_users.sql", "-- migrate:up", "-- migrate:down"),
        ("00001_users.sql", "-- +goose Up", "-- +goose Down"),
        ("1_users.sql", "-- +migrate Up", "-- +migrate Down"),
        ("1617181920000_users.sql", "-- Up Migration", "-- Down Migration"),
        ("001_users.sql", "-- the users", "---- create above / drop below ----"),
    ],
)
def test_a_section_error_line_is_the_files_line(cli: Cli, name: str, up: str, down: str) -> None:
    """Sections start mid-file (dbmate, goose, sql-migrate, node-pg-migrate, tern): errors
    name the file's own line."""
    sql = f"{up}\nCREATE TABLE users (id int);\nSELECT nosuch FROM users;\n{down}\nDROP TABLE users;\n"
    cli.write(name, sql)
    result = cli("up")
    assert result.code == 1
    assert f'{name}:3:8: column "nosuch" does not exist' in result.err


@pytest.mark.parametrize(
    ("up_marker", "down_marker", "no_transaction"),
    [
        ("-- +migrate Up", "-- +migrate Down", "-- +migrate Up notransaction"),
        ("-- Up Migration", "-- Down Migration", None),
        ("", "---- create above / drop below ----", None),
    ],
    ids=["sql-migrate", "node-pg-migrate", "tern"],
)
def test_up_runs_only_the_up_section(
    cli: Cli, db_conn, up_marker: str, down_marker: str, no_transaction: str | None
) -> None:
    """sql-migrate, node-pg-migrate and tern keep both directions in one file: read whole, the
    rollback ran right after the migration (the table made and dropped again, recorded as
    applied)."""
    head = f"{up_marker}\n" if up_marker else ""
    cli.write(
        "001_users.sql",
        f"{head}CREATE TABLE users (id int, email text);\n{down_marker}\nDROP TABLE users;\n",
    )
    cli.write(
        "002_email.sql",
        f"{head}CREATE INDEX CONCURRENTLY users_email ON users (email);\n"
        f"{down_marker}\nDROP INDEX CONCURRENTLY users_email;\n",
    )
    if no_transaction:  # sql-migrate's per-section flag, on a statement that needs none
        cli.write(
            "003_backfill.sql",
            f"{no_transaction}\nUPDATE users SET email = lower(email);\n{down_marker}\n",
        )
        assert "Backfill (statement by statement, no transaction)" in cli("plan").out
    states = status_json(cli)
    assert [(s["version"], s["rollback"]) for s in states][:2] == [("001", "file"), ("002", "file")]
    result = cli("up")
    assert result.code == 0, result.text
    assert table_exists(db_conn, "users")
    assert cli("down", "--all", "--allow-empty").code == 0
    assert not table_exists(db_conn, "users")
    made = new_migration(load_folder(cli.project / "migrations"), "add notes")
    text = made[0].read_text()
    assert down_marker in text and (up_marker in text if up_marker else True)
    assert len(status_json(cli)) == len(states) + 1


GOOSE_FUNCTION = """-- +goose Up
-- +goose StatementBegin
CREATE FUNCTION one() RETURNS int LANGUAGE plpgsql AS $$
BEGIN
    RETURN 1;
END $$;
-- +goose StatementEnd

-- +goose Down
DROP FUNCTION one();
"""


def test_goose_sections_run_apart(cli: Cli, db_conn) -> None:
    """goose's one file per migration: `up` runs only the Up section (it used to run the whole
    file: the table was created and dropped again, and recorded as applied), `down` only the
    Down; NO TRANSACTION runs it outside a transaction."""
    cli.write(
        "00001_users.sql",
        "-- +goose Up\nCREATE TABLE users (id int, email text);\n\n"
        "-- +goose Down\nDROP TABLE users;\n",
    )
    cli.write("00002_one.sql", GOOSE_FUNCTION)
    cli.write(
        "00010_idx.sql",
        "-- +goose NO TRANSACTION\n-- +goose Up\n"
        "CREATE INDEX CONCURRENTLY users_email ON users (email);\n"
        "-- +goose Down\nDROP INDEX CONCURRENTLY users_email;\n",
    )
    states = status_json(cli)
    assert [(s["version"], s["rollback"]) for s in states] == [
        ("00001", "file"),
        ("00002", "file"),
        ("00010", "file"),
    ]
    result = cli("up")
    assert result.code == 0, result.text
    assert "no transaction" in result.out
    assert table_exists(db_conn, "users")
    assert db_conn.execute("SELECT one()").fetchone() == (1,)
    assert cli("down", "--steps", "3").code == 0
    assert not table_exists(db_conn, "users")
    assert db_conn.execute("SELECT to_regproc('one')").fetchone() == (None,)
    cli.write("00011_only_up.sql", "-- +goose Up\nCREATE TABLE notes (id int);\n")
    assert cli("up").code == 0
    refused = cli("down")
    assert refused.code == 1
    assert "a `-- +goose Down` section in 00011_only_up.sql" in refused.err, refused.err


def test_goose_environment_substitution_is_refused(cli: Cli) -> None:
    cli.write(
        "00002_env.sql",
        "-- +goose ENVSUB ON\n-- +goose Up\nCREATE ROLE ${APP_ROLE};\n",
    )
    refused = cli("status")
    assert refused.code == 2
    assert "00002_env.sql: uses goose's `-- +goose ENVSUB ON`" in refused.err


def test_flyway_versions_and_undo(cli: Cli, db_conn) -> None:
    cli.write("V1__users.sql", "CREATE TABLE users (id int);")
    cli.write("U1__users.sql", "DROP TABLE users;")
    cli.write("V2__posts.sql", "CREATE TABLE posts (id int);")
    cli.write("V10__tags.sql", "CREATE TABLE tags (id int);")
    states = status_json(cli)
    assert [s["version"] for s in states] == ["1", "2", "10"]
    assert [s["has_rollback"] for s in states] == [True, False, False]
    assert cli("up").code == 0
    assert table_exists(db_conn, "tags")


def test_flyway_repeatables_are_named_on_every_up(cli: Cli, db_conn) -> None:
    """slipway does not run Flyway's R__ files; `up` says so each time (the views they make
    would otherwise be missing without a word)."""
    cli.write("V1__users.sql", "CREATE TABLE users (id int);")
    cli.write("R__user_view.sql", "CREATE OR REPLACE VIEW user_ids AS SELECT id FROM users;")
    for _ in range(2):
        result = cli("up")
        assert result.code == 0, result.text
        assert (
            "warning: migrations/R__user_view.sql: a Flyway repeatable migration, which slipway "
            "does not run"
        ) in result.err
    assert table_exists(db_conn, "users") and not table_exists(db_conn, "user_ids")


def test_three_date_styles_sort_in_one_folder(cli: Cli) -> None:
    cli.write("0001_first.sql", "SELECT 1;")
    cli.write("20251109_dated.sql", "SELECT 1;")
    cli.write("2025-11-10-093000_diesel/up.sql", "SELECT 1;")
    cli.write("20251111093000_stamped.sql", "SELECT 1;")
    versions = [s["version"] for s in status_json(cli)]
    assert versions == ["0001", "20251109", "2025-11-10-093000", "20251111093000"]


def test_files_that_are_not_migrations_are_reported_and_never_applied(cli: Cli, db_conn) -> None:
    cli.write("README.md", "# notes\n")
    cli.write("helpers.sql", "CREATE TABLE should_not_exist (id int);")
    cli.write("0001_real.sql", "CREATE TABLE real (id int);")
    result = cli("validate", "--format", "json")
    problems = json.loads(result.out)["problems"]
    files = {p["file"].rsplit("/", 1)[-1] for p in problems if p["code"] == "not-a-migration"}
    assert files == {"README.md", "helpers.sql"}
    assert cli("up").code == 0
    assert table_exists(db_conn, "real")
    assert not table_exists(db_conn, "should_not_exist")


def test_duplicate_versions_are_refused_naming_both_files(cli: Cli, db_conn) -> None:
    cli.write("0002_agent_squad.sql", "CREATE TABLE squad (id int);")
    cli.write("0002_sms_delivery.sql", "CREATE TABLE sms (id int);")
    result = cli("up")
    assert result.code == 2
    assert "0002_agent_squad.sql" in result.err and "0002_sms_delivery.sql" in result.err
    assert not table_exists(db_conn, "squad") and not table_exists(db_conn, "sms")


def test_paths_in_messages_open_from_where_slipway_ran(cli: Cli) -> None:
    """A folder given as db/migrations is named db/migrations/..., not migrations/... (a
    path that does not exist from the working folder)."""
    folder = cli.project / "db" / "migrations"
    folder.mkdir(parents=True)
    (folder / "0002_email.sql").write_text("SELECT 1;")
    (folder / "0002_name.sql").write_text("SELECT 1;")
    result = cli("validate", "--offline", "-m", "db/migrations")
    assert result.code == 2
    assert "db/migrations/0002_email.sql and db/migrations/0002_name.sql" in result.err


def test_a_missing_rollback_is_named_in_the_folders_own_layout(cli: Cli) -> None:
    # Flyway's undo file is U<version>__<name>.sql; a hint naming "V1__a.down.sql" sends a
    # Flyway team to write a file their layout never reads.
    cli.write("V1__a.sql", "CREATE TABLE a (id int);")
    assert cli("up").code == 0
    result = cli("down")
    assert result.code != 0
    assert "U1__a.sql" in result.err and ".down.sql" not in result.err
    lint = cli("lint", "--format", "json", str(cli.project / "migrations"), url=False)
    helps = [
        f["hint"]
        for f in json.loads(lint.out)["findings"]
        if f["name"] == "migration-without-rollback"
    ]
    assert helps == ["Add U1__a.sql that undoes the migration."]


def test_a_missing_dbmate_rollback_names_the_section(cli: Cli) -> None:
    cli.write("20240101000000_a.sql", "-- migrate:up\nCREATE TABLE a (id int);\n")
    assert cli("up").code == 0
    result = cli("down")
    assert result.code != 0 and "`-- migrate:down` section in 20240101000000_a.sql" in result.err


def test_down_all_rolls_back_every_applied_migration(cli: Cli, db_conn) -> None:
    for n in (1, 2, 3):
        cli.write(f"00000{n}_t{n}.up.sql", f"CREATE TABLE t{n} (id int);")
        cli.write(f"00000{n}_t{n}.down.sql", f"DROP TABLE t{n};")
    assert cli("up").code == 0
    result = cli("down", "--all")
    assert result.code == 0, result.text
    assert not any(table_exists(db_conn, f"t{n}") for n in (1, 2, 3))
    assert all(s["state"] == "pending" for s in status_json(cli))
    assert cli("down", "--all", "--steps", "2").code == 2


def test_pop_database_tags_are_read_for_postgresql(cli: Cli, db_conn) -> None:
    """ory popx / gobuffalo pop: a .postgres. file replaces the untagged one of its version
    and direction, other databases' files are not read (not even decoded), .autocommit runs
    outside a transaction; validate counts the skipped files instead of warning on each."""
    v1, v2, v3 = "20191100000001000000", "20191100000002000000", "20191100000003000000"
    cli.write(f"{v1}_identities.postgres.up.sql", "CREATE TABLE identities (id uuid);\n")
    cli.write(f"{v1}_identities.postgres.down.sql", "DROP TABLE identities;\n")
    cli.write(f"{v1}_identities.mysql.up.sql", "CREATE TABLE identities (id CHAR(36)) ENGINE=x;\n")
    cli.write(f"{v1}_identities.mysql.down.sql", "DROP TABLE identities;\n")
    cli.write(f"{v1}_identities.sqlite3.up.sql", "CREATE TABLE identities (id TEXT);\n")
    (cli.project / "migrations" / f"{v1}_identities.cockroach.up.sql").write_bytes(b"\xff\xfe")
    # untagged: for every database, unless a .postgres. variant replaces it
    cli.write(f"{v2}_notes.up.sql", "CREATE TABLE notes (id int);\n")
    cli.write(f"{v2}_notes.down.sql", "DROP TABLE notes;\n")
    cli.write(f"{v3}_search.up.sql", "")  # empty for the databases without the index
    cli.write(f"{v3}_search.down.sql", "")
    cli.write(
        f"{v3}_search.postgres.autocommit.up.sql",
        "CREATE INDEX CONCURRENTLY notes_id ON notes (id);\n",
    )
    cli.write(f"{v3}_search.postgres.autocommit.down.sql", "DROP INDEX CONCURRENTLY notes_id;\n")
    states = status_json(cli)
    assert [(s["version"], s["name"], s["rollback"]) for s in states] == [
        (v1, "identities", "file"),
        (v2, "notes", "file"),
        (v3, "search", "file"),
    ]
    checked = cli("validate", "--offline")
    assert checked.code == 0, checked.text
    # four other databases' files, and the two untagged files the .postgres. ones replace
    expected = "0 warning(s). (6 files the layout's tool keeps for other databases or itself"
    assert expected in checked.out
    result = cli("up")
    assert result.code == 0, result.text
    assert "no transaction" in result.out  # the .autocommit index build
    assert table_exists(db_conn, "identities") and table_exists(db_conn, "notes")
    index = db_conn.execute("SELECT to_regclass('notes_id') IS NOT NULL").fetchone()
    assert index == (True,)
    assert cli("down", "--all").code == 0
    assert not table_exists(db_conn, "identities") and not table_exists(db_conn, "notes")


def test_prisma_migration_folders(cli: Cli, db_conn) -> None:
    """Prisma's prisma/migrations: one folder per migration with migration.sql (its step
    comments are not descriptions), its lock file kept quietly; a down.sql beside it, which
    Prisma ignores, is the rollback."""
    cli.write(
        "20210101000000_init/migration.sql",
        '-- CreateTable\nCREATE TABLE "User" (id SERIAL PRIMARY KEY);\n',
    )
    cli.write("20210101000000_init/down.sql", 'DROP TABLE "User";\n')
    cli.write(
        "20210202000000_add_email/migration.sql",
        '-- AlterTable\nALTER TABLE "User" ADD COLUMN email TEXT;\n',
    )
    cli.write("migration_lock.toml", 'provider = "postgresql"\n')
    states = status_json(cli)
    assert [(s["version"], s["description"], s["rollback"]) for s in states] == [
        ("20210101000000", "Init", "file"),
        ("20210202000000", "Add email", "none"),
    ]
    checked = cli("validate", "--offline")
    assert "migration_lock.toml" not in checked.out and "1 files the layout's tool" in checked.out
    assert cli("up").code == 0
    assert db_conn.execute("""SELECT to_regclass('"User"') IS NOT NULL""").fetchone() == (True,)
    refused = cli("down")
    assert refused.code == 1 and "20210202000000_add_email/down.sql" in refused.err
    made = new_migration(load_folder(cli.project / "migrations"), "add posts")
    assert [(p.parent.name.split("_", 1)[1], p.name) for p in made] == [
        ("add_posts", "migration.sql"),
        ("add_posts", "down.sql"),
    ]
    assert len(status_json(cli)) == 3


def test_atlas_directory(cli: Cli, db_conn) -> None:
    """Atlas's versioned files are paired files without rollbacks; its atlas.sum is its own
    checksum file (not a warning), `-- atlas:txmode none` runs a file outside a transaction."""
    cli.write("20220811074144_create_users.sql", "CREATE TABLE users (id int, email text);\n")
    cli.write(
        "20220811074145_email_index.sql",
        "-- atlas:txmode none\n\nCREATE INDEX CONCURRENTLY users_email ON users (email);\n",
    )
    cli.write(
        "20220811074146_backfill.sql",
        "-- atlas:txmode none\nUPDATE users SET email = lower(email);\n",
    )
    cli.write("atlas.sum", "h1:abc=\n20220811074144_create_users.sql h1:def=\n")
    plan = cli("plan").out
    assert "Backfill (statement by statement, no transaction)" in plan, plan
    assert "Create users (in a transaction)" in plan
    checked = cli("validate", "--offline")
    assert "atlas.sum" not in checked.out and "1 files the layout's tool" in checked.out
    result = cli("up")
    assert result.code == 0, result.text
    assert "applied" in result.out and "no transaction" in result.out
    assert table_exists(db_conn, "users")


def test_graphile_migrate_committed_migrations(cli: Cli, db_conn) -> None:
    """graphile-migrate's committed/000001.sql: a bare version, its message as the description,
    `--! no-transaction` honoured; `slipway new` points to graphile-migrate's own commit."""
    cli.write(
        "000001.sql",
        "--! Previous: -\n--! Hash: sha1:aaaa\n--! Message: create users\n\n"
        "CREATE TABLE users (id int, email text);\n",
    )
    cli.write(
        "000002.sql",
        "--! Previous: sha1:aaaa\n--! Hash: sha1:bbbb\n--! no-transaction\n\n"
        "UPDATE users SET email = lower(email);\n",
    )
    states = status_json(cli)
    assert [(s["version"], s["name"], s["description"], s["rollback"]) for s in states] == [
        ("000001", "create_users", "create users", "none"),
        ("000002", "", "", "none"),
    ]
    assert "warning: 000002 has no rollback script" in cli("validate", "--offline").out
    assert "(statement by statement, no transaction)" in cli("plan").out
    assert cli("up").code == 0
    assert table_exists(db_conn, "users")
    made = cli("new", "add notes", url=False)
    assert made.code == 2 and "graphile-migrate commit" in made.err
