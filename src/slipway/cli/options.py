"""Options shared by every command, and the glue that turns them into Settings.

`--database-url` and `--migrations` are accepted both before the command name (on the root
callback) and after it (on each command); the one after the command wins.
"""

from __future__ import annotations

from enum import Enum
from typing import Annotated, Any

import typer

from slipway.config import Settings, load_settings

DatabaseUrlOpt = Annotated[
    str | None,
    typer.Option(
        "--database-url",
        "-d",
        help="PostgreSQL URL. Default: DATABASE_URL (environment, then .env), slipway.toml, PG* variables, then the embedded server.",
        show_default=False,
    ),
]
MigrationsOpt = Annotated[
    str | None,
    typer.Option(
        "--migrations",
        "-m",
        help="Migrations folder. Default: the migrations directory in slipway.toml, then ./migrations.",
        show_default=False,
    ),
]
QuietOpt = Annotated[bool, typer.Option("--quiet", "-q", help="Print only errors.")]


class OutputFormat(str, Enum):
    text = "text"
    json = "json"


FormatOpt = Annotated[
    OutputFormat, typer.Option("--format", "-f", help="Output format.", case_sensitive=False)
]


def settings(ctx: typer.Context, database_url: str | None, migrations: str | None) -> Settings:
    """Settings from this command's options, falling back to the root options."""
    from slipway import db

    root: dict[str, Any] = ctx.find_root().obj or {}
    # Every command that reaches a database names it first on stderr (stdout stays parseable).
    db.announce_databases(not is_quiet(ctx, bool(ctx.params.get("quiet"))))
    return load_settings(
        database_url=database_url or root.get("database_url"),
        migrations=migrations or root.get("migrations"),
    )


def is_quiet(ctx: typer.Context, quiet: bool) -> bool:
    root: dict[str, Any] = ctx.find_root().obj or {}
    return quiet or bool(root.get("quiet"))
