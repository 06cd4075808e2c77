"""Where the database comes from: libpq's PG* variables and a project .env are honoured before
the embedded default, and every command names the database it uses on its first line."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from psycopg.conninfo import conninfo_to_dict


def slipway(project: Path, *args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("PG") and k != "DATABASE_URL"}
    return subprocess.run(
        [sys.executable, "-m", "slipway", *args],
        check=False,
        cwd=project,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def target(project: Path, db_url: str) -> dict[str, str]:
    (project / "migrations" / "0001_a.sql").write_text("CREATE TABLE from_env (id int);")
    info = conninfo_to_dict(db_url)
    pg = {
        "PGHOST": str(info["host"]),
        "PGDATABASE": str(info["dbname"]),
        "PGUSER": str(info.get("user") or "postgres"),
    }
    if info.get("port"):
        pg["PGPORT"] = str(info["port"])
    return pg


def test_pg_variables_name_the_database_instead_of_the_embedded_one(
    project: Path, db_conn, target: dict[str, str]
) -> None:
    result = slipway(project, "up", env=target)
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines()[0].startswith("database: ")
    assert "(from PG* environment)" in result.stderr.splitlines()[0]
    assert db_conn.execute("SELECT to_regclass('from_env') IS NOT NULL").fetchone() == (True,)
    assert not (project / ".slipway").exists()


def test_a_dotenv_file_is_read_and_the_real_environment_wins(
    project: Path, db_conn, target: dict[str, str]
) -> None:
    (project / ".env").write_text("".join(f"{k}={v}\n" for k, v in target.items()))
    result = slipway(project, "up", env={})
    assert result.returncode == 0, result.stderr
    assert db_conn.execute("SELECT to_regclass('from_env') IS NOT NULL").fetchone() == (True,)
    # The environment's PGDATABASE beats the file's.
    other = slipway(project, "status", env={"PGDATABASE": "no_such_db_here"})
    assert other.returncode == 2 and "no_such_db_here" in other.stderr


def test_quiet_and_json_keep_stdout_clean(project: Path, target: dict[str, str]) -> None:
    quiet = slipway(project, "up", "-q", env=target)
    assert quiet.returncode == 0 and "database:" not in quiet.stderr + quiet.stdout
    json_out = slipway(project, "status", "--format", "json", env=target)
    assert json_out.stdout.lstrip().startswith("{") and "database:" in json_out.stderr


def test_the_embedded_default_says_why(project: Path, tmp_path: Path) -> None:
    result = slipway(project, "db", "url", env={})
    assert result.returncode == 0, result.stderr
    assert "no --database-url, DATABASE_URL, .env, [database] url or PG* variable" in result.stderr
    subprocess.run(
        [sys.executable, "-m", "slipway", "db", "stop"],
        check=False,
        cwd=project,
        timeout=120,
        capture_output=True,
    )
