"""`slipway lint`'s text output: the code under each finding with a caret under its column,
its hint and its rule's docs link (an anchor of docs/rules.md)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import typer
from lint_support import write_project
from typer.testing import CliRunner

from slipway.lint.findings import RULES_DOC, rule_link
from slipway.lint.rule import all_rules

ROOT = Path(__file__).parents[3]


def _block(output: str, rule: str) -> list[str]:
    """The lines of the first finding of `rule`: its head line to the blank line after it."""
    lines = output.splitlines()
    start = next(i for i, line in enumerate(lines) if f" {rule} " in line)
    end = lines.index("", start)
    return lines[start:end]


def test_code_caret_help_and_docs(
    app: typer.Typer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sql = "CREATE TABLE t (id bigint PRIMARY KEY);\nSELECT 'é'; DROP DATABASE x;\n"
    monkeypatch.chdir(write_project(tmp_path, {"0001_a.sql": sql}))
    result = CliRunner().invoke(app, ["lint"])
    assert result.exit_code == 1, result.output
    assert _block(result.output, "ban-drop-database") == [
        "migrations/0001_a.sql:2:13 error ban-drop-database DROP DATABASE x in a migration",
        "   2 | SELECT 'é'; DROP DATABASE x;",
        "     |             ^",  # columns count characters, not bytes
        "   = help: Drop databases by hand, not in a migration.",
        f"   = docs: {RULES_DOC}#ban-drop-database",
    ]
    assert result.output.splitlines()[-1].startswith("1 error, ")


def test_tabs_and_crlf_line_up_with_the_parser(
    app: typer.Typer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = write_project(tmp_path, {})
    sql = "-- one\r\nSELECT 1;\r\n\tDROP DATABASE x;\r\n"
    (project / "migrations" / "0001_a.sql").write_bytes(sql.encode())
    monkeypatch.chdir(project)
    block = _block(CliRunner().invoke(app, ["lint"]).output, "ban-drop-database")
    assert block[:3] == [
        "migrations/0001_a.sql:3:2 error ban-drop-database DROP DATABASE x in a migration",
        "   3 | \tDROP DATABASE x;",
        "     | \t^",  # the tab kept: the caret sits under D wherever the tab stops are
    ]


def test_a_long_line_is_cut_around_the_column(
    app: typer.Typer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sql = "SELECT 1; " * 40 + "DROP DATABASE x; " + "SELECT 2; " * 40
    monkeypatch.chdir(write_project(tmp_path, {"0001_a.sql": sql}))
    block = _block(CliRunner().invoke(app, ["lint"]).output, "ban-drop-database")
    code, caret = block[1], block[2]
    assert code.startswith("   1 | ...") and code.endswith("...")
    assert len(code) < len(sql)
    column = caret.index("^")
    assert code[column:].startswith("DROP DATABASE x;")


def test_the_code_is_shown_from_the_cache_too(
    app: typer.Typer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(write_project(tmp_path, {"0001_a.sql": "DROP DATABASE x;\n"}))
    runner = CliRunner()
    first, second = runner.invoke(app, ["lint"]).output, runner.invoke(app, ["lint"]).output
    assert first == second and "   1 | DROP DATABASE x;\n     | ^\n" in second


def test_stdin_has_no_code_shown_but_its_hint_and_docs(
    app: typer.Typer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["lint", "-"], input="DROP DATABASE x;\n")
    block = _block(result.output, "ban-drop-database")
    assert block[0].startswith("<stdin>:1:1 error ban-drop-database")
    assert block[1:] == [
        "   = help: Drop databases by hand, not in a migration.",
        f"   = docs: {RULES_DOC}#ban-drop-database",
    ]


def test_every_rule_link_is_a_section_of_the_rules_doc() -> None:
    headings = set(re.findall(r"^## (\S+)$", (ROOT / RULES_DOC).read_text(), re.MULTILINE))
    for rule in all_rules():
        anchor = rule_link(rule.name).removeprefix(f"{RULES_DOC}#")
        assert anchor in headings, f"{rule.name}: no section {anchor} in {RULES_DOC}"


def test_colour_adds_only_colour(
    app: typer.Typer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Code and messages are escaped for rich: `\\[bold]` in a file stays text, styles none."""
    sql = "CREATE TABLE t (id bigint PRIMARY KEY);\nSELECT 'a\\[bold]b[/]'; DROP DATABASE x;\n"
    monkeypatch.chdir(write_project(tmp_path, {"0001_a.sql": sql}))
    monkeypatch.delenv("NO_COLOR", raising=False)
    plain = CliRunner().invoke(app, ["lint"]).output
    monkeypatch.setenv("FORCE_COLOR", "1")
    coloured = CliRunner().invoke(app, ["lint"]).output
    assert "\x1b[" in coloured
    assert re.sub(r"\x1b\[[0-9;]*m", "", coloured) == plain
    assert "   2 | SELECT 'a\\[bold]b[/]'; DROP DATABASE x;" in plain.splitlines()
