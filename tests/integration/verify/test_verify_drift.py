"""`slipway diff`: hand-made changes to the live database are found and named."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import psycopg
import pytest
from verify_helpers import BASE, Corpus, slipway, write_corpus

from slipway.errors import Refused
from slipway.migrations.layouts import load_folder
from slipway.verify.drift import detect_drift
from slipway.verify.scratch import scratch_database

Conn = psycopg.Connection[Any]
CORPUS: Corpus = {
    **BASE,
    "0002_leads": (
        (
            "CREATE TABLE leads (id int PRIMARY KEY, customer_id bigint REFERENCES customers,"
            " source text NOT NULL DEFAULT 'web');\n"
        ),
        "DROP TABLE leads;\n",
        None,
    ),
    "0003_pending": ("CREATE TABLE later (id int);\n", "DROP TABLE later;\n", None),
}


def _apply_two(project: Path, db_url: str) -> None:
    write_corpus(project / "migrations", CORPUS)
    run = slipway(project, db_url, "up", "--to", "0002")
    assert run.returncode == 0, run.stdout + run.stderr


def test_clean_database_has_no_drift(project: Path, db_url: str) -> None:
    write_corpus(project / "migrations", CORPUS)
    run = slipway(project, db_url, "diff")
    assert run.returncode == 1 and "has no slipway_migrations table" in run.stderr
    _apply_two(project, db_url)
    run = slipway(project, db_url, "diff")
    assert run.returncode == 0, run.stdout + run.stderr
    assert "no drift: the database matches its 2 applied migration(s)" in run.stdout


def test_hand_made_changes_are_named(project: Path, db_url: str, db_conn: Conn) -> None:
    _apply_two(project, db_url)
    db_conn.execute("CREATE INDEX leads_source_idx ON leads (source)")
    db_conn.execute("ALTER TABLE customers DROP COLUMN opted_out_at")
    db_conn.execute(
        "CREATE OR REPLACE FUNCTION increment_usage_metrics(p_id uuid, p_count int) "
        "RETURNS int LANGUAGE sql AS $$ SELECT p_count + 5 $$"
    )
    run = slipway(project, db_url, "diff", "--format", "json")
    assert run.returncode == 1, run.stdout + run.stderr
    data = json.loads(run.stdout)
    assert data["drift"] is True and data["applied"] == ["0001", "0002"]
    messages = sorted(c["message"] for c in data["changes"])
    assert messages == sorted(
        [
            "index leads_source_idx added",
            "column customers.opted_out_at dropped",
            "function increment_usage_metrics(uuid, integer) body differs",
        ]
    )
    text = slipway(project, db_url, "diff")
    assert text.returncode == 1
    assert "drift: 3 difference(s)" in text.stdout
    assert "  - index leads_source_idx added" in text.stdout


def test_edited_file_is_noted_and_missing_file_refused(
    project: Path, db_url: str, pg_server: str
) -> None:
    _apply_two(project, db_url)
    folder = project / "migrations"
    up = folder / "0002_leads.sql"
    up.write_text(up.read_text() + "COMMENT ON TABLE leads IS 'edited';\n")
    with psycopg.connect(db_url, autocommit=True) as target:
        with scratch_database(pg_server, prefix="slipway_vdrift") as scratch:
            report = detect_drift(target, scratch, load_folder(folder), "slipway_migrations")
        assert report.edited == ["0002"]
        assert [c.message for c in report.changes] == [
            "table leads comment changed from 'edited' to none"
        ]
        up.unlink()
        (folder / "0002_leads.down.sql").unlink()
        with (
            scratch_database(pg_server, prefix="slipway_vdrift") as scratch,
            pytest.raises(Refused, match="0002 have no file"),
        ):
            detect_drift(target, scratch, load_folder(folder), "slipway_migrations")
