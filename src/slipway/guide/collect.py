"""Gather what the guide needs: the migrations, their analysis and lint, and maybe the status.

The database is used only when one is configured (--database-url, DATABASE_URL or the config
file): the guide never starts the embedded server. A configured database that cannot be
reached leaves the status unknown and says so; the rest of the guide is still written.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from slipway.config import Settings
from slipway.errors import SlipwayError
from slipway.guide.build import GuideInputs, build_guide
from slipway.guide.deps import analyze
from slipway.guide.model import Guide
from slipway.migrations.layouts import load_folder
from slipway.migrations.model import MigrationSet
from slipway.migrations.status import MigrationState, combine

if TYPE_CHECKING:
    import psycopg

UNREACHABLE = "database not reachable: status unknown"
OFFLINE = (
    "offline: no database configured, status unknown (pass --database-url or set DATABASE_URL)"
)


def read_status(
    settings: Settings, mset: MigrationSet, conn: psycopg.Connection[Any] | None
) -> tuple[list[MigrationState] | None, str]:
    """(statuses or None, a line saying where they came from)."""
    from slipway.db import mask_url
    from slipway.migrations.history import History

    if conn is not None:
        return combine(mset, History(settings.table).applied(conn)), "connected"
    if not settings.database_url:
        return None, OFFLINE
    import psycopg

    from slipway.db import connect

    try:
        with connect(settings, connect_timeout=5) as own:
            states = combine(mset, History(settings.table).applied(own))
    except (SlipwayError, psycopg.Error):
        return None, UNREACHABLE
    return states, f"connected to {mask_url(settings.database_url)}"


def collect_guide(
    settings: Settings, conn: psycopg.Connection[Any] | None = None, generated: str = ""
) -> Guide:
    """The Guide for the project `settings` describe (conn: an open connection to use)."""
    from slipway.lint.catalog import to_catalog
    from slipway.lint.config import LintConfig
    from slipway.lint.engine import lint

    mset = load_folder(settings.migrations_dir)
    facts = analyze(mset.migrations)
    result = lint(mset.migrations, LintConfig.from_settings(settings))
    assert result.state is not None
    statuses, database = read_status(settings, mset, conn)
    inputs = GuideInputs(
        settings=settings,
        migrations=mset,
        facts=facts,
        findings=result.findings,
        catalog=to_catalog(result.state),
        statuses=statuses,
        database=database,
        generated=generated,
    )
    return build_guide(inputs)
