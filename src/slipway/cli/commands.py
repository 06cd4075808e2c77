"""Every `slipway` command: its module in slipway.cli and its one-line help (`slipway --help`);
the variable shell completion sets.

Plain data, not typer, so the entry point (slipway.cli.app) can dispatch without importing
typer.
"""

from __future__ import annotations

COMPLETE_VAR = "_SLIPWAY_COMPLETE"  # what the completion scripts set when they call slipway

# name -> (module in slipway.cli, one-line help shown by `slipway --help`)
COMMANDS: dict[str, tuple[str, str]] = {
    "init": (
        "inspect",
        "Create the migrations folder and a commented slipway.toml in this folder.",
    ),
    "new": ("inspect", "Create up, down and verify stubs, numbered in the folder's own scheme."),
    "status": ("inspect", "Show every migration: applied, pending, modified or missing."),
    "up": (
        "migrate",
        "Apply pending migrations, each in its own transaction with its history row.",
    ),
    "down": ("migrate", "Roll back the newest applied migration (or --steps N, --to V, or --all)."),
    "redo": ("migrate", "Roll back the newest applied migration and apply it again."),
    "plan": ("migrate", "Show what `up` or `down` would run, in order, with the SQL."),
    "validate": ("inspect", "Check migrations without changing anything; exit 1 on errors."),
    "baseline": (
        "migrate",
        "Adopt an existing database: record migrations up to VERSION as applied.",
    ),
    "adopt": (
        "adopt",
        "Take over a database migrated by another tool (dbmate, Flyway, goose, ...).",
    ),
    "accept": ("migrate", "Accept an intentional edit of an applied migration (audited)."),
    "history": ("inspect", "Every run: what, who, when, how long, outcome (newest first)."),
    "lint": ("lint", "Lint migrations for locking hazards, tenancy gaps and broken rollbacks."),
    "deps": ("guide", "Show which earlier migrations each migration depends on, and why."),
    "guide": ("guide", "Write the migration guide and runbook (Markdown or self-contained HTML)."),
    "docs": ("guide", "Write schema documentation from the live database or a saved snapshot."),
    "verify": (
        "verify",
        "Prove every rollback on a scratch database; --tenancy tests RLS isolation.",
    ),
    "diff": ("verify", "Compare the live database with the schema its migrations produce (drift)."),
    "doctor": ("doctor", "Check the live database's health and integrity; one verdict."),
    "maintain": ("maintain", "Partitions ahead, view refreshes, ANALYZE/VACUUM and cleanup."),
    "serve": ("serve", "Serve /metrics, /healthz, /readyz and a dashboard (read-only)."),
    "feed": ("feed", "Import data feeds (TSV, CSV or an email with one attached)."),
    "demo": ("demo", "Run the Rylie reference platform end to end on a fresh database."),
    "db": ("db", "The database slipway uses; start, stop and locate the embedded one."),
    "wait": ("wait", "Wait until the configured database accepts connections (--timeout)."),
}
