"""The README's "Python API" and "pytest plugin" examples run as written."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from plugin_support import QUIET, TEMPLATE_LINE

from pg_fixtures import ADMIN_URL

README = Path(__file__).resolve().parents[3] / "README.md"


def example(section: str, language: str = "python") -> str:
    """The first `language` code block under the README heading `section`."""
    text = README.read_text(encoding="utf-8")
    body = text.split(f"\n## {section}\n", 1)[1].split("\n## ", 1)[0]
    found = re.search(rf"```{language}\n(.*?)```", body, re.DOTALL)
    assert found, f"no {language} block under {section}"
    return found.group(1)


def users(folder: Path) -> None:
    folder.mkdir(parents=True)
    (folder / "0001_users.sql").write_text(
        "CREATE TABLE users (id bigserial PRIMARY KEY, email text UNIQUE NOT NULL);\n"
    )
    (folder / "0001_users.down.sql").write_text("DROP TABLE users;\n")


def test_python_api_example(
    tmp_path: Path, db_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    users(tmp_path / "migrations")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", db_url)
    exec(compile(example("Python API"), str(README), "exec"), {})  # noqa: S102
    out = capsys.readouterr().out
    assert "applied 1 migration(s)" in out
    assert "0001 applied file" in out
    assert "ready" in out
    assert "not rolled back" not in out  # it had a down script


def test_pytest_plugin_example(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, templates: list[str]
) -> None:
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("SLIPWAY_TEST_URL", raising=False)
    users(pytester.path / "db" / "migrations")
    pytester.makepyprojecttoml(example("pytest plugin", "toml"))
    pytester.makepyfile(test_example=example("pytest plugin"))
    result = pytester.runpytest("-p", "slipway.testing", *QUIET, "--slipway-url", ADMIN_URL)
    templates.extend(m.group(1) for m in TEMPLATE_LINE.finditer(result.stdout.str()))
    result.assert_outcomes(passed=2)
