"""slipway.api: the commands as functions, returning results, printing nothing, failing with
slipway's exceptions; re-exported lazily from the package top level."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import psycopg
import pytest

import slipway
from slipway import api
from slipway.cli.app import main


def write(folder: Path, name: str, sql: str) -> None:
    (folder / name).write_text(sql, encoding="utf-8")


@pytest.fixture
def two(project: Path) -> Path:
    """A project with two migrations, both with rollbacks."""
    mig = project / "migrations"
    write(mig, "0001_users.sql", "CREATE TABLE users (id bigint PRIMARY KEY, email text);\n")
    write(mig, "0001_users.down.sql", "DROP TABLE users;\n")
    write(
        mig,
        "0002_orders.sql",
        "CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint REFERENCES users);\n",
    )
    write(mig, "0002_orders.down.sql", "DROP TABLE orders;\n")
    return project


def tables(url: str) -> set[str]:
    with psycopg.connect(url) as conn:
        rows = conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        return {r[0] for r in rows}


def test_up_status_down_return_results_and_print_nothing(
    two: Path, db_url: str, capfd: pytest.CaptureFixture[str]
) -> None:
    report = api.up(database_url=db_url)
    assert report.action == "up"
    assert [r.step.migration.version for r in report.results] == ["0001", "0002"]
    assert {"users", "orders"} <= tables(db_url)

    states = api.status(database_url=db_url)
    assert [(s.version, s.shown_state, s.rollback) for s in states] == [
        ("0001", "applied", "file"),
        ("0002", "applied", "file"),
    ]

    back = api.down(database_url=db_url, all=True)
    assert [r.step.migration.version for r in back.results] == ["0002", "0001"]
    assert not {"users", "orders"} & tables(db_url)
    assert api.up(database_url=db_url, to="0001").results[0].step.migration.version == "0001"
    assert [s.shown_state for s in api.status(database_url=db_url)] == ["applied", "pending"]
    assert capfd.readouterr() == ("", "")


def test_project_dir_and_relative_migrations_folder(
    tmp_path: Path, db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A relative `migrations` is relative to `project_dir`, not to the working directory;
    the project's slipway.toml is read (here: its history table)."""
    app = tmp_path / "app"
    (app / "db").mkdir(parents=True)
    write(app / "db", "0001_users.sql", "CREATE TABLE users (id bigint);\n")
    (app / "slipway.toml").write_text('[migrations]\ntable = "app_history"\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    api.up(database_url=db_url, migrations="db", project_dir=app)
    assert {"users", "app_history"} <= tables(db_url)
    assert [s.state for s in api.status(database_url=db_url, migrations="db", project_dir=app)] == [
        "applied"
    ]


def test_errors_are_slipway_exceptions(two: Path, db_url: str) -> None:
    write(two / "migrations", "0003_broken.sql", "INSERT INTO nowhere VALUES (1);\n")
    with pytest.raises(api.ConfigError, match="use one of steps, to and all"):
        api.down(database_url=db_url, steps=1, all=True)
    with pytest.raises(api.ConfigError, match="lock_timeout 'soon' is not a duration"):
        api.up(database_url=db_url, lock_timeout="soon")
    with pytest.raises(api.MigrationFailed, match=r"0003_broken\.sql:1"):
        api.up(database_url=db_url)
    assert [s.shown_state for s in api.status(database_url=db_url)] == [
        "applied",
        "applied",
        "pending",
    ]
    (two / "migrations" / "0003_broken.sql").unlink()
    (two / "migrations" / "0002_orders.down.sql").unlink()
    with pytest.raises(api.Refused) as refused:
        api.down(database_url=db_url)
    assert refused.value.exit_code == 1 and isinstance(refused.value, slipway.SlipwayError)
    with pytest.raises(api.ConnectionFailed):
        api.status(database_url="postgresql://nobody@127.0.0.1:1/nothing")


def test_cli_keeps_its_option_names_in_messages(
    two: Path, db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """The options check moved below the CLI; the CLI still names its flags."""
    with pytest.raises(SystemExit) as exit_:
        main(["down", "--steps", "1", "--all", "--database-url", db_url])
    assert exit_.value.code == 2
    assert "use one of --steps, --to and --all" in capsys.readouterr().err


def test_verify_lint_doctor_return_their_results(two: Path, db_url: str) -> None:
    results = api.verify(database_url=db_url)
    assert [(r.version, r.verdict) for r in results] == [("0001", "ok"), ("0002", "ok")]
    assert api.failed_verdicts(results) == []

    write(two / "migrations", "0002_orders.down.sql", "SELECT 1;\n")  # leaves orders behind
    broken = api.failed_verdicts(api.verify(database_url=db_url))
    assert [(r.version, r.verdict) for r in broken] == [("0002", "rollback-incomplete")]
    assert any("orders" in d for d in broken[0].differences)

    linted = api.lint(["migrations"], use_cache=False)
    assert linted.migrations == 2 and not linted.fails("error")
    assert api.lint(use_cache=False).migrations == 2  # default: the project's folder

    api.up(database_url=db_url)
    report = api.doctor(database_url=db_url, crud=False)
    assert report.status in ("pass", "warn", "fail") and report.checks
    assert "***" not in report.database and "127.0.0.1" in report.database


def test_top_level_exports_are_lazy() -> None:
    """`import slipway` does not import the API; `slipway.up` does, and `slipway --help`
    never does."""
    code = (
        "import sys, slipway; assert 'slipway.api' not in sys.modules; "
        "assert slipway.up is slipway.api.up and slipway.Refused is slipway.api.Refused; "
        "assert set(slipway.api.__all__) - {'lint', 'verify'} <= set(dir(slipway)); "
        # subpackages of these names: the functions are slipway.api's only
        "import slipway.lint, slipway.verify; "
        "assert callable(slipway.api.lint) and not callable(slipway.lint)"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
    imported = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "slipway", "--help"],
        capture_output=True,
        text=True,
        check=True,
    ).stderr
    assert "slipway.api" not in imported and "slipway.testing" not in imported
    with pytest.raises(AttributeError, match="no attribute 'nothing'"):
        _ = slipway.nothing  # type: ignore[attr-defined]
