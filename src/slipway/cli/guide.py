"""`slipway deps`, `slipway guide` and `slipway docs`: thin shells over slipway.guide."""

from __future__ import annotations

import sys
from datetime import UTC
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from slipway.cli.options import DatabaseUrlOpt, MigrationsOpt, QuietOpt, is_quiet, settings

if TYPE_CHECKING:
    from slipway.catalog.model import Catalog
    from slipway.config import Settings


class DepsFormat(str, Enum):
    text = "text"
    json = "json"
    mermaid = "mermaid"


class DocFormat(str, Enum):
    md = "md"
    html = "html"


DocFormatOpt = Annotated[
    DocFormat, typer.Option("--format", "-f", case_sensitive=False, help="Markdown or HTML.")
]
OutputOpt = Annotated[
    Path | None,
    typer.Option(
        "--output", "-o", help="Write to this file (default: standard output).", show_default=False
    ),
]
GuideDatabaseOpt = Annotated[
    str | None,
    typer.Option(
        "--database-url",
        "-d",
        help="Database for live status. Default: DATABASE_URL, then slipway.toml; never the "
        "embedded server (without one the status is unknown).",
        show_default=False,
    ),
]
NoTimestampOpt = Annotated[
    bool,
    typer.Option("--no-timestamp", help="Leave the generation time out (reproducible output)."),
]


def register(app: typer.Typer) -> None:
    app.command("deps")(deps_command)
    app.command("guide")(guide_command)
    app.command("docs")(docs_command)


def _emit(text: str, output: Path | None, quiet: bool) -> None:
    if output is None:
        sys.stdout.write(text)
        return
    from slipway.errors import ConfigError

    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise ConfigError(
            f"cannot write {output}: {exc.strerror}; choose another --output"
        ) from exc
    if not quiet:
        print(f"wrote {output}", file=sys.stderr)


def _now(no_timestamp: bool) -> str:
    if no_timestamp:
        return ""
    from datetime import datetime

    return datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")


def deps_command(
    ctx: typer.Context,
    fmt: Annotated[
        DepsFormat, typer.Option("--format", "-f", case_sensitive=False, help="Output format.")
    ] = DepsFormat.text,
    migrations: MigrationsOpt = None,
) -> None:
    """Show which earlier migrations each migration depends on, and why."""
    from slipway.guide.deps import analyze
    from slipway.guide.deps_render import RENDERERS, deps_json
    from slipway.migrations.layouts import load_folder

    facts = analyze(load_folder(settings(ctx, None, migrations).migrations_dir).migrations)
    if fmt is DepsFormat.json:
        from slipway.report.terminal import print_json

        print_json("deps", {"migrations": deps_json(facts)})
        return
    sys.stdout.write(RENDERERS[fmt.value](facts))


def guide_command(
    ctx: typer.Context,
    fmt: DocFormatOpt = DocFormat.md,
    output: OutputOpt = None,
    no_timestamp: NoTimestampOpt = False,
    database_url: GuideDatabaseOpt = None,
    migrations: MigrationsOpt = None,
    quiet: QuietOpt = False,
) -> None:
    """Write the migration guide and runbook (status from the database when one is set)."""
    from slipway.guide import guide_text

    text = guide_text(settings(ctx, database_url, migrations), fmt.value, None, _now(no_timestamp))
    _emit(text, output, is_quiet(ctx, quiet))


def docs_command(
    ctx: typer.Context,
    fmt: DocFormatOpt = DocFormat.md,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="A file, or a folder (no extension) for schema.md or schema.html.",
            show_default=False,
        ),
    ] = None,
    snapshot: Annotated[
        Path | None,
        typer.Option(
            "--snapshot",
            help="Document a saved catalog snapshot instead of the database.",
            show_default=False,
        ),
    ] = None,
    save_snapshot: Annotated[
        Path | None,
        typer.Option(
            "--save-snapshot",
            help="Save the database's catalog as JSON to this file.",
            show_default=False,
        ),
    ] = None,
    title: Annotated[
        str | None, typer.Option("--title", help="Document title.", show_default=False)
    ] = None,
    no_timestamp: NoTimestampOpt = False,
    database_url: DatabaseUrlOpt = None,
    quiet: QuietOpt = False,
) -> None:
    """Write schema documentation from the live database or a saved snapshot."""
    from slipway.guide import docs_text

    cfg = settings(ctx, database_url, None)
    quiet = is_quiet(ctx, quiet)
    catalog = _catalog(cfg, snapshot)
    if save_snapshot is not None:
        from slipway.catalog.serialize import save_snapshot as save

        save(catalog, save_snapshot)
        if not quiet:
            print(f"wrote {save_snapshot}", file=sys.stderr)
        if output is None:
            return
    if output is not None and (output.is_dir() or not output.suffix):  # a folder
        output = output / f"schema.{fmt.value}"
    title = title or f"{cfg.project_dir.name} schema"
    _emit(docs_text(catalog, fmt.value, title, _now(no_timestamp)), output, quiet)


def _catalog(cfg: Settings, snapshot: Path | None) -> Catalog:
    """The catalog to document: a saved snapshot, else the live database's."""
    if snapshot is not None:
        from slipway.catalog.serialize import load_snapshot

        return load_snapshot(snapshot)
    from slipway.catalog.introspect import introspect
    from slipway.db import connect

    with connect(cfg) as conn:
        return introspect(conn)
