"""`slipway lint` on patterns found in real public migration folders (bench/real_corpora_lint.md).

Each test is a small fixture of our own that reproduces one quirk a real corpus showed.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner


def _lint(app: typer.Typer, folder: Path, files: dict[str, str]) -> list[dict[str, object]]:
    folder.mkdir()
    for name, sql in files.items():
        (folder / name).write_text(sql, encoding="utf-8")
    result = CliRunner().invoke(app, ["lint", "--no-cache", "-f", "json", str(folder)])
    assert result.exit_code in (0, 1), result.output
    rows: list[dict[str, object]] = json.loads(result.output)["findings"]
    return rows


CREATE = {
    "0001_leads.sql": "CREATE TABLE leads (id bigint PRIMARY KEY);",
    "0001_leads.down.sql": "DROP TABLE leads;",
}


@pytest.mark.parametrize(
    ("emptying", "fires"),
    [
        ("DELETE FROM leads;", False),  # lemmy 2021-03-09-171136, ente 84
        ("TRUNCATE TABLE leads;", False),  # upchieve 20220614163056
        ("TRUNCATE leads, other CASCADE;", False),
        ("DELETE FROM leads WHERE id < 10;", True),  # some rows stay
        ("DELETE FROM leads; INSERT INTO leads VALUES (1);", True),  # refilled
        ("DELETE FROM other;", True),  # another table
    ],
)
def test_required_column_on_a_table_the_migration_emptied(
    app: typer.Typer, tmp_path: Path, emptying: str, fires: bool
) -> None:
    files = {
        **CREATE,
        "0002_source.sql": f"{emptying}\nALTER TABLE leads ADD COLUMN source text NOT NULL;",
        "0002_source.down.sql": "ALTER TABLE leads DROP COLUMN source;",
    }
    rows = _lint(app, tmp_path / "m", files)
    hits = [r for r in rows if r["name"] == "adding-required-field"]
    assert bool(hits) is fires, rows


def test_table_emptied_by_an_earlier_migration_may_have_rows_again(
    app: typer.Typer, tmp_path: Path
) -> None:
    files = {
        **CREATE,
        "0002_empty.sql": "DELETE FROM leads;",
        "0002_empty.down.sql": "SELECT 1;",
        "0003_source.sql": "ALTER TABLE leads ADD COLUMN source text NOT NULL;",
        "0003_source.down.sql": "ALTER TABLE leads DROP COLUMN source;",
    }
    rows = _lint(app, tmp_path / "m", files)
    assert [r["location"]["line"] for r in rows if r["name"] == "adding-required-field"] == [1], (
        rows
    )


def _fk_hits(rows: list[dict[str, object]]) -> list[str]:
    return [str(r["message"]) for r in rows if r["name"] == "foreign-key-without-index"]


PARENT = "CREATE TABLE parents (id bigint PRIMARY KEY);\n"


def test_unnamed_foreign_key_dropped_by_its_default_name(app: typer.Typer, tmp_path: Path) -> None:
    """upchieve 20220711163000 drops inline foreign keys by PostgreSQL's name and re-adds them."""
    long_table = "survey_questions_response_choices"  # the default name is truncated to 63 bytes
    files = {
        "0001_a.sql": PARENT + f"CREATE TABLE {long_table} (id bigint PRIMARY KEY,"
        " surveys_survey_question_id bigint REFERENCES parents (id));\n"
        "CREATE TABLE kids (id bigint PRIMARY KEY, parent_id bigint REFERENCES parents);",
        "0001_a.down.sql": f"DROP TABLE kids, {long_table}, parents;",
        "0002_cascade.sql": f"ALTER TABLE {long_table} DROP CONSTRAINT IF EXISTS"
        " survey_questions_response_choic_surveys_survey_question_id_fkey;\n"
        f"ALTER TABLE {long_table} ADD CONSTRAINT"
        " survey_questions_response_choic_surveys_survey_question_id_fkey"
        " FOREIGN KEY (surveys_survey_question_id) REFERENCES parents (id) ON DELETE CASCADE;\n"
        "ALTER TABLE kids DROP CONSTRAINT kids_parent_id_fkey;\n"
        "ALTER TABLE kids ADD CONSTRAINT kids_parent_id_fkey FOREIGN KEY (parent_id)"
        " REFERENCES parents ON DELETE CASCADE;",
        "0002_cascade.down.sql": "SELECT 1;",
    }
    hits = _fk_hits(_lint(app, tmp_path / "m", files))
    assert len(hits) == 2, hits  # one per foreign key, not one per ADD


def test_unnamed_unique_constraints_each_count_as_an_index(
    app: typer.Typer, tmp_path: Path
) -> None:
    """upchieve pre_session_surveys: `session_id ... UNIQUE`, later `ADD COLUMN mongo_id UNIQUE`."""
    files = {
        "0001_a.sql": PARENT + "CREATE TABLE surveys (id bigint PRIMARY KEY,"
        " parent_id bigint NOT NULL UNIQUE REFERENCES parents (id));",
        "0001_a.down.sql": "DROP TABLE surveys, parents;",
        "0002_b.sql": "ALTER TABLE surveys ADD COLUMN mongo_id text UNIQUE;",
        "0002_b.down.sql": "ALTER TABLE surveys DROP COLUMN mongo_id;",
    }
    assert _fk_hits(_lint(app, tmp_path / "m", files)) == []


def test_dropped_column_takes_its_foreign_key_and_indexes(app: typer.Typer, tmp_path: Path) -> None:
    """upchieve 20220330203235 drops schools.us_state_code, and PostgreSQL its foreign key."""
    files = {
        "0001_a.sql": PARENT + "CREATE TABLE schools (id bigint PRIMARY KEY,"
        " parent_id bigint REFERENCES parents (id), other_id bigint REFERENCES parents (id));\n"
        "CREATE INDEX schools_other ON schools (other_id, id);",
        "0001_a.down.sql": "DROP TABLE schools, parents;",
        "0002_b.sql": "ALTER TABLE schools DROP COLUMN parent_id;\n"
        "ALTER TABLE schools DROP COLUMN id;",  # the index on (other_id, id) goes with it
        "0002_b.down.sql": "SELECT 1;",
    }
    hits = _fk_hits(_lint(app, tmp_path / "m", files))
    assert len(hits) == 1 and "(other_id)" in hits[0], hits


def test_rollback_follows_what_the_up_script_renamed(app: typer.Typer, tmp_path: Path) -> None:
    """ente 90: ADD COLUMN id_text ... RENAME COLUMN id_text TO id; the down drops id."""
    files = {
        **CREATE,
        "0002_text_id.sql": "ALTER TABLE leads ADD COLUMN id_text text;\n"
        "ALTER TABLE leads DROP COLUMN id;\n"
        "ALTER TABLE leads RENAME COLUMN id_text TO id;\n"
        "CREATE TABLE notes_new (id bigint PRIMARY KEY, body text);\n"
        "CREATE INDEX notes_new_body ON notes_new (body);\n"
        "ALTER INDEX notes_new_body RENAME TO notes_body;\n"
        "ALTER TABLE notes_new RENAME TO notes;\n"
        "ALTER TABLE notes ADD COLUMN kept text;\n"
        "CREATE TABLE gone (id bigint);\n"
        "ALTER TABLE gone RENAME TO stays;",
        "0002_text_id.down.sql": "ALTER TABLE leads DROP COLUMN id;\n"
        "ALTER TABLE leads ADD COLUMN id bigint PRIMARY KEY;\n"
        "DROP TABLE notes;\n"
        "DROP TABLE gone;",
    }
    rows = _lint(app, tmp_path / "m", files)
    hits = [str(r["message"]) for r in rows if r["name"] == "rollback-incomplete"]
    assert len(hits) == 1 and hits[0].startswith("table stays "), hits


def test_renaming_an_enum_value_appends_nothing(app: typer.Typer, tmp_path: Path) -> None:
    """lemmy 2023-04-14-175955: ALTER TYPE ... RENAME VALUE keeps the value's place."""
    files = {
        "0001_a.sql": "CREATE TYPE mode AS ENUM ('closed', 'open');",
        "0001_a.down.sql": "DROP TYPE mode;",
        "0002_b.sql": "ALTER TYPE mode RENAME VALUE 'closed' TO 'Closed';\n"
        "ALTER TYPE mode ADD VALUE 'Private';",
        "0002_b.down.sql": "SELECT 1;",
    }
    rows = _lint(app, tmp_path / "m", files)
    hits = [r for r in rows if r["name"] == "require-enum-value-ordering"]
    assert [r["location"]["line"] for r in hits] == [2], hits
