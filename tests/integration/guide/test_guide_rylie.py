"""The guide and docs for examples/rylie, against a database `slipway up` migrated."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import psycopg
import pytest

from slipway.catalog.introspect import introspect
from slipway.catalog.serialize import load_snapshot, save_snapshot
from slipway.cli import app
from slipway.config import load_settings
from slipway.guide import docs_text, guide_text, render_docs_html, render_guide_html
from slipway.guide.deps import analyze
from slipway.guide.verification import checks_for
from slipway.migrations.layouts import load_folder

RYLIE = Path(__file__).resolve().parents[3] / "src" / "slipway" / "examples" / "rylie"


def test_guide_with_the_live_database(rylie_url: str) -> None:
    text = guide_text(load_settings(database_url=rylie_url, project_dir=RYLIE), "md")
    assert "- **Database**: connected to " in text and "dbname=slipway_guide_" in text
    rows = [line for line in text.splitlines() if line.startswith("| 00")]
    assert len(rows) == 22
    assert all("| Forward+Rollback | ✅ Complete |" in row for row in rows)
    for heading in (
        "## Architecture summary",
        "## Migrations",
        "## Commands",
        "## Dependencies",
        "## Entity-relationship model",
        "## Checklists",
        "## Troubleshooting",
        "```mermaid\nflowchart LR",
        "```mermaid\nerDiagram",
        "pg_blocking_pids",
    ):
        assert heading in text
    facts = analyze(load_folder(RYLIE / "migrations").migrations)
    for f in facts:
        section = text.split(f"### {f.migration.version} {f.migration.name}\n", 1)[1]
        section = section.split("\n### ", 1)[0]
        lock = f.strongest_lock
        if lock is not None:
            assert f"{lock.mode} on {lock.relation} (line {lock.line})" in section
        for check in checks_for(f):
            assert check.sql in section
    assert "SHARE UPDATE EXCLUSIVE on conversations (line 6)" in text  # 0021, CONCURRENTLY
    assert "- **0017 message_feedback** depends on\n  - 0000 core_platform:" in text


def test_generated_verification_sql_runs_and_returns_the_expected_rows(rylie_url: str) -> None:
    facts = analyze(load_folder(RYLIE / "migrations").migrations)
    total = 0
    with psycopg.connect(rylie_url, autocommit=True) as conn:
        for f in facts:
            for check in checks_for(f):
                rows = conn.execute(check.sql).fetchall()
                where = f"{f.migration.version} {check.title}"
                assert len(rows) == check.expected_rows, (where, rows, check.expected)
                found = {str(v) for row in rows for v in row}
                for label in check.expected:
                    assert label.rpartition(".")[2] in found, (where, label)
                total += 1
    assert total > 60


def test_statuses_pending_modified_and_no_rollback(rylie_url: str, tmp_path: Path) -> None:
    project = tmp_path / "rylie"
    shutil.copytree(RYLIE / "migrations", project / "migrations")
    shutil.copy(RYLIE / "slipway.toml", project / "slipway.toml")
    folder = project / "migrations"
    (folder / "0022_dealership_notes.sql").write_text(
        "-- Free-text notes per dealership\nALTER TABLE dealerships ADD COLUMN notes text;\n"
    )
    (folder / "0020_validate_constraints.down.sql").unlink()
    edited = folder / "0019_message_partition_maintenance.sql"
    edited.write_text(edited.read_text() + "\n-- edited after it ran\n")
    with psycopg.connect(rylie_url, autocommit=True) as conn:
        text = guide_text(load_settings(project_dir=project), "md", conn)
    rows = {line.split(" | ")[0][2:]: line for line in text.splitlines() if line.startswith("| 00")}
    assert "| Forward | ⏳ Pending |" in rows["0022"]
    assert "| Forward | ⚠️ No rollback |" in rows["0020"]
    assert "❌ Modified" in rows["0019"]
    assert "✅ Complete" in rows["0018"]
    assert "**Pending**: 0022" in text
    assert "  - 0000 core_platform: table dealerships: ALTER TABLE, line 2" in text
    assert "ACCESS EXCLUSIVE on dealerships (line 2)" in text


def test_unreachable_database_leaves_the_status_unknown(tmp_path: Path) -> None:
    settings = load_settings(database_url="postgresql://nobody@127.0.0.1:1/none", project_dir=RYLIE)
    text = guide_text(settings, "md")
    assert "database not reachable: status unknown" in text
    assert text.count("| ❔ Unknown |") == 22
    assert "nobody@127.0.0.1:1" not in text.split("## Migrations")[1]


def test_docs_from_the_database_and_from_a_snapshot_match(rylie_url: str, tmp_path: Path) -> None:
    with psycopg.connect(rylie_url, autocommit=True) as conn:
        catalog = introspect(conn)
    live = docs_text(catalog, "md", "Rylie")
    save_snapshot(catalog, tmp_path / "catalog.json")
    assert docs_text(load_snapshot(tmp_path / "catalog.json"), "md", "Rylie") == live
    assert "## partitioned table messages" in live
    assert "### Partitions" in live and "messages_default | `DEFAULT`" in live
    assert (
        "| message_feedback | message_feedback_conversation_fkey |"
        in live.split("## table conversations", 1)[1]
    )
    assert "| dealerships | table | 10 | enabled |" in live


@pytest.mark.usefixtures("cli")
def test_cli_commands(rylie_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    migrations = str(RYLIE / "migrations")
    app.main(["deps", "--format", "json", "--migrations", migrations])
    data = json.loads(capsys.readouterr().out)["migrations"]
    assert [d["version"] for d in data[1]["depends_on"]] == ["0000"]
    app.main(["deps", "-f", "mermaid", "-m", migrations])
    assert capsys.readouterr().out.startswith("flowchart LR\n")

    out = tmp_path / "site"
    app.main(
        [
            "docs",
            "-d",
            rylie_url,
            "-o",
            f"{out}/",
            "--save-snapshot",
            str(tmp_path / "s.json"),
            "--no-timestamp",
            "-q",
        ]
    )
    app.main(
        [
            "docs",
            "--snapshot",
            str(tmp_path / "s.json"),
            "-o",
            str(tmp_path / "again.md"),
            "--no-timestamp",
            "--title",
            "rylie schema",
            "-q",
        ]
    )
    first = (out / "schema.md").read_text()
    assert first == (tmp_path / "again.md").read_text().replace(
        "# rylie schema", f"# {Path.cwd().name} schema", 1
    )

    page = tmp_path / "guide.html"
    app.main(["guide", "-f", "html", "-o", str(page), "-d", rylie_url, "-m", migrations, "-q"])
    html = page.read_text()
    assert (
        html.startswith("<!DOCTYPE html>") and '<span class="badge s-pass">Complete</span>' in html
    )
    assert "<script src" not in html and "✅" not in html  # drawn offline; badges, not emoji


@pytest.mark.usefixtures("cli")
def test_cli_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(SystemExit) as exc:
        app.main(["guide", "-m", str(RYLIE / "migrations"), "-o", str(blocker / "guide.md")])
    assert exc.value.code == 2
    assert "cannot write" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exc:
        app.main(["docs", "--snapshot", str(blocker)])
    assert exc.value.code == 2
    with pytest.raises(SystemExit) as exc:
        app.main(["deps", "-f", "yaml"])
    assert exc.value.code == 2


def test_corpus_verification_and_serve_pages(db_url: str) -> None:
    """The small golden corpus: applied by `slipway up`, its checks return what they promise."""
    corpus = Path(__file__).resolve().parents[2] / "unit" / "guide" / "corpus"
    app.main(["--database-url", db_url, "--migrations", str(corpus / "migrations"), "up", "-q"])
    facts = analyze(load_folder(corpus / "migrations").migrations)
    with psycopg.connect(db_url, autocommit=True) as conn:
        for f in facts:
            for check in checks_for(f):
                assert len(conn.execute(check.sql).fetchall()) == check.expected_rows, check.title
        settings = load_settings(database_url=db_url, project_dir=corpus)
        guide = render_guide_html(conn, settings)
        docs = render_docs_html(conn, settings)
    assert '<span class="badge s-warn">No rollback</span>' in guide
    assert guide.count('<span class="badge s-pass">Complete</span>') >= 3
    assert '<h2 id="table-accounts">table accounts</h2>' in docs and "plan" in docs
