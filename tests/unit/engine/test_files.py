"""Layouts, statement analysis, settings, scaffolding and masking: no database needed."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from slipway.config import load_settings, parse_duration
from slipway.db import mask_url
from slipway.errors import ConfigError, MigrationFailed, MigrationLayoutError
from slipway.migrations.layouts import describe, load_folder
from slipway.migrations.model import Script, checksum, version_key
from slipway.migrations.scaffold import new_migration, next_version, slugify
from slipway.migrations.statements import ParsedScript
from slipway.sql import line_col


def write(folder: Path, name: str, text: str = "SELECT 1;") -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def parsed(sql: str, transactional: bool | None = None) -> ParsedScript:
    return ParsedScript(Script(path=Path("m.sql"), sql=sql, transactional=transactional))


@pytest.mark.parametrize(
    ("sql", "mode"),
    [
        ("CREATE TABLE t (id int);", "transaction"),
        (
            "CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $$ BEGIN RETURN 1; END $$;",
            "transaction",
        ),
        ("CREATE INDEX CONCURRENTLY i ON t (a);", "statements"),
        ("DROP INDEX CONCURRENTLY i;", "statements"),
        ("REINDEX INDEX CONCURRENTLY i;", "statements"),
        ("VACUUM t;", "statements"),
        ("ALTER SYSTEM SET work_mem = '8MB';", "statements"),
        ("CREATE DATABASE other;", "statements"),
        ("BEGIN;\nCREATE TABLE t (id int);\nCOMMIT;", "wrapped"),
        ("START TRANSACTION; CREATE TABLE t (id int); COMMIT;", "wrapped"),
        ("BEGIN; SELECT 1; COMMIT; BEGIN; SELECT 2; COMMIT;", "statements"),
        ("-- the word concurrently in a comment\nCREATE TABLE t (id int);", "transaction"),
    ],
)
def test_transaction_mode_is_decided_by_parsing(sql: str, mode: str) -> None:
    assert parsed(sql).mode == mode


def test_directive_forces_statement_mode() -> None:
    assert parsed("CREATE TABLE t (id int);", transactional=False).mode == "statements"


def test_wrapped_body_excludes_begin_and_commit() -> None:
    p = parsed("BEGIN;\nCREATE TABLE t (id int);\nCOMMIT;\n")
    body, offset = p.body_sql()
    assert "BEGIN" not in body and "COMMIT" not in body and "CREATE TABLE t" in body
    assert p.script.sql[offset : offset + len(body)] == body  # offsets map back to the file


def test_syntax_error_has_line_and_column_even_after_multibyte_text() -> None:
    p = ParsedScript(Script(path=Path("m.sql"), sql="SELECT 'héllo';\n  SELEC 1;", line_offset=10))
    with pytest.raises(MigrationFailed, match=r"m\.sql:12:3: syntax error at or near \"SELEC\""):
        p.check_syntax()


def test_statement_spans_use_characters_not_bytes() -> None:
    sql = "SELECT 'ééé';\nCREATE INDEX CONCURRENTLY i ON t (a);"
    statements = parsed(sql).statement_texts()
    assert [text for _, text in statements] == [
        "SELECT 'ééé'",
        "CREATE INDEX CONCURRENTLY i ON t (a)",
    ]


def test_line_col() -> None:
    assert line_col("ab\ncd", 0) == (1, 1)
    assert line_col("ab\ncd", 4) == (2, 2)


def test_versions_sort_as_numbers() -> None:
    keys = sorted(["10", "9", "0001", "2019-02-26-002946", "20251109"], key=version_key)
    assert keys == ["0001", "9", "10", "20251109", "2019-02-26-002946"]
    assert version_key("1.2.10") > version_key("1.2.9")


def test_checksum_ignores_line_endings_and_bom() -> None:
    assert checksum("a\nb\n") == checksum("a\r\nb\r\n") == checksum("\ufeffa\rb\r")
    assert checksum("a\nb\n") != checksum("a\nb \n")


def test_description_is_first_comment_else_humanized_name() -> None:
    assert describe("-- Add the users table\nCREATE TABLE users ();", "x") == "Add the users table"
    assert describe("\n-- migrate:up\n--\n-- Real one\nSELECT 1", "x") == "Real one"
    assert describe("CREATE TABLE t ();\n-- later comment", "add_users_table") == "Add users table"


def test_unreadable_and_non_utf8_files_are_named(tmp_path: Path) -> None:
    bad = tmp_path / "0001_latin.sql"
    bad.write_bytes(b"SELECT '\xe9';")
    with pytest.raises(MigrationLayoutError, match="0001_latin.sql: not valid UTF-8"):
        load_folder(tmp_path)
    bad.unlink()
    # A dangling symlink cannot be read even by root (CI runs as root).
    (tmp_path / "0002_gone.sql").symlink_to(tmp_path / "nowhere.sql")
    with pytest.raises(
        MigrationLayoutError,
        match="0002_gone.sql: is a symbolic link to .*nowhere.sql, which does not exist",
    ):
        load_folder(tmp_path)


def test_missing_folder_is_a_configuration_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="does not exist; run `slipway init`"):
        load_folder(tmp_path / "nope")


def test_rollback_without_migration_is_ignored_with_a_reason(tmp_path: Path) -> None:
    write(tmp_path, "0001_a.sql")
    write(tmp_path, "0002_b.down.sql")
    mset = load_folder(tmp_path)
    assert [m.version for m in mset.migrations] == ["0001"]
    assert [(i.path.name, i.reason) for i in mset.ignored] == [
        ("0002_b.down.sql", "no migration with version 0002")
    ]


def test_directives_lock_timeout_and_unknown(tmp_path: Path) -> None:
    write(tmp_path, "0001_a.sql", "-- slipway: lock-timeout 30s\nALTER TABLE t ADD c int;")
    write(tmp_path, "0002_b.sql", "-- slipway: no-transaction\nSELECT 1;")
    mset = load_folder(tmp_path)
    assert mset.migrations[0].up.lock_timeout == 30.0
    assert mset.migrations[1].up.transactional is False
    write(tmp_path, "0003_c.sql", "-- slipway: make-it-fast\nSELECT 1;")
    with pytest.raises(MigrationLayoutError, match="unknown directive"):
        load_folder(tmp_path)


def test_parse_duration() -> None:
    assert parse_duration("2s") == 2.0
    assert parse_duration("500ms") == 0.5
    assert parse_duration("1m") == 60.0
    assert parse_duration("3") == 3.0
    with pytest.raises(ConfigError, match="not a duration"):
        parse_duration("soon")


def test_settings_precedence(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    assert load_settings().database_source == "embedded"
    (tmp_path / "pyproject.toml").write_text(
        '[tool.slipway.database]\nurl = "postgresql://py@h/db"\n[tool.slipway.migrations]\ndirectory = "db/mig"\n'
    )
    cfg = load_settings()
    assert (cfg.database_url, cfg.database_source) == ("postgresql://py@h/db", "pyproject.toml")
    assert cfg.migrations_dir == tmp_path / "db" / "mig"
    (tmp_path / "slipway.toml").write_text('[database]\nurl = "postgresql://u:${PW}@h/db"\n')
    monkeypatch.setenv("PW", "s3cret")
    assert load_settings().database_url == "postgresql://u:s3cret@h/db"
    monkeypatch.setenv("DATABASE_URL", "postgresql://env@h/db")
    assert load_settings().database_source == "DATABASE_URL"
    assert load_settings(database_url="postgresql://flag@h/db").database_source == "flag"
    assert load_settings(migrations="elsewhere").migrations_dir == tmp_path / "elsewhere"


def test_config_errors_are_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "slipway.toml").write_text("[migrations\n")
    with pytest.raises(ConfigError, match="invalid TOML"):
        load_settings()
    (tmp_path / "slipway.toml").write_text(
        '[database]\nurl = "postgresql://u:${NOPE_UNSET}@h/db"\n'
    )
    monkeypatch.delenv("DATABASE_URL", raising=False)
    with pytest.raises(ConfigError, match="NOPE_UNSET"):
        load_settings()


def test_mask_url_hides_passwords() -> None:
    assert mask_url("postgresql://bob:s3cr3t@db:5432/app") == "postgresql://bob:***@db:5432/app"
    assert "s3cr3t" not in mask_url("host=db password=s3cr3t dbname=app")
    assert "s3cr3t" not in mask_url("postgresql://db/app?password=s3cr3t&sslmode=require")
    assert mask_url("postgresql://bob@db/app") == "postgresql://bob@db/app"


def test_mask_url_hides_passwords_holding_at_signs_colons_and_slashes() -> None:
    assert mask_url("postgresql://u:p@ss:Secret@host/db") == "postgresql://u:***@host/db"
    assert (
        mask_url("postgres://u:a/b@c@h:5/d?sslmode=require")
        == "postgres://u:***@h:5/d?sslmode=require"
    )
    assert (
        mask_url("failed: postgresql://u:x@y@h/db: refused")
        == "failed: postgresql://u:***@h/db: refused"
    )


def test_an_unreachable_url_with_an_at_sign_in_its_password_is_shown_masked(tmp_path: Path) -> None:
    import subprocess
    import sys

    url = "postgresql://u:p@ss:Secret@127.0.0.1:1/db"
    proc = subprocess.run(
        [sys.executable, "-m", "slipway", "status", "--database-url", url],
        check=False,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 2
    assert "127.0.0.1" in proc.stderr and "u:***@127.0.0.1" in proc.stderr
    assert "Secret" not in proc.stderr + proc.stdout and "p@ss" not in proc.stderr + proc.stdout


def test_next_version_follows_the_folders_scheme(tmp_path: Path) -> None:
    now = datetime(2026, 11, 22, 9, 30, 0, tzinfo=UTC)
    assert next_version(load_folder(tmp_path), now) == "0001"
    write(tmp_path, "0009_a.sql")
    assert next_version(load_folder(tmp_path), now) == "0010"
    write(tmp_path, "20251109120000_b.sql")
    assert next_version(load_folder(tmp_path), now) == "20261122093000"


def test_new_migration_in_each_layout(tmp_path: Path) -> None:
    write(tmp_path, "V1__init.sql")
    paths = new_migration(load_folder(tmp_path), "Add users!")
    assert [p.name for p in paths] == ["V2__add_users.sql", "U2__add_users.sql"]
    other = tmp_path / "dbmate"
    write(other, "20240101000000_init.sql", "-- migrate:up\nSELECT 1;\n-- migrate:down\n")
    (created,) = new_migration(load_folder(other), "next one")
    assert "-- migrate:up" in created.read_text() and "-- migrate:down" in created.read_text()
    assert len(load_folder(other).migrations) == 2
    with pytest.raises(ConfigError):
        slugify("!!!")


def test_new_migration_in_a_pop_folder_is_tagged_and_timestamped(tmp_path: Path) -> None:
    """ory popx's versions are a timestamp and a six-digit step; a folder tagged for
    PostgreSQL gets a .postgres. file (an untagged one would run on every database)."""
    now = datetime(2026, 11, 22, 9, 30, 0, tzinfo=UTC)
    write(tmp_path, "20210410175418000005_network.postgres.up.sql", "SELECT 1;")
    write(tmp_path, "20210410175418000005_network.mysql.up.sql", "SELECT 1;")
    write(tmp_path, "20210410175418000006_network.up.sql", "SELECT 1;")
    write(tmp_path, "20210410175418000007_network.postgres.up.sql", "SELECT 1;")
    mset = load_folder(tmp_path)
    assert next_version(mset, now) == "20261122093000000000"
    paths = new_migration(mset, "add widgets")
    assert [p.name.split("_", 1)[1] for p in paths] == [
        "add_widgets.postgres.up.sql",
        "add_widgets.postgres.down.sql",
    ]
    plain = tmp_path / "plain"
    write(plain, "000001_a.up.sql", "SELECT 1;")
    assert [p.name for p in new_migration(load_folder(plain), "b")] == [
        "000002_b.up.sql",
        "000002_b.down.sql",
    ]


def test_a_lone_file_named_like_a_rollback_is_a_migration(tmp_path: Path) -> None:
    write(tmp_path, "0015_no_rollback.sql", "-- Remove the rollback flag\nSELECT 1;")
    write(tmp_path, "0016_add.sql", "SELECT 2;")
    write(tmp_path, "0016_add_rollback.sql", "SELECT 3;")
    mset = load_folder(tmp_path)
    assert [(m.version, m.name, m.down is not None) for m in mset.migrations] == [
        ("0015", "no_rollback", False),
        ("0016", "add", True),
    ]
    assert mset.migrations[0].description == "Remove the rollback flag"
    assert mset.ignored == []


@pytest.mark.parametrize(
    ("text", "words"),
    [
        (
            "-- +migrate Up\nSELECT 1;\n-- +migrate Up\nSELECT 2;\n",
            "more than one '-- +migrate Up'",
        ),
        ("-- Down Migration\nSELECT 1;\n", "has '-- Down Migration' but no '-- Up Migration'"),
        (
            (
                "SELECT 1;\n---- create above / drop below ----\nSELECT 2;\n"
                "---- create above / drop below ----\n"
            ),
            "more than one '---- create above / drop below ----' line",
        ),
        ("-- +goose Down\nDROP TABLE t;\n", "has '-- +goose Down' but no '-- +goose Up'"),
    ],
    ids=["sql-migrate twice", "node-pg-migrate no up", "tern twice", "goose no up"],
)
def test_a_file_with_broken_sections_is_refused_naming_it(
    tmp_path: Path, text: str, words: str
) -> None:
    """A file whose sections cannot be told apart runs nothing: one line naming the file."""
    write(tmp_path, "001_x.sql", text)
    with pytest.raises(MigrationLayoutError, match=re.escape(words)) as info:
        load_folder(tmp_path)
    assert "001_x.sql" in str(info.value)
