"""Output on a terminal and in a pipe: NO_COLOR (any value) removes every ANSI code from every
command, even on a terminal; piped output is not wrapped at 80 columns."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
from pathlib import Path

import pytest

LONG = "a_migration_name_that_is_much_longer_than_eighty_columns_" * 2

COMMANDS = [
    ["status"],
    ["up"],
    ["plan", "down"],
    ["validate"],
    ["history"],
    ["lint", "--fail-on", "warning"],
    ["doctor", "--no-crud"],
    ["deps"],
    ["down"],
    ["status", "--bogus"],
]


def write_project(project: Path) -> None:
    folder = project / "migrations"
    (folder / f"0001_{LONG}.sql").write_text(
        "CREATE TABLE t (id int);\nCREATE INDEX t_id ON t (id);\n", encoding="utf-8"
    )
    (folder / f"0001_{LONG}.down.sql").write_text("DROP TABLE t;\n", encoding="utf-8")


def run_on_terminal(project: Path, args: list[str], env: dict[str, str]) -> str:
    """The command with stdout and stderr on a pseudo-terminal; everything it wrote."""
    leader, follower = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "slipway", *args],
        cwd=project,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=follower,
        stderr=follower,
    )
    os.close(follower)
    chunks = []
    while True:
        ready, _, _ = select.select([leader], [], [], 60)
        if not ready:
            proc.kill()
            break
        try:
            data = os.read(leader, 65536)
        except OSError:  # the terminal closed: the command ended
            break
        if not data:
            break
        chunks.append(data)
    proc.wait(timeout=60)
    os.close(leader)
    return b"".join(chunks).decode("utf-8", "replace")


def environment(db_url: str, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR", "CI")}
    return {**env, "DATABASE_URL": db_url, "TERM": "xterm-256color", "COLUMNS": "80", **extra}


@pytest.mark.parametrize("no_color", ["1", ""])
def test_no_color_removes_every_ansi_code_on_a_terminal(
    db_url: str, project: Path, no_color: str
) -> None:
    write_project(project)
    for args in COMMANDS:
        out = run_on_terminal(project, args, environment(db_url, NO_COLOR=no_color))
        assert "\x1b" not in out, (args, out)
        assert "Traceback" not in out, (args, out)


def test_colour_is_on_for_a_terminal_without_no_color(db_url: str, project: Path) -> None:
    """The check above can fail: the same terminal gets colour without NO_COLOR."""
    write_project(project)
    env = environment(db_url)
    for args in (["lint", "--fail-on", "warning"], ["up"], ["status"], ["doctor", "--no-crud"]):
        assert "\x1b[" in run_on_terminal(project, args, env), args
    forced = subprocess.run(
        [sys.executable, "-m", "slipway", "lint", "--no-cache"],
        cwd=project,
        env={**env, "FORCE_COLOR": "1"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert "\x1b[" in forced.stdout, forced.stdout


def test_piped_output_is_not_wrapped(db_url: str, project: Path) -> None:
    write_project(project)
    env = environment(db_url)
    for args in (["up"], ["status"], ["plan", "down"], ["lint", "--no-cache"]):
        done = subprocess.run(
            [sys.executable, "-m", "slipway", *args],
            cwd=project,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        words = LONG.replace("_", " ").strip()  # `up` shows the humanized name
        assert words in done.stdout.replace("_", " ").lower(), (args, done.stdout, done.stderr)
        assert "\x1b" not in done.stdout + done.stderr, args


def test_piped_tables_are_not_wrapped(db_url: str, project: Path) -> None:
    """`history` is a table: rich would fit it into 80 columns, wrapping the error."""
    (project / "migrations" / "0002_fails.sql").write_text(
        f"SELECT * FROM {LONG[:60]};\n", encoding="utf-8"
    )
    env = environment(db_url)
    assert (
        subprocess.run(
            [sys.executable, "-m", "slipway", "up"],
            cwd=project,
            env=env,
            capture_output=True,
            check=False,
        ).returncode
        == 1
    )
    done = subprocess.run(
        [sys.executable, "-m", "slipway", "history"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert f'relation "{LONG[:60]}" does not exist' in done.stdout, done.stdout
