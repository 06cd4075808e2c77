"""`slipway doctor --save-stats FILE`: the statistics the checks read, saved as JSON."""

from __future__ import annotations

import json
from pathlib import Path

import psycopg
from health_support import Built
from test_doctor_cli import run

from slipway.catalog.stats import FORMAT, VERSION, load_statistics


def test_save_stats_writes_what_the_checks_read(planted: Built, tmp_path: Path) -> None:
    out = tmp_path / "stats.json"
    result = run(
        planted.project, "-f", "json", "--no-crud", "--fail-on", "never",
        "--save-stats", str(out), "-d", planted.url,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stderr.startswith("statistics of ") and str(out) in result.stderr
    report = json.loads(result.stdout)  # the report itself is unchanged on stdout
    data = json.loads(out.read_text(encoding="utf-8"))
    assert (data["format"], data["version"]) == (FORMAT, VERSION)
    stats = load_statistics(out)
    bloated = stats.table("public", "bloated")
    assert bloated is not None
    with psycopg.connect(planted.url, autocommit=True) as conn:
        row = conn.execute(
            "SELECT reltuples, pg_stat_get_dead_tuples(oid), current_database() FROM pg_class"
            " WHERE oid = 'public.bloated'::regclass"
        ).fetchone()
        indexes = conn.execute(
            "SELECT count(*) FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid"
            " JOIN pg_namespace n ON n.oid = t.relnamespace"
            " WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')"
            " AND n.nspname NOT LIKE 'pg_toast%'"
        ).fetchone()
    assert row is not None and indexes is not None
    # HC057 warned about its dead rows: the saved numbers are the ones it judged
    assert (bloated.estimated_rows, bloated.dead_tuples) == (row[0], row[1]) and row[1] > 0
    hc057 = next(c for c in report["checks"] if c["code"] == "HC057")
    assert f"{bloated.dead_tuples} dead rows" in hc057["findings"][0]["message"]
    assert stats.database.name == row[2] and len(stats.indexes) == indexes[0]
    assert all("estimated_rows" in t and "table_bytes" in t for t in data["tables"])


def test_unwritable_stats_file_is_a_usage_error(planted: Built, tmp_path: Path) -> None:
    target = tmp_path / "no" / "such" / "stats.json"
    result = run(planted.project, "--no-crud", "--save-stats", str(target), "-d", planted.url)
    assert result.returncode == 2
    assert result.stderr.startswith("error: cannot write the statistics to ")
    assert "Traceback" not in result.stderr
