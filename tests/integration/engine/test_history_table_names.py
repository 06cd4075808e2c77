"""The configured history table is created, looked up and locked by one spelling."""

from __future__ import annotations

import psycopg
import pytest
from engine_helpers import Cli, query


@pytest.mark.parametrize(
    "table", ["DeployHistory", "public.Mixed", "deploy history", "Déploiement"]
)
def test_a_mixed_case_or_unusual_history_table_is_found_again(
    cli: Cli, db_conn, table: str
) -> None:
    (cli.project / "slipway.toml").write_text(f'[migrations]\ntable = "{table}"\n')
    # Not idempotent: run twice, the second INSERT would double the count.
    cli.write("0001_a.sql", "CREATE TABLE a (id int); INSERT INTO a VALUES (1);")
    cli.write("0002_idx.sql", "CREATE INDEX CONCURRENTLY a_id ON a (id);")
    assert cli("up").code == 0
    status = cli("status", "--format", "json")
    assert status.code == 0, status.err
    assert [m["state"] for m in __import__("json").loads(status.out)["migrations"]] == [
        "applied"
    ] * 2
    again = cli("up")
    assert again.code == 0, again.err
    assert "Nothing to do" in again.text
    assert query(db_conn, "SELECT count(*) FROM a") == [(1,)]


def test_two_spellings_of_one_table_share_one_lock(cli: Cli, db_url: str) -> None:
    """`t` and `public.t` are one history table, so a run under either spelling waits."""
    (cli.project / "slipway.toml").write_text(
        '[migrations]\ntable = "public.slipway_migrations"\nlock_wait = "0.5s"\n'
    )
    cli.write("0001_a.sql", "CREATE TABLE a (id int);")
    from slipway.migrations.lock import lock_key

    with psycopg.connect(db_url, autocommit=True, application_name="other-run") as other:
        other.execute("SELECT pg_advisory_lock(%s, %s)", lock_key(other, "slipway_migrations"))
        result = cli("up")
    assert result.code == 1
    assert "migration lock" in result.err and "other-run" in result.err


@pytest.mark.parametrize(
    ("table", "reason"),
    [
        ("", "is empty"),
        ("a.b.c", "more than one dot"),
        ('my"table', "double quote"),
        ("x" * 61, "longer than 63 bytes"),  # its _log table would be 65 bytes
        ("public.", "empty schema or table part"),
    ],
)
def test_a_name_postgresql_would_not_keep_is_refused_at_load(
    cli: Cli, table: str, reason: str
) -> None:
    (cli.project / "slipway.toml").write_text(f"[migrations]\ntable = '{table}'\n")
    cli.write("0001_a.sql", "CREATE TABLE a (id int);")
    result = cli("status")
    assert result.code == 2
    assert "[migrations] table" in result.err and reason in result.err
    assert "Traceback" not in result.err


def test_a_nul_in_the_table_name_is_refused(cli: Cli) -> None:
    (cli.project / "slipway.toml").write_text('[migrations]\ntable = "a\\u0000b"\n')
    result = cli("status")
    assert result.code == 2 and "NUL" in result.err
