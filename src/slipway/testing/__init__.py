"""slipway's pytest plugin: a database migrated to head for every test, and a rollback check.

Registered by the `pytest11` entry point `slipway.testing` when slipway is installed (turn it
off with `-p no:slipway.testing`; without the installed entry point, `-p slipway.testing`).

Fixtures:

- `slipway_db`: a new database with every migration applied, dropped after the test (in
  the background; the session waits for it) (`.name`, `.url`, `.connect()`). The migrations run once, into a template database whose
  name is derived from their checksums; each test gets `CREATE DATABASE ... TEMPLATE` of it,
  a file copy that takes milliseconds. An edited or added migration builds a new template;
  an unchanged folder reuses the one the previous run built.
- `slipway_conn`: an autocommit psycopg connection to `slipway_db`.
- `assert_rollbacks_clean`: call it to run `slipway verify` on a scratch database; the test
  fails listing every migration whose verdict is not ok.
- `slipway_server`: the settings and server URL the others use (session-wide).

Where the server is: `--slipway-url`, else `SLIPWAY_TEST_URL`, else slipway's own settings
for the rootdir (DATABASE_URL, `[database] url` in slipway.toml or `[tool.slipway.database]`
in pyproject.toml, PG* variables, the embedded PostgreSQL). The URL's user needs CREATEDB;
its database itself is not changed. The migrations folder: `--slipway-migrations`, else the
`slipway_migrations` ini option (relative to the ini file), else slipway's settings.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from slipway.errors import SlipwayError

if TYPE_CHECKING:
    import psycopg

    from slipway.config import Settings
    from slipway.testing.template import Dropper, Template
    from slipway.verify.roundtrip import Result

__all__ = ["MigratedDatabase", "SlipwayServer", "assert_rollbacks_clean", "rollback_report"]

_TEMPLATES = pytest.StashKey[list["Template"]]()


@dataclass(frozen=True)
class SlipwayServer:
    """The project settings the fixtures use, and the URL of the server they create on."""

    settings: Settings
    url: str


@dataclass(frozen=True)
class MigratedDatabase:
    """A database of its own for one test, migrated to head."""

    name: str
    url: str

    def connect(self, **kwargs: Any) -> psycopg.Connection[Any]:
        """A new connection (autocommit unless `autocommit=False`); close it yourself."""
        import psycopg

        kwargs.setdefault("autocommit", True)
        return psycopg.connect(self.url, **kwargs)


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("slipway", "slipway: databases migrated to head")
    group.addoption(
        "--slipway-url",
        dest="slipway_url",
        default=None,
        metavar="URL",
        help="A database on the server where tests' databases are created (its "
        "user needs CREATEDB). Default: SLIPWAY_TEST_URL, then slipway's settings.",
    )
    group.addoption(
        "--slipway-migrations",
        dest="slipway_migrations",
        default=None,
        metavar="DIR",
        help="The migrations folder. Default: the slipway_migrations "
        "ini option, then slipway's settings ([migrations] directory, migrations/).",
    )
    parser.addini(
        "slipway_migrations",
        "slipway's migrations folder for the fixtures, relative to the ini file",
        default=None,
    )


def pytest_configure(config: pytest.Config) -> None:
    config.stash[_TEMPLATES] = []


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    for t in config.stash.get(_TEMPLATES, []):
        how = f"built in {t.seconds:.2f}s" if t.built else "reused"
        terminalreporter.write_line(f"slipway: template {t.name} ({t.migrations} migrations) {how}")


def _fail(err: SlipwayError) -> BaseException:
    """A slipway error as a one-line test failure (no traceback through slipway)."""
    return pytest.fail.Exception(f"slipway: {err}", pytrace=False)


def _migrations_option(config: pytest.Config) -> Path | None:
    given = config.getoption("slipway_migrations")
    if given:
        return Path(config.invocation_params.dir, given)
    ini = config.getini("slipway_migrations")
    if ini:
        base = config.inipath.parent if config.inipath else config.rootpath
        return base / str(ini)
    return None


@pytest.fixture(scope="session")
def slipway_server(pytestconfig: pytest.Config) -> SlipwayServer:
    """Where the fixtures create databases, and the project's settings."""
    from slipway.api import load_project
    from slipway.db import server_url

    url = pytestconfig.getoption("slipway_url") or os.environ.get("SLIPWAY_TEST_URL") or None
    try:
        settings = load_project(url, _migrations_option(pytestconfig), pytestconfig.rootpath)
        return SlipwayServer(settings, server_url(settings))
    except SlipwayError as err:
        raise _fail(err) from None


@pytest.fixture(scope="session")
def slipway_template(slipway_server: SlipwayServer, pytestconfig: pytest.Config) -> str:
    """The name of the template database migrated to head (built once, reused while the
    migrations are unchanged)."""
    from slipway.testing.template import ensure_template

    try:
        template = ensure_template(slipway_server.url, slipway_server.settings)
    except SlipwayError as err:
        raise _fail(err) from None
    pytestconfig.stash[_TEMPLATES].append(template)
    return template.name


@pytest.fixture(scope="session")
def _slipway_dropper(slipway_server: SlipwayServer) -> Iterator[Dropper]:
    """Drops each test's database in the background; the session waits for the last."""
    from slipway.testing.template import Dropper

    dropper = Dropper(slipway_server.url)
    yield dropper
    for error in dropper.close():
        warnings.warn(
            pytest.PytestWarning(f"slipway: a test database was not dropped: {error}"), stacklevel=1
        )


@pytest.fixture
def slipway_db(
    slipway_server: SlipwayServer, slipway_template: str, _slipway_dropper: Dropper
) -> Iterator[MigratedDatabase]:
    """A database of this test's own with every migration applied; dropped afterwards."""
    from slipway.db import with_database
    from slipway.testing.template import clone

    name = clone(slipway_server.url, slipway_template)
    try:
        yield MigratedDatabase(name, with_database(slipway_server.url, name))
    finally:
        _slipway_dropper.drop(name)


@pytest.fixture
def slipway_conn(slipway_db: MigratedDatabase) -> Iterator[psycopg.Connection[Any]]:
    """An autocommit connection to `slipway_db`, closed after the test."""
    with slipway_db.connect() as conn:
        yield conn


@pytest.fixture(name="assert_rollbacks_clean")
def _assert_rollbacks_clean_fixture(
    slipway_server: SlipwayServer,
) -> Callable[..., list[Result]]:
    """`assert_rollbacks_clean(allow_no_rollback=False, ...)` for the configured project."""

    def check(**options: Any) -> list[Result]:
        settings = slipway_server.settings
        options.setdefault("migrations", settings.migrations_dir)
        options.setdefault("project_dir", settings.project_dir)
        return assert_rollbacks_clean(database_url=slipway_server.url, **options)

    return check


def assert_rollbacks_clean(
    *,
    database_url: str | None = None,
    migrations: str | os.PathLike[str] | None = None,
    project_dir: str | os.PathLike[str] | None = None,
    allow_no_rollback: bool = False,
    **verify_options: Any,
) -> list[Result]:
    """Run `slipway verify` (every migration up, verify, down, compared, up again) on a
    scratch database on `database_url`'s server; fail the calling test with every verdict
    that is not ok. Returns the results when all pass. `verify_options`: those of
    `slipway.api.verify` (scratch_url, privileges, strict_column_order, thorough)."""
    from slipway import api

    __tracebackhide__ = True
    try:
        results = api.verify(
            database_url=database_url,
            migrations=migrations,
            project_dir=project_dir,
            **verify_options,
        )
    except SlipwayError as err:
        raise _fail(err) from None
    failed = api.failed_verdicts(results, allow_no_rollback)
    if failed:
        pytest.fail(rollback_report(failed, len(results)), pytrace=False)
    return results


def rollback_report(failed: Sequence[Result], total: int) -> str:
    """The failure message: each migration that is not ok, its verdict and why."""
    lines = [f"slipway verify: {len(failed)} of {total} migration(s) did not roll back cleanly"]
    for r in failed:
        lines.append(f"  {r.version} {r.name}: {r.verdict}")
        if r.error:
            lines.append(f"      error: {r.error}")
        lines.extend(f"      - {d}" for d in r.differences)
    return "\n".join(lines)
