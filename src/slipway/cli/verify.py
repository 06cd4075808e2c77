"""`slipway verify` (rollback round trips, or tenant isolation with --tenancy) and
`slipway diff` (drift). Thin: parse options, call slipway.verify, render, map to exit codes."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

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

if TYPE_CHECKING:
    from slipway.verify.drift import DriftReport
    from slipway.verify.roundtrip import Result
    from slipway.verify.scratch import Setup
    from slipway.verify.tenancy import TenancyReport

ScratchOpt = Annotated[
    str | None,
    typer.Option(
        "--scratch-url",
        help="Use this EMPTY database as the scratch database "
        "(emptied again afterwards) instead of creating one next to the target.",
        show_default=False,
    ),
]
SetupOpt = Annotated[
    Path | None,
    typer.Option(
        "--setup",
        help="SQL file run on the scratch database before the first "
        "migration, and again whenever it is rebuilt: what the project's environment "
        "has before its migrations (its previous tool's history table, extensions; "
        "roles are server-wide, so create them IF NOT EXISTS).",
        show_default=False,
    ),
]
NoPrivilegesOpt = Annotated[
    bool, typer.Option("--no-privileges", help="Do not compare grants and ownership.")
]


def register(app: typer.Typer) -> None:
    app.command("verify")(verify)
    app.command("diff")(drift)


def verify(
    ctx: typer.Context,
    database_url: DatabaseUrlOpt = None,
    migrations: MigrationsOpt = None,
    scratch_url: ScratchOpt = None,
    setup: SetupOpt = None,
    no_privileges: NoPrivilegesOpt = False,
    allow_no_rollback: Annotated[
        bool,
        typer.Option(
            "--allow-no-rollback", help="A migration without a down script is not a failure."
        ),
    ] = False,
    strict_column_order: Annotated[
        bool,
        typer.Option(
            "--strict-column-order",
            help="A rollback that leaves only the columns of a table in "
            "another order is rollback-incomplete (by default it is reported and not counted: "
            "PostgreSQL cannot put a re-added column back in its place).",
        ),
    ] = False,
    thorough: Annotated[
        bool,
        typer.Option(
            "--thorough",
            help="Re-read the whole catalog at every snapshot, and compare the second "
            "up with the first even when the rollback was exact.",
        ),
    ] = False,
    tenancy: Annotated[
        bool,
        typer.Option(
            "--tenancy",
            help="Test tenant isolation (RLS) on the database instead, as a temporary "
            "role, in a transaction that is rolled back.",
        ),
    ] = False,
    fmt: FormatOpt = OutputFormat.text,
    quiet: QuietOpt = False,
) -> None:
    """Prove every migration's rollback on a scratch database: up, verify, down, compare
    with the schema before, up again, compare with the schema after.

    Verdicts: ok, rollback-incomplete, rollback-failed, verify-failed, no-rollback, up-failed
    and not-run (its up failed after an earlier up had failed). A failure is that migration's
    verdict and the run goes on to the last migration. Exit 1 unless every verdict is ok.

    A difference only in the order of a table's columns ("column order of t changed: a, c, b")
    is shown but does not fail a migration, unless --strict-column-order.
    """
    cfg = settings(ctx, database_url, migrations)
    if tenancy:
        _tenancy(cfg, fmt)
        return
    from slipway.migrations.layouts import load_folder
    from slipway.verify.project import failures, verify_project
    from slipway.verify.roundtrip import Options

    mset = load_folder(cfg.migrations_dir)
    options = Options(
        privileges=not no_privileges, thorough=thorough, strict_column_order=strict_column_order
    )
    quiet = is_quiet(ctx, quiet)
    show = None if fmt is OutputFormat.json else (lambda r: _print_result(r, quiet))
    results = verify_project(cfg, options, scratch_url, show, mset.migrations, _setup(setup))
    if fmt is OutputFormat.json:
        from slipway.report.terminal import print_json

        print_json("verify", {"results": [r.to_dict() for r in results]})
    elif not quiet:
        _print_summary(results, len(mset.migrations))
    if failures(results, allow_no_rollback):
        raise typer.Exit(1)


def _print_result(result: Result, quiet: bool) -> None:
    if quiet and result.verdict == "ok":
        return
    mode = ", no transaction" if result.mode == "committed" else ""
    print(
        f"{result.version} {result.name} ... {result.verdict} ({result.seconds:.2f}s{mode})",
        flush=True,
    )
    if result.error:
        print(f"    error: {result.error}")
    for difference in result.differences:
        print(f"    - {difference}")
    for order in result.column_order:
        print(f"    ~ {order} (not counted; --strict-column-order counts it)")


def _print_summary(results: list[Result], total: int) -> None:
    from collections import Counter

    counts = Counter(r.verdict for r in results)
    parts = ", ".join(f"{n} {verdict}" for verdict, n in sorted(counts.items()))
    reordered = sum(1 for r in results if r.column_order)
    if reordered:
        parts += f"; column order changed in {reordered}, not counted"
    print(f"{len(results)} of {total} migration(s) verified: {parts or 'nothing to verify'}")


def _tenancy(cfg: Any, fmt: OutputFormat) -> None:
    from slipway.db import connect
    from slipway.verify.tenancy import check_tenancy, default_setting

    section = cfg.config.tenancy
    setting = section.setting or default_setting(cfg.tenant_column)
    with connect(cfg) as conn:
        report = check_tenancy(conn, cfg.tenant_column, setting, section.role)
    if fmt is OutputFormat.json:
        from slipway.report.terminal import print_json

        print_json("tenancy", report.to_dict())
    else:
        _print_tenancy(report)
    if report.failed:
        raise typer.Exit(1)


def _print_tenancy(report: TenancyReport) -> None:
    print(
        f"tenant isolation on {report.tenant_column} (setting {report.setting}): "
        f"{len(report.tables)} table(s)"
    )
    for finding in report.findings:
        print(f"  {finding.code}: {finding.target}: {finding.name}: {finding.message}")
    failing = [f for f in report.findings if f.severity == "error"]
    print(
        "ok: every tenant sees and changes only its own rows"
        if not failing
        else f"{len(failing)} problem(s) found"
    )


def drift(
    ctx: typer.Context,
    database_url: DatabaseUrlOpt = None,
    migrations: MigrationsOpt = None,
    scratch_url: ScratchOpt = None,
    setup: SetupOpt = None,
    no_privileges: NoPrivilegesOpt = False,
    fmt: FormatOpt = OutputFormat.text,
) -> None:
    """Compare the live database with the schema its applied migrations produce (built on a
    scratch database): objects added, changed or dropped by hand. Exit 1 on drift."""
    from slipway.db import connect, server_url
    from slipway.migrations.layouts import load_folder
    from slipway.verify.drift import detect_drift
    from slipway.verify.scratch import scratch_database

    cfg = settings(ctx, database_url, migrations)
    mset = load_folder(cfg.migrations_dir)
    with connect(cfg) as target:
        server = None if scratch_url else server_url(cfg)
        with scratch_database(server, scratch_url, setup=_setup(setup)) as scratch:
            report = detect_drift(target, scratch, mset, cfg.table, privileges=not no_privileges)
    if fmt is OutputFormat.json:
        from slipway.report.terminal import print_json

        print_json("diff", report.to_dict())
    else:
        _print_drift(report)
    if report.drifted:
        raise typer.Exit(1)


def _print_drift(report: DriftReport) -> None:
    for version in report.edited:
        print(
            f"note: migration {version} was edited after it was applied; "
            "the expected schema uses the file as it is now"
        )
    if not report.changes:
        print(f"no drift: the database matches its {len(report.applied)} applied migration(s)")
        return
    print(f"drift: {len(report.changes)} difference(s) from the applied migrations")
    for change in report.changes:
        print(f"  - {change.message}")


def _setup(path: Path | None) -> Setup | None:
    """The --setup file, read now so a missing one fails before any database work."""
    from slipway.errors import ConfigError
    from slipway.verify.scratch import Setup

    if path is None:
        return None
    try:
        return Setup(str(path), path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read the set-up script {path}: {exc}") from exc
