"""Other migration tools' history tables, read as they write them (one small reader per tool).

Each reader returns what that tool considers applied: a list of versions (or, for Sqitch,
change names), or for golang-migrate and a Flyway baseline one version meaning "everything up
to here". Readers only read; a state the tool itself would refuse to go on from (a dirty
golang-migrate version, a failed Flyway migration) is refused with that tool's own remedy.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from slipway.errors import ConfigError, Refused
from slipway.sql.quote import quote_qualified

if TYPE_CHECKING:
    import psycopg

__all__ = [
    "READERS",
    "TOOLS",
    "ForeignHistory",
    "Found",
    "classify",
    "empty_histories",
    "find_histories",
    "read_history",
]


TOOLS = (
    "golang-migrate",
    "dbmate",
    "diesel",
    "flyway",
    "goose",
    "graphile-migrate",
    "node-pg-migrate",
    "pop",
    "prisma",
    "sql-migrate",
    "sqitch",
    "tern",
)


@dataclass(frozen=True)
class Found:
    """A table that looks like a tool's history: `schema.table` and the tool."""

    tool: str
    table: str


@dataclass
class ForeignHistory:
    """What another tool's history table says is applied (versions, a baseline or Sqitch names)."""

    tool: str
    table: str
    versions: list[str] = field(default_factory=list)  # applied, as the tool records them
    through: str | None = None  # every version up to this one is applied
    names: list[str] = field(default_factory=list)  # Sqitch: deployed change names

    @property
    def records_nothing(self) -> bool:
        """Whether the table says nothing is applied (set up, but nothing ran)."""
        return not self.versions and self.through is None and not self.names


# Default table per tool; Sqitch's registry is a schema holding `changes`.
_DEFAULT_TABLES = {
    "golang-migrate": "schema_migrations",
    "dbmate": "schema_migrations",
    "diesel": "__diesel_schema_migrations",
    "flyway": "flyway_schema_history",
    "goose": "goose_db_version",
    "pop": "schema_migration",  # gobuffalo pop and ory popx (kratos, hydra, keto)
    "prisma": "_prisma_migrations",
    "sql-migrate": "gorp_migrations",
    "node-pg-migrate": "pgmigrations",
    "tern": "schema_version",
    "graphile-migrate": "migrations",  # in its own schema, graphile_migrate
    "sqitch": "changes",
}

_CANDIDATES = """
SELECT n.nspname, c.relname, array_agg(a.attname::text ORDER BY a.attnum)
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
WHERE c.relkind IN ('r', 'p')
  AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%%'
  AND (c.relname = ANY(%(names)s) OR (%(table)s::text IS NOT NULL
       AND (c.relname = %(table)s OR n.nspname || '.' || c.relname = %(table)s
            OR (n.nspname = %(table)s AND c.relname = 'changes'))))
GROUP BY n.nspname, c.relname
ORDER BY n.nspname, c.relname
"""


def classify(table: str, columns: list[str]) -> str | None:
    """Which tool wrote a table with these columns (None: none we know)."""
    cols = set(columns)
    if {"version", "dirty"} <= cols:
        return "golang-migrate"
    if {"installed_rank", "version", "type", "success"} <= cols:
        return "flyway"
    if {"version_id", "is_applied"} <= cols:
        return "goose"
    if {"change_id", "change", "project"} <= cols:
        return "sqitch"
    if {"migration_name", "finished_at", "rolled_back_at"} <= cols:
        return "prisma"
    if table == "gorp_migrations" and {"id", "applied_at"} <= cols:
        return "sql-migrate"
    if table == "pgmigrations" and {"name", "run_on"} <= cols:
        return "node-pg-migrate"
    if {"hash", "previous_hash", "filename"} <= cols:
        return "graphile-migrate"
    if table == "schema_version" and cols == {"version"}:
        return "tern"  # one row: the version the database is at
    if {"version", "run_on"} <= cols:
        return "diesel"
    if "version" in cols and table == "schema_migration" and cols <= {"version", "version_self"}:
        return "pop"  # version, and in ory's popx version_self (its own table's migrations)
    if cols == {"version"}:
        return "dbmate"
    return None


def find_histories(
    conn: psycopg.Connection[Any], tool: str | None = None, table: str | None = None
) -> list[Found]:
    """Every other tool's history table in the database (restricted by --from / --table)."""
    names = [] if table else sorted(set(_DEFAULT_TABLES.values()))
    rows = conn.execute(_CANDIDATES, {"names": names, "table": table}).fetchall()
    found: list[Found] = []
    for schema, relname, columns in rows:
        kind = classify(relname, list(columns))
        if kind is None or (tool is not None and kind != tool):
            continue
        if kind == "sqitch" and relname != "changes":
            continue
        if not table and relname != _DEFAULT_TABLES[kind]:
            continue
        found.append(Found(kind, f"{schema}.{relname}"))
    return sorted(found, key=lambda f: (f.tool, f.table))


def _golang_migrate(conn: psycopg.Connection[Any], table: str) -> ForeignHistory:
    rows = conn.execute(f"SELECT version, dirty FROM {quote_qualified(table)}").fetchall()
    history = ForeignHistory("golang-migrate", table)
    if not rows:
        return history  # migrated all the way down: nothing applied
    if len(rows) > 1:
        raise Refused(f"{table} holds {len(rows)} rows; golang-migrate keeps exactly one")
    version, dirty = rows[0]
    if dirty:
        raise Refused(
            f"golang-migrate left version {version} dirty in {table}: that migration failed "
            "midway and the schema may be half-changed",
            hint=f"fix the schema by hand, then run `migrate force {version}` if it took effect "
            "(or force the version before it), and rerun `slipway adopt`",
        )
    if int(version) >= 0:
        history.through = str(version)
    return history


def _dbmate(conn: psycopg.Connection[Any], table: str) -> ForeignHistory:
    rows = conn.execute(f"SELECT version FROM {quote_qualified(table)}").fetchall()
    return ForeignHistory("dbmate", table, versions=[str(r[0]) for r in rows])


def _pop(conn: psycopg.Connection[Any], table: str) -> ForeignHistory:
    """pop writes a row per applied version and deletes it on down."""
    rows = conn.execute(f"SELECT version FROM {quote_qualified(table)}").fetchall()
    return ForeignHistory("pop", table, versions=[str(r[0]) for r in rows])


def _prisma(conn: psycopg.Connection[Any], table: str) -> ForeignHistory:
    """A migration is applied when it finished and was not marked rolled back; one that
    started and neither finished nor was rolled back failed, and Prisma stops there too."""
    rows = conn.execute(
        f"SELECT migration_name, finished_at IS NOT NULL, rolled_back_at IS NOT NULL"
        f" FROM {quote_qualified(table)} ORDER BY started_at, migration_name"
    ).fetchall()
    history = ForeignHistory("prisma", table)
    for name, finished, rolled_back in rows:
        if not finished and not rolled_back:
            raise Refused(
                f"Prisma recorded migration {name} as failed in {table}: it stopped midway and "
                "the schema may be half-changed",
                hint=f"fix the schema, run `prisma migrate resolve --rolled-back {name}` (or "
                f"`--applied {name}` if it took effect), and rerun `slipway adopt`",
            )
    applied = {str(name).split("_", 1)[0]: None for name, done, back in rows if done and not back}
    history.versions = list(applied)
    return history


def _file_names(tool: str, column: str) -> Callable[[Any, str], ForeignHistory]:
    """A tool that records each applied migration's file name (sql-migrate: `1_init.sql`,
    node-pg-migrate: `1617181920000_init`): the version is its leading number."""

    def read(conn: psycopg.Connection[Any], table: str) -> ForeignHistory:
        rows = conn.execute(f"SELECT {column} FROM {quote_qualified(table)}").fetchall()
        versions = [m.group() for (name,) in rows if (m := _LEADING_NUMBER.match(str(name)))]
        return ForeignHistory(tool, table, versions=versions)

    return read


_LEADING_NUMBER = re.compile(r"\d+")


def _tern(conn: psycopg.Connection[Any], table: str) -> ForeignHistory:
    """tern keeps one row, the version the database is at: every migration up to it."""
    rows = conn.execute(f"SELECT version FROM {quote_qualified(table)}").fetchall()
    history = ForeignHistory("tern", table)
    if len(rows) > 1:
        raise Refused(f"{table} holds {len(rows)} rows; tern keeps exactly one")
    if rows and int(rows[0][0]) > 0:
        history.through = str(rows[0][0])
    return history


def _diesel(conn: psycopg.Connection[Any], table: str) -> ForeignHistory:
    rows = conn.execute(f"SELECT version FROM {quote_qualified(table)} ORDER BY run_on").fetchall()
    return ForeignHistory("diesel", table, versions=[str(r[0]) for r in rows])


def _goose(conn: psycopg.Connection[Any], table: str) -> ForeignHistory:
    """A version is applied if its latest row says so (older goose inserted is_applied = false
    rows on down; newer goose deletes the row). Version 0 is goose's own starting row."""
    rows = conn.execute(
        f"SELECT DISTINCT ON (version_id) version_id, is_applied FROM {quote_qualified(table)}"
        " ORDER BY version_id, id DESC"
    ).fetchall()
    applied = [str(v) for v, is_applied in rows if is_applied and int(v) != 0]
    return ForeignHistory("goose", table, versions=applied)


def _flyway(conn: psycopg.Connection[Any], table: str) -> ForeignHistory:
    rows = conn.execute(
        f"SELECT installed_rank, version, type, script, success FROM {quote_qualified(table)}"
        " ORDER BY installed_rank"
    ).fetchall()
    history = ForeignHistory("flyway", table)
    versioned = [r for r in rows if r[1] is not None]  # repeatable and schema rows have none
    if versioned and not versioned[-1][4]:
        _, version, _, script, _ = versioned[-1]
        raise Refused(
            f"Flyway's newest migration {version} ({script}) failed in {table}",
            hint="undo what it changed by hand, run `flyway repair` to remove the failed row, "
            "and rerun `slipway adopt`",
        )
    applied: dict[str, None] = {}
    for _, version, kind, _, success in versioned:
        kind = str(kind).upper()
        if not success:
            continue  # an earlier failure that a later run (after repair) superseded
        if "BASELINE" in kind:
            history.through = str(version)
        elif kind.startswith("UNDO") or kind == "DELETE":
            applied.pop(str(version), None)
        else:
            applied[str(version)] = None
    history.versions = list(applied)
    return history


def _sqitch(conn: psycopg.Connection[Any], table: str) -> ForeignHistory:
    """Deployed changes are the rows of `changes` (a revert deletes the row, a failed deploy
    never writes one); `events` only keeps the story."""
    rows = conn.execute(
        f"SELECT change FROM {quote_qualified(table)} ORDER BY committed_at"
    ).fetchall()
    return ForeignHistory("sqitch", table, names=[str(r[0]) for r in rows])


READERS: dict[str, Callable[[Any, str], ForeignHistory]] = {
    "golang-migrate": _golang_migrate,
    "dbmate": _dbmate,
    "diesel": _diesel,
    "flyway": _flyway,
    "goose": _goose,
    "pop": _pop,
    "prisma": _prisma,
    "sql-migrate": _file_names("sql-migrate", "id"),
    "node-pg-migrate": _file_names("node-pg-migrate", "name"),
    "tern": _tern,
    "graphile-migrate": _file_names("graphile-migrate", "filename"),
    "sqitch": _sqitch,
}


def read_history(
    conn: psycopg.Connection[Any], tool: str | None = None, table: str | None = None
) -> ForeignHistory:
    """The one other tool's history in this database; refuses none or several."""
    if tool is not None and tool not in READERS:
        raise ConfigError(f"--from {tool}: unknown tool (known: {', '.join(TOOLS)})")
    found = find_histories(conn, tool, table)
    if not found:
        where = (
            f"table {table}"
            if table
            else "any of "
            + ", ".join(sorted(set(_DEFAULT_TABLES.values()) - {"changes"}) + ["sqitch.changes"])
        )
        raise Refused(
            f"no {tool or 'other tool'}'s migration history found (looked for {where})",
            hint="pass --table NAME if it has another name, or record migrations up to a "
            "version with `slipway baseline VERSION`",
        )
    if len(found) > 1:
        listed = ", ".join(f"{f.tool} ({f.table})" for f in sorted(found, key=lambda f: f.tool))
        raise Refused(
            f"several migration histories found: {listed}",
            hint="choose one with --from TOOL, and --table NAME when there are two of one tool",
        )
    return READERS[found[0].tool](conn, found[0].table)


def empty_histories(conn: psycopg.Connection[Any], histories: list[Found]) -> list[str]:
    """Of `histories` (find_histories), the tables that record nothing (the tool was set up,
    nothing ran): they are no sign that the database was migrated."""
    empty = []
    for found in histories:
        try:
            history = READERS[found.tool](conn, found.table)
        except Refused:  # a dirty or failed state is something
            continue
        if history.records_nothing:
            empty.append(found.table)
    return empty
