"""`slipway demo` end to end, on the test server and on the embedded PostgreSQL."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

import slipway
from pg_fixtures import drop_database
from slipway.db import with_database


def run_demo(
    cwd: Path, *args: str, env_extra: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(env_extra or {})
    return subprocess.run(
        [sys.executable, "-m", "slipway", "demo", *args],
        check=False,
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_demo_on_a_server(pg_server: str, tmp_path: Path) -> None:
    name = f"slipway_demo_{uuid.uuid4().hex[:8]}"
    try:
        result = run_demo(tmp_path, "--database-url", pg_server, "--database-name", name)
        assert result.returncode == 0, result.stdout + result.stderr
        out = result.stdout
        for title in (
            "fresh database",
            "migrations",
            "seed data",
            "inventory feed",
            "tenant isolation",
            "health report",
            "maintenance",
        ):
            assert f"✓ {title}" in out, out
        shipped = len(
            list((Path(slipway.__file__).parent / "examples/rylie/migrations").glob("*.down.sql"))
        )
        assert f"applied {shipped} migrations" in out
        assert "no tenant set: sees 0 vehicles, 0 conversations" in out
        assert "rejected line" in out
        assert "nothing changes the second time" in out
        assert "Traceback" not in result.stderr
        assert out.index("✓ maintenance") < out.index("✓ health report")
        demo_verdict = out.split("; verdict: ", 1)[1].splitlines()[0]
        doctor = subprocess.run(
            [
                sys.executable,
                "-m",
                "slipway",
                "doctor",
                "--database-url",
                with_database(pg_server, name),
            ],
            cwd=Path(slipway.__file__).parent / "examples" / "rylie",
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert f"Verdict: {demo_verdict}" in doctor.stdout, doctor.stdout[-3000:]
        assert "FAIL HC040" not in doctor.stdout  # retention kept the detached months isolated
        # A second run recreates the database it made; a foreign database is never dropped.
        again = run_demo(tmp_path, "--database-url", pg_server, "--database-name", name)
        assert again.returncode == 0, again.stderr
    finally:
        drop_database(name)


def test_demo_refuses_a_database_it_did_not_create(
    db_url: str, pg_server: str, tmp_path: Path
) -> None:
    import psycopg

    name = psycopg.conninfo.conninfo_to_dict(db_url)["dbname"]
    result = run_demo(tmp_path, "--database-url", pg_server, "--database-name", str(name))
    assert result.returncode == 1
    assert "was not created by slipway demo" in result.stderr


@pytest.mark.slow
def test_demo_on_the_embedded_server(tmp_path: Path) -> None:
    pytest.importorskip("pgserver")
    try:
        result = run_demo(tmp_path)
        assert result.returncode == 0, result.stdout + result.stderr
        assert "embedded PostgreSQL" in result.stdout
        assert "✓ inventory feed" in result.stdout
    finally:
        subprocess.run(
            [sys.executable, "-m", "slipway", "db", "stop"], check=False, cwd=tmp_path, timeout=60
        )


def test_demo_as_a_non_superuser_refuses_up_front(pg_server: str, tmp_path: Path) -> None:
    import psycopg
    from psycopg import sql

    from pg_fixtures import ADMIN_URL

    role, name = f"slipway_ri_demo_{uuid.uuid4().hex[:8]}", f"slipway_demo_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(ADMIN_URL, autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE ROLE {} LOGIN CREATEDB").format(sql.Identifier(role)))
        try:
            url = psycopg.conninfo.make_conninfo(pg_server, user=role)
            result = run_demo(tmp_path, "--database-url", url, "--database-name", name)
            exists = admin.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", (name,)
            ).fetchone()
        finally:
            drop_database(name)
            admin.execute(sql.SQL("DROP ROLE {}").format(sql.Identifier(role)))
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr[-2000:]
    lines = result.stderr.strip().splitlines()
    assert (
        len(lines) == 1 and f"needs a superuser connection and role {role} is not one" in lines[0]
    )
    assert exists is None  # refused before creating anything
