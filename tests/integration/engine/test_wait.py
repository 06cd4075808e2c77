"""`slipway wait`: ready at once, never ready, ready during the wait, nothing to wait for."""

from __future__ import annotations

import threading
import time
import uuid
from pathlib import Path

import pytest
from engine_helpers import Cli

import pg_fixtures

SECRET = "Sup3r-Secret-pw"


def test_ready_server_is_one_line_and_exit_0(cli: Cli, db_url: str) -> None:
    result = cli("wait", "--timeout", "5s", "--database-url", db_url, url=False)
    assert result.code == 0, result.text
    lines = result.out.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("ready after ")
    assert "(from --database-url)" in lines[0]


def test_closed_port_times_out_with_the_last_error_in_one_line(cli: Cli) -> None:
    started = time.monotonic()
    url = f"postgresql://app:{SECRET}@127.0.0.1:1/app"
    result = cli("wait", "--timeout", "1s", "--database-url", url, url=False)
    took = time.monotonic() - started
    assert result.code == 1
    assert 0.8 < took < 4, took
    assert SECRET not in result.text
    assert result.out == ""
    (line,) = result.err.strip().splitlines()
    assert line.startswith("error: the database did not accept a connection within 1 s")
    assert "Connection refused" in line and "postgresql://app:***@127.0.0.1:1/app" in line
    assert "Traceback" not in result.err


def test_waits_for_a_database_created_during_the_wait(cli: Cli, pg_server: str) -> None:
    """The next command needs the database, not only its server: one that does not exist yet
    is waited for (dbmate's wait would return as soon as the server answers)."""
    name = f"slipway_wait_{uuid.uuid4().hex[:12]}"
    creator = threading.Timer(1.0, lambda: _create(name))
    creator.start()
    try:
        result = cli("wait", "-t", "20s", "--database-url", pg_fixtures.url_for(name), url=False)
    finally:
        creator.join()
        pg_fixtures.drop_database(name)
    assert result.code == 0, result.text
    assert result.out.startswith("ready after ") and " attempts: " in result.out
    assert float(result.out.split()[2]) >= 0.9


def test_a_missing_database_is_the_last_error_on_timeout(cli: Cli, pg_server: str) -> None:
    url = pg_fixtures.url_for(f"slipway_never_{uuid.uuid4().hex[:8]}")
    result = cli("wait", "--timeout", "300ms", "--database-url", url, url=False)
    assert result.code == 1
    assert "does not exist" in result.err and len(result.err.strip().splitlines()) == 1


def test_settings_libpq_refuses_are_not_waited_for(cli: Cli) -> None:
    started = time.monotonic()
    url = f"postgresql://app:{SECRET}@127.0.0.1:1/app?sslmode=bogus"
    result = cli("wait", "--timeout", "30s", "--database-url", url, url=False)
    assert result.code == 2 and time.monotonic() - started < 5
    assert "sslmode" in result.err and SECRET not in result.text


def test_bad_timeout_is_usage_error(cli: Cli) -> None:
    result = cli("wait", "--timeout", "soon")
    assert result.code == 2 and "--timeout 'soon' is not a duration" in result.err


def test_embedded_default_is_not_started(
    cli: Cli, project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("PGHOST", "PGHOSTADDR", "PGPORT", "PGDATABASE", "PGUSER", "PGSERVICE"):
        monkeypatch.delenv(name, raising=False)
    result = cli("wait", url=False)
    assert result.code == 0, result.text
    assert result.out.startswith("nothing to wait for: no --database-url, DATABASE_URL")
    assert "(not running)" in result.out
    assert not (project / ".slipway").exists()
    assert cli("wait", "-q", url=False).out == ""


def _create(name: str) -> None:
    with pg_fixtures.admin() as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
