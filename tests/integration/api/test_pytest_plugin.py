"""slipway.testing, the pytest plugin, run by pytester on a small project of its own: a
database migrated to head per test (from a template rebuilt when a migration changes), and
assert_rollbacks_clean failing on a broken rollback."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from plugin_support import QUIET, TEMPLATE_LINE, run

from pg_fixtures import ADMIN_URL, admin
from slipway.testing.template import folder_prefix

TESTS = """
def test_each_test_gets_the_migrated_schema(slipway_conn):
    slipway_conn.execute("INSERT INTO users (email) VALUES ('a@example.com')")
    assert slipway_conn.execute("SELECT count(*) FROM users").fetchone()[0] == 1


def test_and_a_database_of_its_own(slipway_conn, slipway_db):
    assert slipway_conn.execute("SELECT count(*) FROM users").fetchone()[0] == 0
    assert slipway_conn.info.dbname == slipway_db.name


def test_history_says_applied(slipway_db, slipway_server):
    from slipway import api

    folder = slipway_server.settings.migrations_dir
    states = api.status(database_url=slipway_db.url, migrations=folder)
    assert [s.state for s in states] == ["applied", "applied"]
"""


@pytest.fixture
def shop(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> pytest.Pytester:
    """A project: two migrations with rollbacks in migrations/, and tests that use them."""
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("SLIPWAY_TEST_URL", raising=False)
    mig = pytester.mkdir("migrations")
    (mig / "0001_users.sql").write_text(
        "CREATE TABLE users (id bigserial PRIMARY KEY, email text NOT NULL);\n"
    )
    (mig / "0001_users.down.sql").write_text("DROP TABLE users;\n")
    (mig / "0002_orders.sql").write_text(
        "CREATE TABLE orders (id bigserial PRIMARY KEY, user_id bigint REFERENCES users);\n"
    )
    (mig / "0002_orders.down.sql").write_text("DROP TABLE orders;\n")
    pytester.makepyfile(test_shop=TESTS)
    return pytester


def template_of(result: pytest.RunResult) -> tuple[str, str]:
    found = TEMPLATE_LINE.search(result.stdout.str())
    assert found, result.stdout.str()
    return found.group(1), found.group(3)


def database_exists(name: str) -> bool:
    with admin() as conn:
        return (
            conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
            is not None
        )


def test_template_built_once_reused_and_rebuilt_after_an_edit(
    shop: pytest.Pytester, templates: list[str]
) -> None:
    first = run(shop, templates)
    first.assert_outcomes(passed=3)
    name, how = template_of(first)
    assert how.startswith("built in") and database_exists(name)

    second = run(shop, templates)
    second.assert_outcomes(passed=3)
    assert template_of(second) == (name, "reused")

    # An edited migration: a new template with the new column; the old one is dropped.
    (shop.path / "migrations" / "0001_users.sql").write_text(
        "CREATE TABLE users (id bigserial PRIMARY KEY, email text NOT NULL, name text);\n"
    )
    shop.makepyfile(
        test_edit="""
def test_new_column(slipway_conn):
    slipway_conn.execute("INSERT INTO users (email, name) VALUES ('b@example.com', 'B')")
"""
    )
    third = run(shop, templates)
    third.assert_outcomes(passed=4)
    rebuilt, how = template_of(third)
    assert rebuilt != name and how.startswith("built in")
    assert database_exists(rebuilt) and not database_exists(name)


def test_each_test_database_is_dropped(shop: pytest.Pytester, templates: list[str]) -> None:
    shop.makepyfile(
        test_names="""
import pathlib

def test_record(slipway_db):
    pathlib.Path("names.txt").open("a").write(slipway_db.name + "\\n")

def test_record_too(slipway_db):
    pathlib.Path("names.txt").open("a").write(slipway_db.name + "\\n")
"""
    )
    run(shop, templates, "test_names.py").assert_outcomes(passed=2)
    names = (shop.path / "names.txt").read_text().split()
    assert len(set(names)) == 2
    assert not any(database_exists(n) for n in names)


def test_assert_rollbacks_clean_passes_then_fails_on_a_broken_rollback(
    shop: pytest.Pytester, templates: list[str]
) -> None:
    shop.makepyfile(
        test_rollbacks="""
def test_rollbacks(assert_rollbacks_clean):
    results = assert_rollbacks_clean()
    assert [r.verdict for r in results] == ["ok", "ok"]
"""
    )
    run(shop, templates, "test_rollbacks.py").assert_outcomes(passed=1)

    (shop.path / "migrations" / "0002_orders.down.sql").write_text("SELECT 1;\n")
    (shop.path / "migrations" / "0003_note.sql").write_text("ALTER TABLE users ADD note text;\n")
    result = run(shop, templates, "test_rollbacks.py")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "*slipway verify: 2 of 3 migration(s) did not roll back cleanly",
            "*0002 orders: rollback-incomplete",
            "*- *orders*",
            "*0003 note: no-rollback",
        ]
    )
    assert "slipway/api.py" not in result.stdout.str()  # no traceback through slipway
    # no-rollback can be allowed, as with `slipway verify --allow-no-rollback`
    shop.makepyfile(
        test_rollbacks="""
def test_rollbacks(assert_rollbacks_clean):
    assert_rollbacks_clean(allow_no_rollback=True)
"""
    )
    result = run(shop, templates, "test_rollbacks.py")
    result.assert_outcomes(failed=1)
    assert "1 of 3" in result.stdout.str() and "0003" not in result.stdout.str()


def test_migrations_folder_from_the_ini_option(shop: pytest.Pytester, templates: list[str]) -> None:
    (shop.path / "migrations").rename(shop.path / "schema")
    shop.makeini("[pytest]\nslipway_migrations = schema\n")
    run(shop, templates, "test_shop.py").assert_outcomes(passed=3)
    shop.makeini("[pytest]\n")
    run(shop, templates, "test_shop.py", "--slipway-migrations", "schema").assert_outcomes(passed=3)


def test_a_failing_migration_is_one_line_per_test(
    shop: pytest.Pytester, templates: list[str]
) -> None:
    (shop.path / "migrations" / "0003_bad.sql").write_text("INSERT INTO nowhere VALUES (1);\n")
    result = run(shop, templates, "test_shop.py")
    result.assert_outcomes(errors=3)
    result.stdout.fnmatch_lines(["*slipway: *0003_bad.sql:1*nowhere*"])
    assert "Traceback" not in result.stdout.str()
    with admin() as conn:  # the half-built template was dropped
        prefix = folder_prefix((shop.path / "migrations").resolve())
        left = conn.execute(
            "SELECT datname FROM pg_database WHERE starts_with(datname, %s)", (prefix,)
        ).fetchall()
    assert left == []


def test_url_from_slipway_settings(
    shop: pytest.Pytester, templates: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without --slipway-url or SLIPWAY_TEST_URL: slipway's own settings ([tool.slipway])."""
    shop.makepyprojecttoml(f'[tool.slipway.database]\nurl = "{ADMIN_URL}"\n')
    result = shop.runpytest("-p", "slipway.testing", *QUIET, "test_shop.py")
    templates.extend(m.group(1) for m in TEMPLATE_LINE.finditer(result.stdout.str()))
    result.assert_outcomes(passed=3)
    monkeypatch.setenv("SLIPWAY_TEST_URL", "postgresql://nobody@127.0.0.1:1/nothing")
    failed = shop.runpytest("-p", "slipway.testing", *QUIET, "test_shop.py")
    failed.assert_outcomes(errors=3)
    failed.stdout.fnmatch_lines(["*slipway: *127.0.0.1*"])


def test_the_entry_point_loads_the_plugin(
    shop: pytest.Pytester, templates: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """pyproject's pytest11 entry point, as an installed slipway declares it: the plugin loads
    without -p, `-p slipway.testing` beside it is no double registration, and
    `-p no:slipway.testing` turns it off."""
    import tomllib

    root = Path(__file__).resolve().parents[3]
    declared = tomllib.loads((root / "pyproject.toml").read_text())["project"]["entry-points"]
    dist = shop.mkdir("site") / "slipway_entry-0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: slipway-entry\nVersion: 0\n")
    (dist / "entry_points.txt").write_text(
        "[pytest11]\n" + "".join(f"{k} = {v}\n" for k, v in declared["pytest11"].items())
    )
    path = os.pathsep.join([str(shop.path / "site"), os.environ.get("PYTHONPATH", "")])
    monkeypatch.setenv("PYTHONPATH", path)
    url = ("--slipway-url", ADMIN_URL)
    for args in ((), ("-p", "slipway.testing")):
        result = shop.runpytest_subprocess(*url, *args, "test_shop.py")
        templates.extend(m.group(1) for m in TEMPLATE_LINE.finditer(result.stdout.str()))
        result.assert_outcomes(passed=3)
    off = shop.runpytest_subprocess("-p", "no:slipway.testing", "test_shop.py")
    off.stdout.fnmatch_lines(["*fixture 'slipway_conn' not found*"])
