"""Per-migration lines say what happened ("applied", "reverted"), never a bare "ok" that would
promise durability before the run's last, waiting commit."""

from __future__ import annotations

from engine_helpers import Cli


def test_lines_say_applied_and_reverted_and_the_summary_comes_last(cli: Cli) -> None:
    cli.write("0001_a.sql", "CREATE TABLE a (id int);")
    cli.write("0001_a.down.sql", "DROP TABLE a;")
    cli.write("0002_b.sql", "CREATE TABLE b (id int);")
    cli.write("0002_b.down.sql", "DROP TABLE b;")
    up = cli("up")
    assert up.code == 0, up.err
    lines = [line for line in up.out.splitlines() if line.strip()]
    assert [line.split(" ... ")[1].split(" ")[0] for line in lines[:2]] == ["applied", "applied"]
    assert " ok" not in up.out
    assert lines[-1].startswith("Applied 2 migrations")
    down = cli("down", "--steps", "2")
    assert down.code == 0, down.err
    assert down.out.count("... reverted") == 2 and " ok" not in down.out
