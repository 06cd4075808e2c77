"""slipway's own tables: what is applied (`<table>`) and every run (`<table>_log`).

The table name is configurable (real projects have dropped tables named schema_migrations);
a `schema.table` name is honoured.
"""

from __future__ import annotations

import functools
import getpass
import socket
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, Literal

from slipway.sql.quote import quote_literal, quote_qualified

if TYPE_CHECKING:
    import psycopg
    from psycopg import sql


__all__ = ["AppliedRow", "History", "LogRow", "who"]


# What a history row records: an applied migration, a baseline (or its marker row), or a
# migration adopted from another tool's history.
EntryKind = Literal["migration", "baseline", "baseline-marker", "adopted"]
# What a run-log row records, and how it ended (partial: stopped midway, resumable).
LogAction = Literal["up", "down", "baseline", "accept", "adopt"]
LogOutcome = Literal["success", "failed", "partial"]


@dataclass(frozen=True)
class AppliedRow:
    """One row of the history table: an applied migration."""

    version: str
    name: str
    description: str | None
    checksum: str
    applied_at: datetime
    applied_by: str | None
    duration_ms: int | None
    kind: EntryKind


@dataclass(frozen=True)
class LogRow:
    """One row of the run log: an up, down, baseline, accept or adopt, and how it ended."""

    id: int
    version: str
    name: str | None
    action: LogAction
    outcome: LogOutcome
    started_at: datetime
    finished_at: datetime | None
    duration_ms: int | None
    applied_by: str | None
    db_user: str | None
    error: str | None
    checksum: str | None
    old_checksum: str | None
    statements_done: int | None
    statements_total: int | None
    detail: dict[str, Any] | None


_LOG_SELECT = (
    "SELECT id, version, name, action, outcome, started_at, finished_at, duration_ms, "
    "applied_by, db_user, error, checksum, old_checksum, statements_done, statements_total, "
    "detail FROM {}"
)


_ELAPSED_MS = "(extract(epoch FROM clock_timestamp() - statement_timestamp()) * 1000)::int"


@functools.cache
def who() -> str:
    """The person running slipway: OS user at host (the DB role is recorded separately)."""
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = "unknown"
    return f"{user}@{socket.gethostname()}"


class History:
    """SQL for slipway's tables, composed safely with psycopg.sql."""

    def __init__(self, table: str) -> None:
        from psycopg import sql

        self.name = table
        self.table_text = quote_qualified(table)
        self.log_text = quote_qualified(table + "_log")
        self.table = sql.SQL(self.table_text)  # the same text, for psycopg.sql composition
        self.log = sql.SQL(self.log_text)

    def create_sql(self) -> sql.Composed:
        """CREATE TABLE IF NOT EXISTS for the history table and its run log."""
        from psycopg import sql

        return sql.SQL(
            """CREATE TABLE IF NOT EXISTS {table} (
    version text PRIMARY KEY,
    name text NOT NULL,
    description text,
    checksum text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now(),
    applied_by text,
    db_user text DEFAULT current_user,
    duration_ms integer,
    kind text NOT NULL DEFAULT 'migration'
);
CREATE TABLE IF NOT EXISTS {log} (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    version text NOT NULL,
    name text,
    action text NOT NULL,
    outcome text NOT NULL,
    started_at timestamptz NOT NULL DEFAULT now(),
    finished_at timestamptz,
    duration_ms integer,
    applied_by text,
    db_user text DEFAULT current_user,
    error text,
    checksum text,
    old_checksum text,
    statements_done integer,
    statements_total integer,
    detail jsonb
)"""
        ).format(table=self.table, log=self.log)

    def ensure(self, conn: psycopg.Connection[Any]) -> None:
        """Create the history table and its run log if they do not exist."""
        conn.execute(self.create_sql())

    def exists(self, conn: psycopg.Connection[Any]) -> bool:
        # The quoted text, as created: an unquoted lookup folds "DeployHistory" to lower case.
        """Whether the history table exists (looked up by the quoted name it was created with)."""
        row = conn.execute("SELECT to_regclass(%s) IS NOT NULL", (self.table_text,)).fetchone()
        return bool(row and row[0])

    def applied(self, conn: psycopg.Connection[Any]) -> list[AppliedRow]:
        """Applied migrations ([] before the first run), as stored: the version order is the
        folder's layout's (`MigrationSet.key`), which the callers apply."""
        from psycopg import sql

        if not self.exists(conn):
            return []
        rows = conn.execute(
            sql.SQL(
                "SELECT version, name, description, checksum, applied_at, applied_by, "
                "duration_ms, kind FROM {}"
            ).format(self.table)
        ).fetchall()
        return [AppliedRow(*row) for row in rows]

    def runs(self, conn: psycopg.Connection[Any], limit: int | None = None) -> list[LogRow]:
        """The run log, newest first (at most `limit` rows); empty without a history table."""
        from psycopg import sql

        if not self.exists(conn):
            return []
        query = sql.SQL(_LOG_SELECT + " ORDER BY id DESC").format(self.log)
        if limit:
            query = query + sql.SQL(" LIMIT {}").format(sql.Literal(limit))
        return [LogRow(*row) for row in conn.execute(query).fetchall()]

    def last_partials(self, conn: psycopg.Connection[Any]) -> dict[str, LogRow]:
        """Versions whose latest `up` run stopped midway (a non-transactional migration)."""
        from psycopg import sql

        rows = conn.execute(
            sql.SQL(
                "SELECT * FROM (SELECT DISTINCT ON (version) "
                + _LOG_SELECT.removeprefix("SELECT ")
                + " WHERE action = 'up' ORDER BY version, id DESC) latest"
                " WHERE outcome = 'partial'"
            ).format(self.log)
        ).fetchall()
        return {log.version: log for log in (LogRow(*row) for row in rows)}

    # -- statements composed into the migration's own transaction -------------------------
    # Plain text (slipway.sql.quote), not psycopg.sql: these run once per migration and
    # composing them with psycopg.sql cost more CPU than sending a small migration.

    def _success_log_sql(self, version: str, name: str, action: str, checksum: str | None) -> str:
        """The run-log row of a migration that succeeded; duration measured server-side from
        the start of the message it is part of."""
        return (
            f"INSERT INTO {self.log_text} (version, name, action, outcome, started_at,"
            " finished_at, duration_ms, applied_by, checksum)"
            f" VALUES ({quote_literal(version)}, {quote_literal(name)}, {quote_literal(action)},"
            f" 'success', statement_timestamp(), clock_timestamp(), {_ELAPSED_MS},"
            f" {quote_literal(who())}, {quote_literal(checksum)})"
        )

    def applied_row_sql(
        self, version: str, name: str, description: str, checksum: str, kind: str
    ) -> str:
        """INSERT of the history row alone (its log row is the caller's)."""
        return (
            f"INSERT INTO {self.table_text} (version, name, description, checksum, applied_by,"
            f" duration_ms, kind) VALUES ({quote_literal(version)}, {quote_literal(name)},"
            f" {quote_literal(description)}, {quote_literal(checksum)}, {quote_literal(who())},"
            f" {_ELAPSED_MS}, {quote_literal(kind)})"
        )

    def record_applied_sql(
        self, version: str, name: str, description: str, checksum: str, kind: str = "migration"
    ) -> str:
        """INSERT of the history row plus its log row."""
        row = self.applied_row_sql(version, name, description, checksum, kind) + ";\n"
        action = "baseline" if kind.startswith("baseline") else "up"
        return row + self._success_log_sql(version, name, action, checksum)

    def record_reverted_sql(self, version: str, name: str, checksum: str | None) -> str:
        """DELETE of the history row plus its `down` log row."""
        delete = f"DELETE FROM {self.table_text} WHERE version = {quote_literal(version)};\n"
        return delete + self._success_log_sql(version, name, "down", checksum)

    def log_run(self, conn: psycopg.Connection[Any], **fields: Any) -> int:
        """Insert a log row outside any migration transaction (failures, partial runs)."""
        from psycopg import sql
        from psycopg.types.json import Jsonb

        fields.setdefault("applied_by", who())
        if "detail" in fields and fields["detail"] is not None:
            fields["detail"] = Jsonb(fields["detail"])
        columns = list(fields)
        query = sql.SQL("INSERT INTO {} ({}) VALUES ({}) RETURNING id").format(
            self.log,
            sql.SQL(", ").join(map(sql.Identifier, columns)),
            sql.SQL(", ").join(sql.Placeholder() * len(columns)),
        )
        row = conn.execute(query, list(fields.values())).fetchone()
        assert row is not None
        return int(row[0])

    def update_run(self, conn: psycopg.Connection[Any], run_id: int, **fields: Any) -> None:
        """Update columns of log row `run_id` (a failed or partial run's outcome)."""
        from psycopg import sql
        from psycopg.types.json import Jsonb

        if "detail" in fields and fields["detail"] is not None:
            fields["detail"] = Jsonb(fields["detail"])
        assignments = sql.SQL(", ").join(
            sql.SQL("{} = {}").format(sql.Identifier(k), sql.Placeholder()) for k in fields
        )
        conn.execute(
            sql.SQL("UPDATE {} SET {} WHERE id = %s").format(self.log, assignments),
            [*fields.values(), run_id],
        )

    def accept_checksum(
        self, conn: psycopg.Connection[Any], version: str, old: str, new: str, reason: str | None
    ) -> None:
        """Audited acceptance of an edited, already applied migration."""
        from psycopg import sql

        with conn.transaction():
            conn.execute(
                sql.SQL("UPDATE {} SET checksum = %s WHERE version = %s").format(self.table),
                (new, version),
            )
            self.log_run(
                conn,
                version=version,
                action="accept",
                outcome="success",
                checksum=new,
                old_checksum=old,
                error=None,
                detail={"reason": reason} if reason else None,
                finished_at=datetime.now().astimezone(),
                duration_ms=0,
            )
