"""Commands that create files or read state: init, new, status, validate, history."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from slipway.cli.options import (
    DatabaseUrlOpt,
    FormatOpt,
    MigrationsOpt,
    OutputFormat,
    QuietOpt,
    is_quiet,
    settings,
)

_STATE_STYLE = {
    "applied": "green",
    "pending": "yellow",
    "modified": "red",
    "missing": "red",
    "partial": "red",
}


def init(
    ctx: typer.Context,
    migrations: MigrationsOpt = None,
    quiet: QuietOpt = False,
) -> None:
    """Create the migrations folder and a commented slipway.toml in this folder."""
    from slipway.migrations.scaffold import init_project

    cfg = settings(ctx, None, migrations)
    created = init_project(cfg.project_dir, cfg.migrations_dir)
    if not is_quiet(ctx, quiet):
        for path in created:
            print(f"created {path}")
        if not created:
            print("Nothing to create: this project is already set up.")
        print('Next: slipway new "create users table"')


def new(
    ctx: typer.Context,
    description: Annotated[
        str, typer.Argument(help="What the migration does, e.g. 'add users table'.")
    ],
    migrations: MigrationsOpt = None,
    quiet: QuietOpt = False,
) -> None:
    """Create up, down and verify stubs, numbered in the folder's own version scheme."""
    from slipway.migrations.layouts import load_folder
    from slipway.migrations.scaffold import new_migration

    cfg = settings(ctx, None, migrations)
    paths = new_migration(load_folder(cfg.migrations_dir), description)
    if not is_quiet(ctx, quiet):
        for path in paths:
            print(f"created {path}")


def status(
    ctx: typer.Context,
    fmt: FormatOpt = OutputFormat.text,
    database_url: DatabaseUrlOpt = None,
    migrations: MigrationsOpt = None,
) -> None:
    """Show every migration: applied, pending, modified (file changed), missing (file gone)
    or partial (a run stopped midway; the direction and statement reached are shown).

    The rollback column says yes (a down script), empty (a down script with no statement,
    only comments or nothing) or no. JSON: "has_rollback" is true for both of the first two,
    "rollback" is "file", "empty" or "none"."""
    from slipway.migrations.status import project_status
    from slipway.report.terminal import print_json

    cfg = settings(ctx, database_url, migrations)
    states = project_status(cfg)
    if fmt is OutputFormat.json:
        print_json("status", {"migrations": [s.to_dict() for s in states]})
        return
    if not states:
        print(f"No migrations in {cfg.migrations_dir}.")
        return
    print_states(states)


_ROLLBACK_SHOWN = {"file": "yes", "empty": "empty", "none": "no"}


def print_states(states: list[Any]) -> None:
    """Aligned plain columns; colour only the state, and only on a terminal. (A rich Table
    takes seconds for a thousand rows.)"""
    from slipway.report.terminal import color_enabled

    colour = color_enabled()
    codes = {"green": "\033[32m", "yellow": "\033[33m", "red": "\033[31m"}
    rows = [
        (
            s.version,
            s.shown_state,
            s.applied_at.strftime("%Y-%m-%d %H:%M:%S") if s.applied_at else "",
            _ROLLBACK_SHOWN[s.rollback],
            s.name if s.partial is None else f"{s.name} (partial: {s.partial.describe()})",
        )
        for s in states
    ]
    header = ("version", "state", "applied at", "rollback", "name")
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(4)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(header, widths)) + "  " + header[4]]
    for row in rows:
        cells = [c.ljust(w) for c, w in zip(row, widths)]
        if colour:
            cells[1] = f"{codes[_STATE_STYLE[row[1]]]}{cells[1]}\033[0m"
        lines.append("  ".join(cells) + "  " + row[4])
    counts = {state: sum(1 for s in states if s.shown_state == state) for state in _STATE_STYLE}
    lines.append(", ".join(f"{n} {state}" for state, n in counts.items() if n))
    print("\n".join(lines))


def validate(
    ctx: typer.Context,
    fmt: FormatOpt = OutputFormat.text,
    offline: Annotated[
        bool, typer.Option("--offline", help="Check the files only; do not connect.")
    ] = False,
    database_url: DatabaseUrlOpt = None,
    migrations: MigrationsOpt = None,
) -> None:
    """Check migrations without changing anything: syntax, layout, edited, missing and
    out-of-order migrations. Exit 1 when an error is found."""
    from slipway.migrations.layouts import load_folder
    from slipway.migrations.validate import check_against_database, check_files
    from slipway.report.terminal import print_json

    cfg = settings(ctx, database_url, migrations)
    mset = load_folder(cfg.migrations_dir)
    problems = check_files(mset)
    if not offline:
        from slipway.db import connect
        from slipway.migrations.history import History
        from slipway.migrations.status import combine

        with connect(cfg) as conn:
            problems += check_against_database(combine(mset, History(cfg.table).applied(conn)))
    errors = [p for p in problems if p.severity == "error"]
    tool_files = sum(1 for i in mset.ignored if i.expected)
    if fmt is OutputFormat.json:
        print_json(
            "validate",
            {
                "ok": not errors,
                "migrations": len(mset.migrations),
                "problems": [p.to_dict() for p in problems],
                "tool_files": tool_files,
            },
        )
    else:
        for p in problems:
            print(f"{p.severity}: {p.message}")
        skipped = (
            f" ({tool_files} files the layout's tool keeps for other databases or itself, not read)"
            if tool_files
            else ""
        )
        print(
            f"{len(mset.migrations)} migrations checked: {len(errors)} error(s), "
            f"{len(problems) - len(errors)} warning(s).{skipped}"
        )
    if errors:
        raise typer.Exit(1)


def history(
    ctx: typer.Context,
    fmt: FormatOpt = OutputFormat.text,
    limit: Annotated[int, typer.Option("--limit", help="Newest runs to show (0 = all).")] = 50,
    database_url: DatabaseUrlOpt = None,
    migrations: MigrationsOpt = None,
) -> None:
    """Every run: what, who, when, how long, outcome (newest first)."""
    from slipway.db import connect
    from slipway.migrations.history import History
    from slipway.report.terminal import console, print_json

    cfg = settings(ctx, database_url, migrations)
    with connect(cfg) as conn:
        runs = History(cfg.table).runs(conn, limit or None)
    if fmt is OutputFormat.json:
        print_json("history", {"runs": [_run_json(r) for r in runs]})
        return
    out = console()
    if not runs:
        out.print("No runs recorded yet.")
        return
    from rich.table import Table

    table = Table(box=None, pad_edge=False)
    for column in ("when", "action", "version", "outcome", "ms", "who", "detail"):
        table.add_column(column)
    for r in runs:
        detail = r.error or ""
        if r.action == "accept":
            detail = f"checksum {(r.old_checksum or '')[:12]} -> {(r.checksum or '')[:12]}"
        elif r.action == "adopt" and r.detail:
            detail = f"from {r.detail.get('from')} ({r.detail.get('table')}), recorded there as {r.detail.get('recorded_as')}"
        elif r.outcome == "partial":
            detail = (
                f"stopped after statement {r.statements_done} of {r.statements_total}. {detail}"
            )
        style = "green" if r.outcome == "success" else "red"
        table.add_row(
            r.started_at.strftime("%Y-%m-%d %H:%M:%S"),
            r.action,
            r.version,
            f"[{style}]{r.outcome}[/]",
            str(r.duration_ms or ""),
            f"{r.applied_by} ({r.db_user})",
            detail,
        )
    out.print(table)


def _run_json(r: Any) -> dict[str, Any]:
    return {
        "id": r.id,
        "version": r.version,
        "name": r.name,
        "action": r.action,
        "outcome": r.outcome,
        "started_at": r.started_at.isoformat(),
        "finished_at": r.finished_at.isoformat() if r.finished_at else None,
        "duration_ms": r.duration_ms,
        "applied_by": r.applied_by,
        "db_user": r.db_user,
        "error": r.error,
        "checksum": r.checksum,
        "old_checksum": r.old_checksum,
        "statements_done": r.statements_done,
        "statements_total": r.statements_total,
        "detail": r.detail,
    }


def register(app: typer.Typer) -> None:
    app.command(rich_help_panel="Project")(init)
    app.command(rich_help_panel="Project")(new)
    for command in (status, validate, history):
        app.command(rich_help_panel="Inspect")(command)
