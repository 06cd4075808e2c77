"""`slipway verify`: every kind of broken rollback is reported and named; clean ones pass."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from verify_helpers import BASE, Corpus, slipway, write_corpus

from pg_fixtures import skip_without_extension
from slipway.errors import ConfigError
from slipway.migrations.layouts import load_folder
from slipway.verify.roundtrip import Options, Result, verify_migrations
from slipway.verify.scratch import scratch_database, user_objects

# Each planted migration: (up, down, verify); the test below says what must be reported.
BROKEN: Corpus = {
    **BASE,
    "0002_index_left": (
        "CREATE INDEX customers_email_idx ON customers (email);\n",
        "SELECT 1;\n",
        None,
    ),
    "0003_default": (
        "ALTER TABLE customers ALTER COLUMN opted_out_at SET DEFAULT now();\n",
        "ALTER TABLE customers ALTER COLUMN opted_out_at SET DEFAULT '-infinity';\n",
        None,
    ),
    "0004_function": (
        (
            "CREATE OR REPLACE FUNCTION increment_usage_metrics(p_id uuid, p_count int) RETURNS int\n"
            "LANGUAGE sql AS $$ SELECT p_count + 2 $$;\n"
        ),
        (
            "CREATE OR REPLACE FUNCTION increment_usage_metrics(p_id uuid, p_count int) RETURNS int\n"
            "LANGUAGE sql AS $$ SELECT p_count + 100 $$;\n"
        ),
        None,
    ),
    "0005_policy": (
        "CREATE POLICY tenant_only ON customers USING (dealership_id = 1);\n",
        "SELECT 1;\n",
        None,
    ),
    "0006_rls": ("ALTER TABLE customers ENABLE ROW LEVEL SECURITY;\n", "SELECT 1;\n", None),
    "0007_enum": ("ALTER TYPE lead_status ADD VALUE 'archived';\n", "SELECT 1;\n", None),
    "0008_trigger": (
        (
            "CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;\n"
            "CREATE TRIGGER customers_touch BEFORE UPDATE ON customers\n"
            "  FOR EACH ROW EXECUTE FUNCTION touch();\n"
        ),
        (
            "DROP FUNCTION touch() CASCADE;\n"
            "CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;\n"
            "CREATE TRIGGER customers_touch BEFORE UPDATE ON customers\n"
            "  FOR EACH ROW EXECUTE FUNCTION touch();\n"
        ),
        None,
    ),
    "0009_view": (
        (
            "CREATE OR REPLACE VIEW customer_emails AS SELECT id, email, opted_out_at "
            "FROM customers;\n"
        ),
        (
            "DROP VIEW customer_emails;\n"
            "CREATE VIEW customer_emails AS SELECT id, lower(email) AS email FROM customers;\n"
        ),
        None,
    ),
    "0010_grant": ("GRANT SELECT ON customers TO pg_monitor;\n", "SELECT 1;\n", None),
    "0011_comment": ("COMMENT ON TABLE customers IS 'people who buy cars';\n", "SELECT 1;\n", None),
    "0012_sequence": ("CREATE SEQUENCE invoice_numbers;\n", "SELECT 1;\n", None),
    "0013_down_errors": (
        "ALTER TABLE customers ADD COLUMN phone text;\n",
        (
            "-- undo\nALTER TABLE customers DROP COLUMN phone;\n"
            "ALTER TABLE customers DROP COLUMN fax;\n"
        ),
        None,
    ),
    "0014_verify_fails": (
        "ALTER TABLE customers ADD COLUMN notes text;\n",
        "ALTER TABLE customers DROP COLUMN notes;\n",
        "SELECT 1;\nSELECT note FROM customers;\n",
    ),
    "0015_archive": ("CREATE TABLE archive (id int PRIMARY KEY);\n", None, None),
    "0016_concurrently": (
        ("CREATE INDEX CONCURRENTLY customers_dealer_idx ON customers (dealership_id);\n"),
        "DROP INDEX CONCURRENTLY customers_dealer_idx;\n",
        None,
    ),
    "0017_after_all_that": (
        "ALTER TABLE archive ADD COLUMN at date;\n",
        "ALTER TABLE archive DROP COLUMN at;\n",
        "SELECT at FROM archive;\n",
    ),
}

EXPECTED = {  # version -> (verdict, text that must appear in a difference or the error)
    "0001": ("ok", None),
    "0002": ("rollback-incomplete", "index customers_email_idx left behind"),
    "0003": ("rollback-incomplete", "column customers.opted_out_at default changed from NULL to"),
    "0004": ("rollback-incomplete", "function increment_usage_metrics(uuid, integer) body differs"),
    "0005": ("rollback-incomplete", "policy tenant_only on customers left behind"),
    "0006": ("rollback-incomplete", "table customers row level security now enabled"),
    "0007": (
        "rollback-incomplete",
        "enum lead_status values changed from [new, contacted] to [new, contacted, archived]",
    ),
    "0008": ("rollback-incomplete", "trigger customers_touch on customers left behind"),
    "0009": ("rollback-incomplete", "view customer_emails definition differs"),
    "0010": ("rollback-incomplete", "table customers grant SELECT to pg_monitor left behind"),
    "0011": ("rollback-incomplete", "table customers comment changed from none to"),
    "0012": ("rollback-incomplete", "sequence invoice_numbers left behind"),
    "0013": ("rollback-failed", "0013_down_errors.down.sql:3:"),
    "0014": ("verify-failed", "0014_verify_fails.verify.sql:2:"),
    "0015": ("no-rollback", None),
    "0016": ("ok", None),
    "0017": ("ok", None),
}


def _verify(pg_server: str, folder: Path, options: Options | None = None) -> list[Result]:
    with scratch_database(pg_server, prefix="slipway_vtest") as scratch:
        return verify_migrations(scratch, load_folder(folder).migrations, options or Options())


def test_every_planted_broken_rollback_is_reported_and_named(
    pg_server: str, tmp_path: Path
) -> None:
    folder = write_corpus(tmp_path / "migrations", BROKEN)
    results = {r.version: r for r in _verify(pg_server, folder, Options(check_snapshots=True))}
    assert sorted(results) == sorted(EXPECTED)
    for version, (verdict, needle) in EXPECTED.items():
        result = results[version]
        assert result.verdict == verdict, (version, result)
        if needle is not None:
            text = " | ".join(result.differences + [result.error or ""])
            assert needle in text, (version, text)
        if verdict == "ok":
            assert result.differences == [] and result.error is None
    assert results["0016"].mode == "committed"
    assert 'column "fax" of relation "customers" does not exist' in (results["0013"].error or "")
    assert "SQLSTATE 42703" in (results["0014"].error or "")


def test_trigger_left_behind_is_named(pg_server: str, tmp_path: Path) -> None:
    corpus: Corpus = {
        **BASE,
        "0002_trigger": (
            (
                "CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;\n"
                "CREATE TRIGGER customers_touch BEFORE UPDATE ON customers\n"
                "  FOR EACH ROW EXECUTE FUNCTION touch();\n"
            ),
            "DROP TRIGGER customers_touch ON customers;\n",
            None,
        ),
    }
    results = _verify(pg_server, write_corpus(tmp_path / "m", corpus))
    assert results[1].verdict == "rollback-incomplete"
    assert results[1].differences[0] == "function touch() left behind"
    assert results[1].differences[1].startswith("up failed after the rollback: ")
    assert 'function "touch" already exists' in results[1].differences[1]


def test_clean_corpus_passes_and_privileges_can_be_ignored(pg_server: str, tmp_path: Path) -> None:
    corpus: Corpus = {
        **BASE,
        "0002_grant": ("GRANT SELECT ON customers TO pg_monitor;\n", "SELECT 1;\n", None),
        "0003_index": (
            "CREATE INDEX CONCURRENTLY c_email ON customers (email);\n",
            "DROP INDEX CONCURRENTLY c_email;\n",
            None,
        ),
    }
    folder = write_corpus(tmp_path / "m", corpus)
    strict = _verify(pg_server, folder)
    assert [r.verdict for r in strict] == ["ok", "rollback-incomplete", "ok"]
    lenient = _verify(pg_server, folder, Options(privileges=False, thorough=True))
    assert [r.verdict for r in lenient] == ["ok", "ok", "ok"]


def test_broken_rollback_of_a_concurrent_migration_rebuilds_and_goes_on(
    pg_server: str, tmp_path: Path
) -> None:
    corpus: Corpus = {
        **BASE,
        "0002_cic": (
            "CREATE INDEX CONCURRENTLY c_email ON customers (email);\n",
            "DROP INDEX CONCURRENTLY c_email;\nDROP INDEX nope;\n",
            None,
        ),
        "0003_cic_left": (
            ("CREATE INDEX CONCURRENTLY c_dealer ON customers (dealership_id);\n"),
            "SELECT 1;\n",
            None,
        ),
        "0004_next": (
            "DROP INDEX c_email;\n",
            "CREATE INDEX c_email ON customers (email);\n",
            None,
        ),
    }
    results = _verify(pg_server, write_corpus(tmp_path / "m", corpus))
    assert [r.verdict for r in results] == ["ok", "rollback-failed", "rollback-incomplete", "ok"]
    assert "0002_cic.down.sql:2:1" in (results[1].error or "")
    assert results[2].differences[0] == "index c_dealer left behind"
    assert len(results[2].differences) == 2  # and the second up failed: it already exists


def test_failing_up_is_its_verdict_and_the_run_goes_on(pg_server: str, tmp_path: Path) -> None:
    corpus: Corpus = {
        **BASE,
        "0002_bad": ("ALTER TABLE nowhere ADD COLUMN x int;\n", "SELECT 1;\n", None),
        "0003_never": ("CREATE TABLE t (id int);\n", "DROP TABLE t;\n", None),
    }
    results = _verify(pg_server, write_corpus(tmp_path / "m", corpus))
    assert [r.verdict for r in results] == ["ok", "up-failed", "ok"]
    assert '0002_bad.sql:1:1: relation "nowhere" does not exist' in (results[1].error or "")


def test_cli_json_and_exit_codes(pg_server: str, project: Path) -> None:
    write_corpus(
        project / "migrations",
        {**BASE, "0002_norollback": ("CREATE TABLE t (id int);\n", None, None)},
    )
    run = slipway(project, pg_server, "verify", "--format", "json")
    assert run.returncode == 1, run.stderr
    data = json.loads(run.stdout)["results"]
    assert data == [
        {
            "version": "0001",
            "name": "customers",
            "verdict": "ok",
            "differences": [],
            "column_order": [],
            "error": None,
        },
        {
            "version": "0002",
            "name": "norollback",
            "verdict": "no-rollback",
            "differences": [],
            "column_order": [],
            "error": None,
        },
    ]
    run = slipway(project, pg_server, "verify", "--allow-no-rollback")
    assert run.returncode == 0, run.stdout + run.stderr
    assert "0002 norollback ... no-rollback" in run.stdout
    assert "2 of 2 migration(s) verified" in run.stdout


def test_scratch_database_is_dropped_even_on_interrupt(pg_server: str) -> None:
    def scratch_dbs() -> set[str]:
        with psycopg.connect(pg_server, autocommit=True) as conn:
            rows = conn.execute(
                "SELECT datname FROM pg_database WHERE datname LIKE 'slipway_vint%'"
            )
            return {str(r[0]) for r in rows}

    with pytest.raises(KeyboardInterrupt), scratch_database(pg_server, prefix="slipway_vint") as s:
        assert scratch_dbs() == {s.name}
        with s.connect() as conn:
            conn.execute("CREATE TABLE t (id int)")
        raise KeyboardInterrupt
    assert scratch_dbs() == set()


def test_scratch_url_must_be_empty_and_is_emptied_afterwards(
    pg_server: str, db_url: str, tmp_path: Path
) -> None:
    folder = write_corpus(tmp_path / "m", BASE)
    with scratch_database(None, db_url) as scratch:
        assert not scratch.owned
        results = verify_migrations(scratch, load_folder(folder).migrations)
    assert [r.verdict for r in results] == ["ok"]
    with psycopg.connect(db_url, autocommit=True) as conn:
        assert user_objects(conn) == []
        conn.execute("CREATE TABLE leftover (id int)")
    with pytest.raises(ConfigError, match="is not empty"), scratch_database(None, db_url):
        pass


def test_incremental_snapshots_match_full_ones_on_the_bench_corpus(
    pg_server: str, tmp_path: Path
) -> None:
    """Every snapshot taken while verifying 80 real-world-shaped migrations is cross-checked
    against a full introspection (SnapshotMismatch otherwise)."""
    skip_without_extension("pg_trgm")  # the corpus enables it
    corpus = Path(__file__).resolve().parents[3] / "bench" / "corpus.py"
    subprocess.run(
        [sys.executable, str(corpus), str(tmp_path / "c"), "--count", "80"],
        check=True,
        capture_output=True,
    )
    results = _verify(pg_server, tmp_path / "c", Options(check_snapshots=True))
    assert [r.verdict for r in results] == ["ok"] * 80, [r for r in results if r.verdict != "ok"]


def test_rylie_rollbacks_are_exact(pg_server: str) -> None:
    folder = Path(__file__).resolve().parents[3] / "src/slipway/examples/rylie/migrations"
    results = _verify(pg_server, folder, Options(check_snapshots=True))
    assert len(results) >= 20
    assert [r for r in results if r.verdict != "ok"] == []
