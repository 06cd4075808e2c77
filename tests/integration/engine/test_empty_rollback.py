"""A down script with no statement (empty, or only comments) is an empty rollback in every
layout: `status` shows it, `down` refuses it for a schema change unless --allow-empty, and
lint reports it as rollback-incomplete."""

from __future__ import annotations

import json
from collections.abc import Callable

import psycopg
import pytest
from engine_helpers import Cli, query, table_exists

# (name, up, down or None: no rollback at all), oldest first.
MIGRATIONS: list[tuple[str, str, str | None]] = [
    ("d", "CREATE TABLE d (id int);\n", None),
    ("a", "CREATE TABLE a (id int);\n", "DROP TABLE a;\n"),
    ("b", "CREATE TABLE b (id int);\n", "-- nothing to undo\n/* really */ ;\n"),
    ("seed", "INSERT INTO a VALUES (1);\n", ""),  # data only: an empty rollback is fine
]
Writer = Callable[[Cli, int, str, str, str | None], None]


def _paired(cli: Cli, n: int, name: str, up: str, down: str | None) -> None:
    cli.write(f"000{n}_{name}.sql", up)
    if down is not None:
        cli.write(f"000{n}_{name}.down.sql", down)


def _golang(cli: Cli, n: int, name: str, up: str, down: str | None) -> None:
    cli.write(f"00000{n}_{name}.up.sql", up)
    if down is not None:
        cli.write(f"00000{n}_{name}.down.sql", down)


def _diesel(cli: Cli, n: int, name: str, up: str, down: str | None) -> None:
    folder = f"2024-01-01-00000{n}_{name}"
    cli.write(f"{folder}/up.sql", up)
    if down is not None:
        cli.write(f"{folder}/down.sql", down)


def _dbmate(cli: Cli, n: int, name: str, up: str, down: str | None) -> None:
    section = "" if down is None else f"-- migrate:down\n{down}"
    cli.write(f"2024010100000{n}_{name}.sql", f"-- migrate:up\n{up}\n{section}")


LAYOUTS: dict[str, Writer] = {
    "paired": _paired,
    "golang-migrate": _golang,
    "diesel": _diesel,
    "dbmate": _dbmate,
}


@pytest.fixture(params=list(LAYOUTS))
def layout(request: pytest.FixtureRequest, cli: Cli) -> list[str]:
    """The migrations written in one layout; their versions, oldest first."""
    for n, (name, up, down) in enumerate(MIGRATIONS, 1):
        LAYOUTS[request.param](cli, n, name, up, down)
    result = cli("status", "--format", "json")
    assert result.code == 0, result.text
    return [m["version"] for m in json.loads(result.out)["migrations"]]


def _applied(conn: psycopg.Connection) -> int:
    return int(query(conn, "SELECT count(*) FROM slipway_migrations")[0][0])


def test_status_shows_empty_rollbacks(cli: Cli, layout: list[str]) -> None:
    result = cli("status", "--format", "json")
    states = json.loads(result.out)["migrations"]
    assert [(s["name"], s["has_rollback"], s["rollback"]) for s in states] == [
        ("d", False, "none"),
        ("a", True, "file"),
        ("b", True, "empty"),
        ("seed", True, "empty"),
    ]
    text = cli("status")
    assert text.code == 0, text.text
    rollback = {line.split()[0]: line.split()[2] for line in text.out.splitlines()[1:-1]}
    assert rollback == dict(zip(layout, ["no", "yes", "empty", "empty"])), text.out


def test_down_refuses_an_empty_rollback_of_a_schema_change(
    cli: Cli, db_conn, layout: list[str]
) -> None:
    assert cli("up").code == 0
    refused = cli("down", "--steps", "2")  # seed would be fine, b is not: nothing runs
    assert refused.code == 1
    assert "Traceback" not in refused.err and len(refused.err.strip().splitlines()) == 1
    assert f"cannot roll back {layout[2]} b: its rollback " in refused.err
    assert "is empty but its up script changes the schema; nothing was changed" in refused.err
    assert "--allow-empty" in refused.err
    assert _applied(db_conn) == 4
    assert cli("down").code == 0  # seed: data only, its empty rollback is enough
    assert _applied(db_conn) == 3
    assert cli("down").code == 1 and _applied(db_conn) == 3
    allowed = cli("down", "--allow-empty")
    assert allowed.code == 0, allowed.text
    assert _applied(db_conn) == 2
    assert table_exists(db_conn, "b")  # recorded as rolled back, nothing undone


def test_lint_reports_the_empty_rollback(cli: Cli, layout: list[str]) -> None:
    result = cli("lint", "--format", "json", url=False)
    findings = json.loads(result.out)["findings"]
    findings = findings.get("findings", findings) if isinstance(findings, dict) else findings
    empty = [f for f in findings if "is empty" in f["message"]]
    assert len(empty) == 1, findings
    assert empty[0]["name"] == "rollback-incomplete" and empty[0]["code"] == "SW110"
    assert f"of migration {layout[2]} b is empty (no statement)" in empty[0]["message"]
    assert not [f for f in findings if f["name"] == "rollback-incomplete" and f is not empty[0]]
