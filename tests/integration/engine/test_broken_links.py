"""A dangling symbolic link or a loop of them among the migrations is one line naming it and
exit 2 in every command that loads the folder (they share the layout loader)."""

from __future__ import annotations

import os

import pytest
from engine_helpers import Cli

DANGLING = "is a symbolic link to nowhere.sql, which does not exist; fix the link or remove it"
LOOP = "is a symbolic link loop; fix the link or remove it"


def _dangling(cli: Cli) -> str:
    os.symlink("nowhere.sql", cli.project / "migrations" / "0002_b.sql")
    return f"error: migrations/0002_b.sql: {DANGLING}"


def _loop(cli: Cli) -> str:
    migrations = cli.project / "migrations"
    os.symlink("0002_b.sql", migrations / "other")
    os.symlink("other", migrations / "0002_b.sql")
    return f"error: migrations/0002_b.sql: {LOOP}"


def _folder_loop(cli: Cli) -> str:
    os.symlink("2024-01-01-000000_b", cli.project / "migrations" / "2024-01-01-000000_b")
    return f"error: migrations/2024-01-01-000000_b: {LOOP}"


def _diesel_script(cli: Cli) -> str:
    folder = cli.project / "migrations" / "2024-01-01-000000_b"
    folder.mkdir()
    (folder / "up.sql").write_text("CREATE TABLE b (id int);", encoding="utf-8")
    os.symlink("gone.sql", folder / "down.sql")
    return (
        "error: migrations/2024-01-01-000000_b/down.sql: is a symbolic link to gone.sql,"
        " which does not exist; fix the link or remove it"
    )


@pytest.mark.parametrize("make", [_dangling, _loop, _folder_loop, _diesel_script])
@pytest.mark.parametrize(
    "command",
    [
        ("lint",),
        ("lint", "--no-cache"),
        ("lint", "migrations"),
        ("lint", "migrations/0001_a.sql"),
        ("validate", "--offline"),
        ("status",),
        ("up",),
    ],
)
def test_a_broken_link_is_one_line_and_exit_2(
    cli: Cli, make: object, command: tuple[str, ...], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SLIPWAY_CACHE_DIR", str(cli.project / ".cache"))
    cli.write("0001_a.sql", "CREATE TABLE a (id int);")
    expected = make(cli)  # type: ignore[operator]
    result = cli(*command, url=command[0] in ("status", "up"))
    assert result.code == 2, result.text
    assert result.err.splitlines() == [expected]


@pytest.mark.parametrize("make", [_dangling, _loop])
def test_linting_the_broken_link_itself_names_it(cli: Cli, make: object) -> None:
    cli.write("0001_a.sql", "CREATE TABLE a (id int);")
    expected = make(cli)  # type: ignore[operator]
    result = cli("lint", "--no-cache", "migrations/0002_b.sql", url=False)
    assert result.code == 2 and result.err.splitlines() == [expected]


def test_a_broken_link_that_is_no_migration_is_listed_not_fatal(cli: Cli) -> None:
    cli.write("0001_a.sql", "CREATE TABLE a (id int);")
    os.symlink("README", cli.project / "migrations" / "NOTES")
    result = cli("validate", "--offline", url=False)
    assert result.code == 0, result.text
    assert "migrations/NOTES: is a symbolic link to README, which does not exist" in result.text
    assert cli("lint", url=False).code == 0


def test_a_migrations_folder_that_is_a_broken_link_or_a_loop(cli: Cli) -> None:
    os.rmdir(cli.project / "migrations")
    os.symlink("elsewhere", cli.project / "migrations")
    result = cli("status")
    assert result.code == 2
    assert result.err.splitlines() == [
        (
            f"error: migrations folder {cli.project / 'elsewhere'} does not exist; run `slipway init`"
            " or pass --migrations"
        )
    ]
    os.remove(cli.project / "migrations")
    os.symlink("migrations", cli.project / "migrations")
    for command in (("status",), ("lint",)):
        result = cli(*command, url=command == ("status",))
        assert result.code == 2
        assert result.err.splitlines() == [
            f"error: migrations folder {cli.project / 'migrations'}: {LOOP}"
        ]
