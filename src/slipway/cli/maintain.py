"""`slipway maintain`: run the [maintain] rules that are due, or one task, or install a schedule."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer

from slipway.cli.options import DatabaseUrlOpt, FormatOpt, MigrationsOpt, OutputFormat, settings

if TYPE_CHECKING:
    from slipway.maintain.model import MaintenanceResult

DryRunOpt = Annotated[
    bool, typer.Option("--dry-run", help="Print what would be done; change nothing.")
]
ScheduleOpt = Annotated[
    str | None,
    typer.Option(
        "--schedule",
        "-s",
        help="Only rules with this schedule: hourly, daily, weekly, monthly.",
        show_default=False,
    ),
]

maintain_app = typer.Typer(
    name="maintain",
    help="Partitions ahead, view refreshes, ANALYZE/VACUUM and cleanup, as declared in [maintain].",
    invoke_without_command=True,
    no_args_is_help=False,
)


def _run(
    ctx: typer.Context,
    tasks: tuple[str, ...],
    schedule: str | None,
    dry_run: bool,
    fmt: OutputFormat,
    database_url: str | None,
    migrations: str | None,
    only_due: bool,
) -> None:
    from slipway.errors import ConfigError
    from slipway.maintain import run_once
    from slipway.maintain.config import SCHEDULES

    if schedule is not None and schedule not in SCHEDULES:
        raise ConfigError(f"--schedule {schedule!r}: use one of {', '.join(SCHEDULES)}")
    parent: dict[str, Any] = (ctx.parent.obj if ctx.parent else None) or {}
    dry_run = dry_run or bool(parent.get("dry_run"))
    fmt = fmt if fmt != OutputFormat.text else parent.get("format", fmt)
    conf = settings(ctx, database_url or parent.get("database_url"), migrations)
    with _progress(fmt == OutputFormat.text and not dry_run) as tick:
        result = run_once(
            conf,
            tasks=tasks,
            schedule=schedule or parent.get("schedule"),
            only_due=only_due,
            dry_run=dry_run,
            progress=tick,
        )
    _render(result, fmt)
    if not result.ok:
        raise typer.Exit(1)


class _progress:
    """A rich progress bar for batched cleanup, only on a terminal."""

    def __init__(self, wanted: bool) -> None:
        from slipway.report.terminal import live_display

        self.wanted = wanted and live_display()
        self.bar: Any = None
        self.tasks: dict[str, Any] = {}

    def __enter__(self) -> Any:
        if not self.wanted:
            return None
        from rich.progress import Progress

        self.bar = Progress(transient=True)
        self.bar.start()
        return self.tick

    def tick(self, target: str, done: int, total: int) -> None:
        if target not in self.tasks:
            self.tasks[target] = self.bar.add_task(f"cleanup {target}", total=total)
        self.bar.update(self.tasks[target], completed=done, total=total)

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.stop()


def _render(result: MaintenanceResult, fmt: OutputFormat) -> None:
    from slipway.report.terminal import console, print_json

    if fmt == OutputFormat.json:
        print_json("maintain", result.to_dict())
        return
    from rich.markup import escape
    from rich.table import Table

    out = console()
    if result.actions:
        table = Table("task", "target", "action", "outcome", "why / what", box=None)
        for a in result.actions:
            detail = a.error or a.reason
            if result.dry_run and a.sql:
                detail += "\n" + "\n".join(a.sql)
            table.add_row(*(escape(c) for c in (a.task, a.target, a.action, a.outcome, detail)))
        out.print(table)
    for rule in result.rules:
        if rule.error:
            out.print(f"[red]{escape(f'{rule.task} {rule.target}: {rule.error}')}[/red]")
    if not result.rules and not result.skipped:
        out.print("[dim]no rules: declare them under \\[maintain] in slipway.toml[/dim]")
    for line in result.skipped:
        out.print(f"[dim]skipped {escape(line)}[/dim]")
    out.print(escape(result.summary_line()))


@maintain_app.callback()
def maintain_all(
    ctx: typer.Context,
    schedule: ScheduleOpt = None,
    dry_run: DryRunOpt = False,
    fmt: FormatOpt = OutputFormat.text,
    database_url: DatabaseUrlOpt = None,
    migrations: MigrationsOpt = None,
) -> None:
    """Run every rule that is due (or, with --schedule, every rule of that schedule)."""
    ctx.obj = {
        "schedule": schedule,
        "dry_run": dry_run,
        "format": fmt,
        "database_url": database_url,
    }
    if ctx.invoked_subcommand is not None:
        return
    from slipway.maintain.model import TASKS

    _run(ctx, TASKS, schedule, dry_run, fmt, database_url, migrations, only_due=schedule is None)


def _task_command(task: str, doc: str) -> None:
    def command(
        ctx: typer.Context,
        schedule: ScheduleOpt = None,
        dry_run: DryRunOpt = False,
        fmt: FormatOpt = OutputFormat.text,
        database_url: DatabaseUrlOpt = None,
        migrations: MigrationsOpt = None,
    ) -> None:
        _run(ctx, (task,), schedule, dry_run, fmt, database_url, migrations, only_due=False)

    command.__doc__ = doc
    maintain_app.command(name=task)(command)


_task_command("partitions", "Create partitions ahead, rescue rows from DEFAULT, retire old ones.")
_task_command("views", "Refresh materialized views (CONCURRENTLY when a unique index allows).")
_task_command(
    "stats", "ANALYZE tables with many changes; VACUUM (ANALYZE) those with many dead rows."
)
_task_command("cleanup", "Delete expired rows in batches, one commit per batch.")


@maintain_app.command("schedule")
def schedule_command(
    ctx: typer.Context,
    install: Annotated[
        bool,
        typer.Option(
            "--install/--print",
            help="Install into pg_cron (when present) or print crontab/systemd units.",
        ),
    ] = True,
    slipway_bin: Annotated[
        str, typer.Option("--slipway", help="slipway executable for cron.")
    ] = "slipway",
    database_url: DatabaseUrlOpt = None,
    migrations: MigrationsOpt = None,
) -> None:
    """Schedule the rules: pg_cron jobs when the extension exists, else crontab and systemd units."""
    from rich.markup import escape

    from slipway.maintain import schedule as sched
    from slipway.maintain.config import load_maintain_config
    from slipway.report.terminal import console

    parent: dict[str, Any] = (ctx.parent.obj if ctx.parent else None) or {}
    conf = settings(ctx, database_url or parent.get("database_url"), migrations)
    cfg = load_maintain_config(conf)
    out = console()
    if install:
        from slipway.maintain.ddl import connect

        with connect(conf) as conn:
            if sched.has_pg_cron(conn):
                jobs = sched.install_pg_cron(conn, cfg)
                for job in jobs:
                    out.print(escape(f"pg_cron job {job.name}: {job.cron}  {job.command}"))
                out.print(f"installed {len(jobs)} pg_cron job(s)")
                rest = sched.host_only_crontab(cfg, conf, slipway_bin)
                if rest:
                    out.print(
                        "[dim]partitions and stats need slipway itself; add to crontab:[/dim]"
                    )
                    print(rest)
                return
            out.print("[dim]pg_cron is not installed in this database; paste one of these:[/dim]")
    print(sched.render_host_schedule(cfg, conf, slipway_bin))


def register(app: typer.Typer) -> None:
    app.add_typer(maintain_app)
