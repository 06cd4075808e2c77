"""Where the database comes from, and what happens when it cannot be reached."""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from engine_helpers import Cli, table_exists

SECRET = "Sup3r-Secret-pw"


def test_unreachable_server_is_one_line_without_password(cli: Cli) -> None:
    cli.write("0001_a.sql", "SELECT 1;")
    result = cli("up", "--database-url", f"postgresql://app:{SECRET}@127.0.0.1:1/app", url=False)
    assert result.code == 2
    assert SECRET not in result.text
    assert "not reachable" in result.err and "postgresql://app:***@127.0.0.1:1/app" in result.err
    assert len(result.err.strip().splitlines()) == 1


def test_password_never_printed_even_on_sql_failure(cli: Cli, db_url: str) -> None:
    url = db_url.replace("postgresql://postgres@", f"postgresql://postgres:{SECRET}@")
    url = url if SECRET in url else db_url  # keyword DSNs: nothing to hide
    cli.write("0001_bad.sql", "SELECT nosuch;")
    result = cli("up", "--database-url", url, url=False)
    assert result.code == 1
    assert SECRET not in result.text
    listed = cli("db", "url", "--database-url", url, url=False)
    assert SECRET not in listed.text


def test_options_after_command_env_and_python_m(
    cli: Cli, db_url: str, db_conn, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = cli.project / "db" / "migrations"
    folder.mkdir(parents=True)
    (folder / "0001_a.sql").write_text("CREATE TABLE a (id int);")
    monkeypatch.setenv("DATABASE_URL", db_url)
    result = cli("up", "--migrations", "db/migrations", url=False)
    assert result.code == 0, result.text
    assert table_exists(db_conn, "a")
    env = {**os.environ, "DATABASE_URL": db_url}
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "slipway",
            "--migrations",
            "db/migrations",
            "status",
            "--format",
            "json",
        ],
        cwd=cli.project,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert '"state": "applied"' in proc.stdout


def test_bad_usage_exits_2(cli: Cli) -> None:
    assert cli("down", "--steps", "0").code == 2
    assert cli("up", "--lock-timeout", "soon").code == 2
    assert cli("frobnicate", url=False).code == 2
    result = cli("up", "--migrations", "nope")
    assert result.code == 2 and "does not exist" in result.err


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def password_server() -> Iterator[str]:
    """A private cluster that really checks passwords (the shared one trusts everyone)."""
    bins = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not bins or shutil.which("runuser") is None or os.geteuid() != 0:
        pytest.skip("needs Debian's PostgreSQL binaries and root to run them as postgres")
    bindir = Path(bins[-1]).parent
    tmp = Path(tempfile.mkdtemp(prefix="slipway-pw-"))
    tmp.chmod(0o777)
    data, pwfile, port = tmp / "data", tmp / "pw", _free_port()
    pwfile.write_text("right-password\n")
    pwfile.chmod(0o644)

    def as_postgres(*args: str) -> None:
        subprocess.run(
            ["runuser", "-u", "postgres", "--", *args], check=True, capture_output=True, timeout=120
        )

    as_postgres(
        str(bindir / "initdb"),
        "-D",
        str(data),
        "-U",
        "postgres",
        "--auth=scram-sha-256",
        f"--pwfile={pwfile}",
    )
    as_postgres(
        str(bindir / "pg_ctl"),
        "-D",
        str(data),
        "-l",
        str(tmp / "log"),
        "-o",
        f"-p {port} -k {tmp} -c listen_addresses=127.0.0.1",
        "-w",
        "start",
    )
    try:
        yield f"127.0.0.1:{port}"
    finally:
        as_postgres(str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop")
        shutil.rmtree(tmp, ignore_errors=True)


def test_wrong_password_is_clear_and_not_echoed(cli: Cli, password_server: str) -> None:
    cli.write("0001_a.sql", "CREATE TABLE a (id int);")
    result = cli(
        "up",
        "--database-url",
        f"postgresql://postgres:{SECRET}@{password_server}/postgres",
        url=False,
    )
    assert result.code == 2
    assert "rejected the user or password" in result.err
    assert SECRET not in result.text
    good = cli(
        "up",
        "--database-url",
        f"postgresql://postgres:right-password@{password_server}/postgres",
        url=False,
    )
    assert good.code == 0, good.text
    assert "right-password" not in good.text


def test_embedded_server_is_started_reused_and_stopped(
    cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytest.importorskip("pgserver")
    monkeypatch.delenv("DATABASE_URL", raising=False)
    cli.write("0001_a.sql", "CREATE TABLE embedded_ok (id int);")
    try:
        first = cli("up", url=False)
        assert first.code == 0, first.text
        assert (cli.project / ".slipway" / "pgdata" / "PG_VERSION").is_file()
        url = cli("db", "url", url=False)
        assert url.code == 0 and "host=" in url.out
        started = time.monotonic()
        again = cli("status", "--format", "json", url=False)
        assert again.code == 0 and '"state": "applied"' in again.out
        assert time.monotonic() - started < 5
    finally:
        stopped = cli("db", "stop", url=False)
    assert stopped.code == 0 and "Stopped" in stopped.out
    assert cli("db", "stop", url=False).out.startswith("The embedded PostgreSQL was not running")


def test_wait_does_not_wait_for_a_rejected_password(cli: Cli, password_server: str) -> None:
    started = time.monotonic()
    wrong = f"postgresql://postgres:{SECRET}@{password_server}/postgres"
    result = cli("wait", "--timeout", "30s", "--database-url", wrong, url=False)
    assert result.code == 2 and time.monotonic() - started < 5
    assert "rejected the user or password" in result.err and SECRET not in result.text
    right = f"postgresql://postgres:right-password@{password_server}/postgres"
    ready = cli("wait", "--database-url", right, url=False)
    assert ready.code == 0 and f"postgresql://postgres:***@{password_server}/postgres" in ready.out
    assert "right-password" not in ready.text
