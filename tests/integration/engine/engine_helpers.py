"""Helpers for engine tests: run the real CLI, in-process or as a separate process."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
import pytest

from slipway.cli.app import main


@dataclass
class Result:
    code: int
    out: str
    err: str

    @property
    def text(self) -> str:
        return self.out + self.err


class Cli:
    """`slipway ...` against one database, in the project folder."""

    def __init__(self, db_url: str, capsys: pytest.CaptureFixture[str], project: Path) -> None:
        self.db_url = db_url
        self.capsys = capsys
        self.project = project

    def __call__(self, *args: str, url: bool = True) -> Result:
        argv = list(args)
        if url:
            argv += ["--database-url", self.db_url]
        self.capsys.readouterr()
        code = 0
        try:
            main(argv)
        except SystemExit as exc:
            code = int(exc.code or 0)
        captured = self.capsys.readouterr()
        return Result(code, captured.out, captured.err)

    def spawn(self, *args: str, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
        """The CLI as a separate process (for races and SIGKILL)."""
        full_env = {**os.environ, **(env or {})}
        full_env.pop("DATABASE_URL", None)
        return subprocess.Popen(
            [sys.executable, "-m", "slipway", *args, "--database-url", self.db_url],
            cwd=self.project,
            env=full_env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    def write(self, name: str, sql: str) -> Path:
        path = self.project / "migrations" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(sql, encoding="utf-8")
        return path


def query(conn: psycopg.Connection[Any], sql: str, *params: Any) -> list[tuple[Any, ...]]:
    return conn.execute(sql, params or None).fetchall()


def table_exists(conn: psycopg.Connection[Any], name: str) -> bool:
    return bool(conn.execute("SELECT to_regclass(%s) IS NOT NULL", (name,)).fetchone()[0])  # type: ignore[index]
