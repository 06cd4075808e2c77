"""The project's Settings for a command, without typer: shared by the typer commands
(slipway.cli.options) and `slipway lint`'s typer-free path (slipway.cli.fastlint)."""

from __future__ import annotations

from slipway.config import Settings, load_settings


def project_settings(database_url: str | None, migrations: str | None, announce: bool) -> Settings:
    """Settings from the options given; with `announce`, every command that reaches a database
    names it first on stderr (stdout stays parseable)."""
    from slipway import db

    db.announce_databases(announce)
    return load_settings(database_url=database_url, migrations=migrations)
