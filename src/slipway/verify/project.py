"""`slipway verify` for a project: its migrations folder replayed on a scratch database next
to its database (or on --scratch-url), and which verdicts count as failures. Shared by the
CLI, slipway.api and the pytest plugin."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from slipway.config import Settings
from slipway.migrations.model import Migration
from slipway.verify.roundtrip import NO_ROLLBACK, OK, Options, Result, verify_migrations
from slipway.verify.scratch import Setup


def verify_project(
    settings: Settings,
    options: Options | None = None,
    scratch_url: str | None = None,
    on_result: Callable[[Result], None] | None = None,
    migrations: Sequence[Migration] | None = None,
    setup: Setup | None = None,
) -> list[Result]:
    """Every migration's verdict, in order (`migrations`: the folder's, unless given;
    `setup`: SQL the scratch database gets before the first migration and every rebuild)."""
    from slipway.db import server_url
    from slipway.migrations.layouts import load_folder
    from slipway.verify.scratch import scratch_database

    if migrations is None:
        migrations = load_folder(settings.migrations_dir).migrations
    server = None if scratch_url else server_url(settings)
    with scratch_database(server, scratch_url, setup=setup) as scratch:
        return verify_migrations(scratch, migrations, options or Options(), on_result)


def failures(results: Sequence[Result], allow_no_rollback: bool = False) -> list[Result]:
    """The results that fail a run: every verdict but ok (and no-rollback, when allowed)."""
    passing = {OK, NO_ROLLBACK} if allow_no_rollback else {OK}
    return [r for r in results if r.verdict not in passing]
