"""Put the [maintain] rules on a clock: pg_cron jobs in the database, or crontab/systemd text.

pg_cron runs SQL, not slipway, so only the rules expressible as SQL become pg_cron jobs (view
refreshes, batched cleanup as a DO block committing per batch); each job records itself in the
runs table like `slipway maintain` does. Partitions and statistics need slipway's planning and
stay on the host schedule, which is printed alongside.
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass

from psycopg import sql

from slipway.config import Settings
from slipway.db import Conn
from slipway.maintain import views
from slipway.maintain.config import CleanupRule, MaintainConfig, ViewRule
from slipway.maintain.runs import ident

CRON = {
    "hourly": "17 * * * *",
    "daily": "17 3 * * *",
    "weekly": "17 4 * * 0",
    "monthly": "17 5 1 * *",
}
CALENDAR = {
    "hourly": "*-*-* *:17:00",
    "daily": "*-*-* 03:17:00",
    "weekly": "Sun *-*-* 04:17:00",
    "monthly": "*-*-01 05:17:00",
}
JOB_PREFIX = "slipway:"


@dataclass(frozen=True)
class CronJob:
    name: str
    cron: str
    command: str


def has_pg_cron(conn: Conn) -> bool:
    return (
        conn.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_cron'").fetchone() is not None
    )


def _record_sql(cfg: MaintainConfig, task: str, target: str, action: str, details: str) -> str:
    return (
        sql.SQL(
            "INSERT INTO {} (task, target, action, started_at, finished_at, outcome, details)"
            " VALUES ({}, {}, {}, now(), clock_timestamp(), 'ok', {})"
        )
        .format(
            ident(cfg.runs_table),
            sql.Literal(task),
            sql.Literal(target),
            sql.Literal(action),
            sql.SQL(details),
        )
        .as_string(None)
    )


def view_job(conn: Conn, cfg: MaintainConfig, rule: ViewRule) -> CronJob:
    (action,) = views.plan(conn, rule)
    word = "CONCURRENTLY " if action.details["concurrently"] else ""
    refresh = (
        sql.SQL("REFRESH MATERIALIZED VIEW {}{}")
        .format(sql.SQL(word), ident(rule.name))
        .as_string(None)
    )
    details = "jsonb_build_object('reason', 'pg_cron', 'concurrently', {})".format(
        "true" if word else "false"
    )
    record = _record_sql(cfg, "views", rule.name, "refresh", details)
    return CronJob(f"{JOB_PREFIX}views:{rule.name}", CRON[rule.schedule], f"{refresh}; {record}")


def cleanup_job(cfg: MaintainConfig, rule: CleanupRule) -> CronJob:
    """A DO block deleting in batches with COMMIT after each (pg_cron runs it at top level)."""
    from slipway.maintain.cleanup import check_where

    check_where(rule.where)
    table = ident(rule.table).as_string(None)
    record = _record_sql(
        cfg,
        "cleanup",
        rule.table,
        "delete",
        "jsonb_build_object('reason', 'pg_cron', 'deleted', total, 'batches', batches)",
    )
    body = (
        "DO $slipway$ DECLARE n bigint; total bigint := 0; batches int := 0; BEGIN LOOP "
        f"DELETE FROM {table} WHERE (tableoid, ctid) IN (SELECT tableoid, ctid FROM {table}"
        f" WHERE {rule.where} LIMIT {rule.batch}); "
        "GET DIAGNOSTICS n = ROW_COUNT; total := total + n; batches := batches + 1; COMMIT; "
        f"EXIT WHEN n < {rule.batch}; END LOOP; {record}; END $slipway$"
    )
    return CronJob(f"{JOB_PREFIX}cleanup:{rule.table}", CRON[rule.schedule], body)


def pg_cron_jobs(conn: Conn, cfg: MaintainConfig) -> list[CronJob]:
    return [view_job(conn, cfg, r) for r in cfg.views] + [cleanup_job(cfg, r) for r in cfg.cleanup]


def install_pg_cron(conn: Conn, cfg: MaintainConfig) -> list[CronJob]:
    """Upsert slipway's jobs by name and unschedule slipway jobs no longer declared."""
    from slipway.maintain.runs import ensure_table

    ensure_table(conn, cfg.runs_table)
    jobs = pg_cron_jobs(conn, cfg)
    with conn.transaction():
        for job in jobs:
            conn.execute("SELECT cron.schedule(%s, %s, %s)", (job.name, job.cron, job.command))
        conn.execute(
            "SELECT cron.unschedule(jobid) FROM cron.job WHERE jobname LIKE %s"
            " AND NOT (jobname = ANY(%s))",
            (JOB_PREFIX + "%", [j.name for j in jobs]),
        )
    return jobs


def _schedules(cfg: MaintainConfig) -> list[str]:
    used = {r.schedule for r in cfg.partitions} | {r.schedule for r in cfg.views}
    used |= {r.schedule for r in cfg.cleanup}
    if cfg.stats is not None:
        used.add(cfg.stats.schedule)
    return [s for s in CRON if s in used]


def host_only_crontab(cfg: MaintainConfig, settings: Settings, slipway_bin: str = "slipway") -> str:
    """With pg_cron holding views and cleanup: the crontab lines for partitions and stats."""
    project = shlex.quote(str(settings.project_dir))
    pairs = sorted(
        {("partitions", r.schedule) for r in cfg.partitions}
        | ({("stats", cfg.stats.schedule)} if cfg.stats is not None else set())
    )
    return "\n".join(
        f"{CRON[s]}  cd {project} && {slipway_bin} -q maintain {task} --schedule {s}"
        " >> /var/log/slipway-maintain.log 2>&1"
        for task, s in pairs
    )


def render_host_schedule(
    cfg: MaintainConfig, settings: Settings, slipway_bin: str = "slipway"
) -> str:
    """crontab lines and systemd units; the database URL comes from the environment, never here."""
    project = shlex.quote(str(settings.project_dir))
    lines = [
        "# --- crontab (crontab -e); DATABASE_URL must be set in the crontab or environment ---"
    ]
    for s in _schedules(cfg):
        lines.append(
            f"{CRON[s]}  cd {project} && {slipway_bin} -q maintain --schedule {s}"
            f" >> /var/log/slipway-maintain.log 2>&1"
        )
    lines += [
        "",
        "# --- /etc/systemd/system/slipway-maintain@.service ---",
        "[Unit]",
        "Description=slipway maintenance (%i rules)",
        "After=network-online.target",
        "",
        "[Service]",
        "Type=oneshot",
        f"WorkingDirectory={settings.project_dir}",
        "# DATABASE_URL=postgresql://... (mode 0600)",
        "EnvironmentFile=/etc/slipway/maintain.env",
        f"ExecStart={slipway_bin} -q maintain --schedule %i",
    ]
    for s in _schedules(cfg):
        lines += [
            "",
            f"# --- /etc/systemd/system/slipway-maintain-{s}.timer ---",
            "[Unit]",
            f"Description=slipway {s} maintenance",
            "",
            "[Timer]",
            f"OnCalendar={CALENDAR[s]}",
            "RandomizedDelaySec=5m",
            "Persistent=true",
            f"Unit=slipway-maintain@{s}.service",
            "",
            "[Install]",
            "WantedBy=timers.target",
        ]
    timers = " ".join(f"slipway-maintain-{s}.timer" for s in _schedules(cfg))
    lines += ["", f"# then: systemctl daemon-reload && systemctl enable --now {timers}"]
    return "\n".join(lines)
