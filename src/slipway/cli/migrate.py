"""Migration commands: init, new, status, up, down, redo, plan, validate, baseline, accept,
history. Thin: parse options, call the engine, render."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Annotated, Any

import typer

if TYPE_CHECKING:
    from slipway.migrations.model import MigrationSet

from slipway.cli.options import (
    DatabaseUrlOpt,
    FormatOpt,
    MigrationsOpt,
    OutputFormat,
    QuietOpt,
    is_quiet,
    settings,
)

LockTimeoutOpt = Annotated[
    str | None,
    typer.Option(
        "--lock-timeout",
        help="Longest wait for a lock per DDL statement before retrying, e.g. 2s. "
        "Default: [migrations] lock_timeout, else 5s.",
        show_default=False,
    ),
]
ToOpt = Annotated[
    str | None, typer.Option("--to", help="Stop at this version.", show_default=False)
]
DryRunOpt = Annotated[
    bool, typer.Option("--dry-run", help="Show what would run, with the SQL; change nothing.")
]


@contextmanager
def engine_for(
    ctx: typer.Context,
    database_url: str | None,
    migrations: str | None,
    lock_timeout: str | None,
    quiet: bool = False,
) -> Iterator[Any]:
    from slipway.cli.progress import make_events
    from slipway.migrations.session import open_engine

    cfg = settings(ctx, database_url, migrations)
    events = make_events(is_quiet(ctx, quiet))
    try:
        with open_engine(cfg, lock_timeout, events) as engine:
            yield engine
    finally:
        if hasattr(events, "stop"):
            events.stop()


def _print_plan(steps: list[Any], fmt: OutputFormat, action: str) -> None:
    from slipway.report.terminal import console, print_json

    if fmt is OutputFormat.json:
        print_json("plan", {"action": action, "steps": [s.to_dict() for s in steps]})
        return
    out = console()
    if not steps:
        out.print(f"Nothing to {'apply' if action == 'up' else 'roll back'}.")
        return
    for step in steps:
        mode = (
            "in a transaction"
            if step.mode != "statements"
            else "statement by statement, no transaction"
        )
        out.print(
            f"-- {step.action} {step.migration.version} {step.migration.description} ({mode})"
        )
        out.print(f"-- {step.script.path}", markup=False)
        out.print(step.script.sql.rstrip() + "\n", markup=False, highlight=False)


def _summary(ctx: typer.Context, quiet: bool, report: Any, verb: str) -> None:
    if is_quiet(ctx, quiet):
        return
    count = len(report.results)
    if count == 0:
        print(
            "Nothing to do: the database is up to date."
            if verb == "applied"
            else "Nothing to roll back."
        )
        return
    seconds = sum(r.seconds for r in report.results)
    print(f"{verb.capitalize()} {count} migration{'s' if count != 1 else ''} in {seconds:.2f}s.")


def up(
    ctx: typer.Context,
    to: ToOpt = None,
    dry_run: DryRunOpt = False,
    allow_out_of_order: Annotated[
        bool,
        typer.Option(
            "--allow-out-of-order",
            help="Apply pending migrations older than the newest applied one.",
        ),
    ] = False,
    restart_partial: Annotated[
        bool,
        typer.Option(
            "--restart-partial",
            help="Run a half-applied non-transactional migration from its first statement.",
        ),
    ] = False,
    allow_existing: Annotated[
        bool,
        typer.Option(
            "--allow-existing",
            help="Apply migrations to a database that already holds tables but has no slipway "
            "history (otherwise refused: see `slipway adopt` and `slipway baseline`).",
        ),
    ] = False,
    lock_timeout: LockTimeoutOpt = None,
    database_url: DatabaseUrlOpt = None,
    migrations: MigrationsOpt = None,
    quiet: QuietOpt = False,
) -> None:
    """Apply pending migrations, each in its own transaction with its history row.

    Each migration's line says "applied" when its transaction committed; only the run's final
    line means everything is on disk. To keep runs fast, commits before the last do not wait
    for the disk (unless [migrations] flush_each_migration = true), so a server crash during a
    run can lose the newest migrations, each whole with its history row: nothing is half
    applied, and running `slipway up` again applies them again.
    """
    with engine_for(ctx, database_url, migrations, lock_timeout, quiet) as engine:
        if dry_run:
            _print_plan(engine.plan_up(to, allow_out_of_order), OutputFormat.text, "up")
            return
        report = engine.up(to, allow_out_of_order, restart_partial, allow_existing)
        _warn_unsupported(engine.mset)
    _summary(ctx, quiet, report, "applied")


def _warn_unsupported(mset: MigrationSet) -> None:
    """Migrations slipway leaves out (Flyway's R__ files): said on every `up`, since what
    they create is missing from the schema."""
    for ignored in mset.ignored:
        if ignored.unsupported:
            print(f"warning: {mset.shown(ignored.path)}: {ignored.reason}", file=sys.stderr)


def down(
    ctx: typer.Context,
    steps: Annotated[
        int | None,
        typer.Option("--steps", "-n", help="How many migrations to roll back (default 1)."),
    ] = None,
    to: Annotated[
        str | None,
        typer.Option(
            "--to", help="Roll back every migration newer than this version.", show_default=False
        ),
    ] = None,
    all_: Annotated[
        bool,
        typer.Option("--all", help="Roll back every applied migration, newest first."),
    ] = False,
    dry_run: DryRunOpt = False,
    allow_empty: Annotated[
        bool,
        typer.Option(
            "--allow-empty",
            help="Roll back a schema-changing migration whose down script is empty (only "
            "comments or nothing): it is recorded as rolled back, and nothing is undone.",
        ),
    ] = False,
    lock_timeout: LockTimeoutOpt = None,
    database_url: DatabaseUrlOpt = None,
    migrations: MigrationsOpt = None,
    quiet: QuietOpt = False,
) -> None:
    """Roll back the newest applied migration (or --steps N, --to a version, or --all).

    Refused, changing nothing, when a migration to roll back has no down script, or an empty
    one while its up script changes the schema (unless --allow-empty)."""
    from slipway.migrations.session import rollback_count

    how_many = rollback_count(steps, to, all_)
    with engine_for(ctx, database_url, migrations, lock_timeout, quiet) as engine:
        if dry_run:
            _print_plan(engine.plan_down(how_many, to, allow_empty), OutputFormat.text, "down")
            return
        report = engine.down(how_many, to, allow_empty)
    _summary(ctx, quiet, report, "rolled back")


def redo(
    ctx: typer.Context,
    lock_timeout: LockTimeoutOpt = None,
    database_url: DatabaseUrlOpt = None,
    migrations: MigrationsOpt = None,
    quiet: QuietOpt = False,
) -> None:
    """Roll back the newest applied migration and apply it again."""
    with engine_for(ctx, database_url, migrations, lock_timeout, quiet) as engine:
        report = engine.redo()
    if not is_quiet(ctx, quiet):
        print(f"Redid {report.results[0].step.migration.version}.")


def plan(
    ctx: typer.Context,
    action: Annotated[str, typer.Argument(help="up or down")] = "up",
    to: ToOpt = None,
    steps: Annotated[int, typer.Option("--steps", "-n", help="For down: how many.")] = 1,
    fmt: FormatOpt = OutputFormat.text,
    database_url: DatabaseUrlOpt = None,
    migrations: MigrationsOpt = None,
) -> None:
    """Show what `up` or `down` would run, in order, with the SQL. Changes nothing."""
    from slipway.errors import ConfigError

    if action not in ("up", "down"):
        raise ConfigError(f"plan takes 'up' or 'down', not {action!r}")
    with engine_for(ctx, database_url, migrations, None) as engine:
        steps_list = engine.plan_up(to) if action == "up" else engine.plan_down(steps, to)
    _print_plan(steps_list, fmt, action)


def baseline(
    ctx: typer.Context,
    version: Annotated[
        str, typer.Argument(help="Every migration up to this version is marked applied.")
    ],
    database_url: DatabaseUrlOpt = None,
    migrations: MigrationsOpt = None,
    quiet: QuietOpt = False,
) -> None:
    """Adopt an existing database: record migrations up to VERSION as applied, without running them.

    After a mistaken partial run, the migrations already applied stay as they are and only the
    missing ones up to VERSION are recorded."""
    with engine_for(ctx, database_url, migrations, None, quiet) as engine:
        recorded, already = engine.baseline(version)
    if not is_quiet(ctx, quiet):
        line = f"Baselined at {version}: {len(recorded)} migration(s) recorded as applied"
        if recorded:
            line += f" ({', '.join(m.version for m in recorded)})"
        if already:
            line += f"; {len(already)} already applied, left as they were"
        print(line + ".")


def accept(
    ctx: typer.Context,
    version: Annotated[str, typer.Argument(help="The applied migration whose edit to accept.")],
    reason: Annotated[
        str | None, typer.Option("--reason", help="Why the edit is safe (kept in the audit log).")
    ] = None,
    database_url: DatabaseUrlOpt = None,
    migrations: MigrationsOpt = None,
    quiet: QuietOpt = False,
) -> None:
    """Accept an intentional edit of an applied migration; who, when and both checksums are logged."""
    with engine_for(ctx, database_url, migrations, None, quiet) as engine:
        old, new = engine.accept(version, reason)
    if not is_quiet(ctx, quiet):
        print(
            f"Accepted the edit of {version}: checksum {old[:12]} -> {new[:12]} (recorded in history)."
        )


def register(app: typer.Typer) -> None:
    for command in (up, down, redo, plan, baseline, accept):
        app.command()(command)
