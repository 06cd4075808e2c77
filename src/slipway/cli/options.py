"""Options shared by every command, and the glue that turns them into Settings.

`--database-url` and `--migrations` are accepted both before the command name (on the root
callback) and after it (on each command); the one after the command wins.
"""

from __future__ import annotations

from enum import Enum
from typing import Annotated, Any

import typer

from slipway.cli.context import project_settings
from slipway.config import Settings

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
    root: dict[str, Any] = ctx.find_root().obj or {}
    return project_settings(
        database_url or root.get("database_url"),
        migrations or root.get("migrations"),
        announce=not is_quiet(ctx, bool(ctx.params.get("quiet"))),
    )


def is_quiet(ctx: typer.Context, quiet: bool) -> bool:
    root: dict[str, Any] = ctx.find_root().obj or {}
    return quiet or bool(root.get("quiet"))
