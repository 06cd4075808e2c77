"""`slipway lint` on patterns found in real public migration folders (bench/real_corpora_lint.md).

Each test is a small fixture of our own that reproduces one quirk a real corpus showed.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from slipway.cli import lint as lint_cli


@pytest.fixture
def app() -> typer.Typer:
    root = typer.Typer()

    @root.callback()
    def _root(ctx: typer.Context) -> None:
        ctx.obj = {}

    lint_cli.register(root)
    return root


def _lint(app: typer.Typer, folder: Path, files: dict[str, str]) -> list[dict[str, object]]:
    folder.mkdir()
    for name, sql in files.items():
        (folder / name).write_text(sql, encoding="utf-8")
    result = CliRunner().invoke(app, ["lint", "--no-cache", "-f", "json", str(folder)])
    assert result.exit_code in (0, 1), result.output
    rows: list[dict[str, object]] = json.loads(result.output)
    return rows


CREATE = {
    "0001_leads.sql": "CREATE TABLE leads (id bigint PRIMARY KEY);",
    "0001_leads.down.sql": "DROP TABLE leads;",
}


@pytest.mark.parametrize(
    ("emptying", "fires"),
    [
        ("DELETE FROM leads;", False),  # lemmy 2021-03-09-171136, ente 84
        ("TRUNCATE TABLE leads;", False),  # upchieve 20220614163056
        ("TRUNCATE leads, other CASCADE;", False),
        ("DELETE FROM leads WHERE id < 10;", True),  # some rows stay
        ("DELETE FROM leads; INSERT INTO leads VALUES (1);", True),  # refilled
        ("DELETE FROM other;", True),  # another table
    ],
)
def test_required_column_on_a_table_the_migration_emptied(
    app: typer.Typer, tmp_path: Path, emptying: str, fires: bool
) -> None:
    files = {
        **CREATE,
        "0002_source.sql": f"{emptying}\nALTER TABLE leads ADD COLUMN source text NOT NULL;",
        "0002_source.down.sql": "ALTER TABLE leads DROP COLUMN source;",
    }
    rows = _lint(app, tmp_path / "m", files)
    hits = [r for r in rows if r["rule"] == "adding-required-field"]
    assert bool(hits) is fires, rows


def test_table_emptied_by_an_earlier_migration_may_have_rows_again(
    app: typer.Typer, tmp_path: Path
) -> None:
    files = {
        **CREATE,
        "0002_empty.sql": "DELETE FROM leads;",
        "0002_empty.down.sql": "SELECT 1;",
        "0003_source.sql": "ALTER TABLE leads ADD COLUMN source text NOT NULL;",
        "0003_source.down.sql": "ALTER TABLE leads DROP COLUMN source;",
    }
    rows = _lint(app, tmp_path / "m", files)
    assert [r["line"] for r in rows if r["rule"] == "adding-required-field"] == [1], rows
