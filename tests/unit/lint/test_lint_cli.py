"""`slipway lint` through the CLI: formats, exit codes, --explain/--list/--docs, config."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import typer
from lint_support import write_project
from typer.testing import CliRunner

# The down is linted too: it drops the index the way that warns about nothing.
WARN_ONLY = {
    "0001_a.sql": "CREATE INDEX i ON leads (s);",
    "0001_a.down.sql": "DROP INDEX CONCURRENTLY IF EXISTS i;",
}


def test_default_folder_and_exit_codes(
    app: typer.Typer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(write_project(tmp_path, WARN_ONLY))
    runner = CliRunner()
    ok = runner.invoke(app, ["lint"])
    assert ok.exit_code == 0, ok.output
    assert "require-concurrent-index-creation" in ok.output
    assert runner.invoke(app, ["lint", "--fail-on", "warning"]).exit_code == 1


def test_error_finding_exits_1_and_json(
    app: typer.Typer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(write_project(tmp_path, {"0001_a.sql": "DROP DATABASE x;"}))
    result = CliRunner().invoke(app, ["lint", "migrations/0001_a.sql", "--format", "json"])
    assert result.exit_code == 1
    rows = json.loads(result.output)["findings"]
    assert {"ban-drop-database", "migration-without-rollback"} <= {r["name"] for r in rows}


def test_config_disables_rules(
    app: typer.Typer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = '[lint]\ndisable = ["require-concurrent-index-creation"]\n'
    monkeypatch.chdir(write_project(tmp_path, WARN_ONLY, config))
    result = CliRunner().invoke(app, ["lint", "--fail-on", "warning"])
    assert result.exit_code == 0 and "0 errors, 0 warnings" in result.output


def test_bad_config_is_a_usage_error(
    app: typer.Typer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from slipway.errors import ConfigError

    monkeypatch.chdir(write_project(tmp_path, WARN_ONLY, '[lint]\ndisable = ["nope"]\n'))
    result = CliRunner().invoke(app, ["lint"])
    assert isinstance(result.exception, ConfigError) and result.exception.exit_code == 2
    assert str(result.exception).startswith(
        "slipway.toml: [lint] disable: unknown lint rule 'nope'"
    )


def test_missing_path_is_a_usage_error(
    app: typer.Typer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["lint", "nowhere.sql"])
    assert "no such file or folder" in str(result.exception)


def test_explain_list_docs(app: typer.Typer) -> None:
    runner = CliRunner()
    explained = runner.invoke(app, ["lint", "--explain", "SW024"])
    assert explained.exit_code == 0 and "**Anti-pattern**" in explained.output
    listed = runner.invoke(app, ["lint", "--list"])
    assert listed.output.count("\n") >= 40 and "SW100  tenant-table-without-rls" in listed.output
    assert runner.invoke(app, ["lint", "--docs"]).output.startswith("# slipway lint rules")
    unknown = runner.invoke(app, ["lint", "--explain", "nope"])
    assert "unknown lint rule 'nope'" in str(unknown.exception)


def test_duplicate_versions_are_reported_not_fatal(
    app: typer.Typer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = {
        "0002_agent_squad.sql": "SELECT 1;",
        "0002_sms.sql": "SELECT 2;",
        "0002_sms.down.sql": "SELECT 3;",
    }
    monkeypatch.chdir(write_project(tmp_path, files))
    result = CliRunner().invoke(app, ["lint", "--format", "json"])
    rows = [r for r in json.loads(result.output)["findings"] if r["name"] == "duplicate-version"]
    assert result.exit_code == 1 and len(rows) == 1
    assert rows[0]["location"]["file"].endswith("0002_sms.sql")


def test_real_entry_point(tmp_path: Path) -> None:
    write_project(tmp_path, WARN_ONLY)
    proc = subprocess.run(
        [sys.executable, "-m", "slipway", "lint", "-f", "github"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("::warning file=migrations/0001_a.sql,line=1,col=1,")


def test_typer_free_entry_point(tmp_path: Path) -> None:
    write_project(tmp_path, {**WARN_ONLY, "0002_b.sql": "DROP DATABASE x;"})
    proc = subprocess.run(
        [sys.executable, "-m", "slipway.lint", "--format", "json"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 1, proc.stderr
    assert "ban-drop-database" in {r["name"] for r in json.loads(proc.stdout)["findings"]}
    missing = subprocess.run(
        [sys.executable, "-m", "slipway.lint", "nowhere"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert missing.returncode == 2 and "no such file or folder" in missing.stderr


def test_typer_free_entry_point_loads_neither_cli_nor_typer(tmp_path: Path) -> None:
    """`python -m slipway.lint` prints in colour and prints errors without the CLI package."""
    write_project(tmp_path, WARN_ONLY)
    code = (
        "import runpy, sys\n"
        "for argv in (['x'], ['x', 'nowhere']):\n"
        "    sys.argv = argv\n"
        "    try:\n"
        "        runpy.run_module('slipway.lint', run_name='__main__')\n"
        "    except SystemExit:\n"
        "        pass\n"
        "print('LOADED', sorted(m for m in sys.modules if m.startswith(('slipway.cli', 'typer'))))\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env={**os.environ, "FORCE_COLOR": "1"},
    )
    assert "\x1b[" in proc.stdout and "require-concurrent-index-creation" in proc.stdout
    assert "error: " in proc.stderr and "no such file or folder" in proc.stderr
    assert proc.stdout.rstrip().endswith("LOADED []"), proc.stdout[-300:]


def test_fast_entry_point_arguments() -> None:
    from slipway.errors import ConfigError
    from slipway.lint.__main__ import parse_args

    paths, opts = parse_args(["a", "--format=sarif", "-m", "db/m", "--fail-on", "warning", "-q"])
    assert paths == [Path("a")]
    assert opts == {
        "--format": "sarif",
        "--fail-on": "warning",
        "--migrations": "db/m",
        "--quiet": "1",
    }
    for bad in (["--format", "xml"], ["--nope"], ["--fail-on"], ["--explain"]):
        with pytest.raises(ConfigError):
            parse_args(bad)


def test_quiet_prints_only_errors(
    app: typer.Typer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = {"0001_a.sql": "CREATE INDEX i ON leads (s);\nDROP DATABASE x;"}
    monkeypatch.chdir(write_project(tmp_path, files))
    result = CliRunner().invoke(app, ["lint", "-q"])
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "migrations/0001_a.sql:2:1 error ban-drop-database DROP DATABASE x in a migration",
        "  help: Drop databases by hand, not in a migration.",
    ]


def test_named_file_is_linted_with_its_history(
    app: typer.Typer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = {
        "0001_a.sql": "CREATE TABLE t (id bigint PRIMARY KEY, s varchar(10));\nDROP DATABASE x;",
        "0002_b.sql": "CREATE INDEX t_s ON t (s);\nALTER TABLE t ALTER COLUMN s TYPE varchar(20);",
        "0003_c.sql": "CREATE TABLE u (id bigint PRIMARY KEY, s text);\nCREATE INDEX u_s ON u (s);",
    }
    monkeypatch.chdir(write_project(tmp_path, files))
    runner = CliRunner()
    rows = json.loads(runner.invoke(app, ["lint", "-f", "json", "migrations/0002_b.sql"]).output)[
        "findings"
    ]
    assert {r["location"]["file"] for r in rows} == {
        "migrations/0002_b.sql"
    }  # 0001's DROP DATABASE not shown
    assert "require-concurrent-index-creation" in {r["name"] for r in rows}
    assert "changing-column-type" not in {r["name"] for r in rows}  # 0001 said varchar(10)
    rows = json.loads(runner.invoke(app, ["lint", "-f", "json", "migrations/0003_c.sql"]).output)[
        "findings"
    ]
    assert "require-concurrent-index-creation" not in {r["name"] for r in rows}  # u is new


DROP = {"0001_a.sql": "DROP DATABASE x;"}


def test_markdown_output(app: typer.Typer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(write_project(tmp_path, DROP))
    result = CliRunner().invoke(app, ["lint", "-f", "md"])
    assert result.exit_code == 1  # the format does not change the exit code
    lines = result.output.splitlines()
    assert lines[0] == "# slipway lint" and lines[2] == "1 error, 1 warning, 0 infos in 1 file"
    assert "| severity | where | rule | finding | hint |" in lines
    row = next(line for line in lines if "`ban-drop-database`" in line)
    assert row.startswith("| error | `migrations/0001_a.sql:1:1` | SW")


def test_html_output_is_one_escaped_page(
    app: typer.Typer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(write_project(tmp_path, {"0001_a.sql": 'DROP DATABASE "<b>x</b>";'}))
    result = CliRunner().invoke(app, ["lint", "--format", "html"])
    html = result.output
    assert result.exit_code == 1 and html.startswith("<!DOCTYPE html>")
    assert 'id="findings"' in html and "ban-drop-database" in html
    assert "migrations/0001_a.sql:1:1" in html
    assert "<b>x</b>" not in html and "&lt;b&gt;x&lt;/b&gt;" in html
    assert "<link" not in html and "<script" not in html and "http://" not in html


def test_html_without_findings(
    app: typer.Typer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(
        write_project(tmp_path, {"0001_a.sql": "SELECT 1;", "0001_a.down.sql": "SELECT 1;"})
    )
    result = CliRunner().invoke(app, ["lint", "-f", "html"])
    assert result.exit_code == 0 and "No findings." in result.output


def test_sarif_output(app: typer.Typer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(write_project(tmp_path, DROP))
    result = CliRunner().invoke(app, ["lint", "-f", "sarif"])
    log = json.loads(result.output)
    assert result.exit_code == 1 and log["version"] == "2.1.0"
    run = log["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    found = next(r for r in run["results"] if rules[r["ruleIndex"]]["name"] == "ban-drop-database")
    assert found["ruleId"] == rules[found["ruleIndex"]]["id"] and found["level"] == "error"
    place = found["locations"][0]["physicalLocation"]
    assert place == {
        "artifactLocation": {"uri": "migrations/0001_a.sql", "uriBaseId": "SRCROOT"},
        "region": {"startLine": 1, "startColumn": 1},
    }


def test_sarif_uris_are_percent_encoded(
    app: typer.Typer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = tmp_path / "my project"
    project.mkdir()
    monkeypatch.chdir(write_project(project, {"0001_a b#c.sql": DROP["0001_a.sql"]}))
    log = json.loads(CliRunner().invoke(app, ["lint", "-f", "sarif"]).output)
    uris = {
        loc["physicalLocation"]["artifactLocation"]["uri"]
        for r in log["runs"][0]["results"]
        for loc in r["locations"]
        if "physicalLocation" in loc
    }
    assert uris == {"migrations/0001_a%20b%23c.sql"}


def test_github_annotations(
    app: typer.Typer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(write_project(tmp_path, DROP))
    result = CliRunner().invoke(app, ["lint", "-f", "github"])
    assert result.exit_code == 1
    line = next(x for x in result.output.splitlines() if "ban-drop-database" in x)
    assert line.startswith(
        "::error file=migrations/0001_a.sql,line=1,col=1,title=ban-drop-database (SW"
    )


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_typer_free_entry_point_formats(tmp_path: Path, fmt: str) -> None:
    write_project(tmp_path, DROP)
    proc = subprocess.run(
        [sys.executable, "-m", "slipway.lint", "-f", fmt],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 1, proc.stderr
    assert "ban-drop-database" in proc.stdout
