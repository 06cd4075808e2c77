"""Scratch databases: created next to the target, always dropped afterwards.

`verify` and `diff` replay migrations on a database nobody else uses. By default slipway
creates one on the target's server (`CREATE DATABASE slipway_scratch_<random> TEMPLATE
template0`) and drops it on the way out, whether the run succeeded, failed, was interrupted
with Ctrl-C or terminated with SIGTERM. With `--scratch-url` the given database is used
instead: it must be empty, and it is emptied again afterwards (never dropped).

A set-up script (`verify --setup FILE`) gives the scratch database what the project's own
environment has before its first migration (its previous tool's history table, extensions,
roles): it runs on the empty database and again after every reset, so it is part of the state
every rollback is compared with.
"""

from __future__ import annotations

import secrets
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from types import FrameType

import psycopg
from psycopg import sql

from slipway.db import Conn, connect_url
from slipway.db import with_database as with_dbname
from slipway.errors import ConfigError

# Schemas every database has; anything else in a scratch database came from a migration.
SYSTEM_SCHEMAS = ("pg_catalog", "information_schema", "pg_toast")


def connect(url: str) -> Conn:
    """An autocommit connection, failing with one line and a masked URL."""
    return connect_url(url)


@dataclass
class Scratch:
    """A database slipway may fill and empty at will."""

    url: str
    name: str
    owned: bool  # created by slipway, so dropped by slipway
    admin_url: str | None = None
    setup: Setup | None = None

    def connect(self) -> Conn:
        return connect(self.url)

    def reset(self) -> None:
        """Make the database empty again (a fresh one when slipway owns it), then set it up."""
        if self.owned and self.admin_url:
            _drop(self.admin_url, self.name)
            _create(self.admin_url, self.name)
        else:
            with self.connect() as conn:
                wipe(conn)
        self.prepare()

    def prepare(self) -> None:
        """Run the set-up script, if any, on the (empty) database."""
        if self.setup is None:
            return
        with self.connect() as conn:
            try:
                conn.execute(self.setup.sql.encode("utf-8"), prepare=False)
            except psycopg.Error as exc:
                first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
                raise ConfigError(
                    f"the set-up script {self.setup.name} failed on the scratch "
                    f"database: {first}; fix it and retry"
                ) from exc


@dataclass(frozen=True)
class Setup:
    """SQL the scratch database gets before the first migration (`verify --setup FILE`)."""

    name: str  # the file, for messages
    sql: str


def _create(admin_url: str, name: str) -> None:
    with connect(admin_url) as conn:
        try:
            conn.execute(
                sql.SQL("CREATE DATABASE {} TEMPLATE template0").format(sql.Identifier(name))
            )
        except psycopg.errors.InsufficientPrivilege as exc:
            raise ConfigError(
                "cannot create a scratch database: the user needs CREATEDB; "
                "grant it or pass --scratch-url with an empty database"
            ) from exc


def _drop(admin_url: str, name: str) -> None:
    with connect(admin_url) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


def user_objects(conn: Conn) -> list[str]:
    """What a migration could have left in the database (empty list: a clean database)."""
    rows = conn.execute(
        """
        SELECT 'schema ' || nspname FROM pg_namespace
         WHERE nspname <> ALL(%s) AND nspname NOT LIKE 'pg\\_temp\\_%%'
           AND nspname NOT LIKE 'pg\\_toast\\_temp\\_%%' AND nspname <> 'public'
        UNION ALL
        SELECT 'relation ' || c.relname FROM pg_class c
          JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public'
        UNION ALL
        SELECT 'extension ' || extname FROM pg_extension WHERE extname <> 'plpgsql'
        UNION ALL
        SELECT 'function ' || proname FROM pg_proc p
          JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = 'public'
        UNION ALL
        SELECT 'type ' || typname FROM pg_type t
          JOIN pg_namespace n ON n.oid = t.typnamespace
         WHERE n.nspname = 'public' AND t.typrelid = 0 AND t.typelem = 0
        """,
        (list(SYSTEM_SCHEMAS),),
    ).fetchall()
    return [str(r[0]) for r in rows]


def wipe(conn: Conn) -> None:
    """Drop everything migrations can create in one database; recreate an empty public."""
    schemas = conn.execute(
        """SELECT nspname FROM pg_namespace WHERE nspname <> ALL(%s)
            AND nspname NOT LIKE 'pg\\_temp\\_%%' AND nspname NOT LIKE 'pg\\_toast\\_temp\\_%%'""",
        (list(SYSTEM_SCHEMAS),),
    ).fetchall()
    with conn.transaction():
        for (name,) in conn.execute("SELECT evtname FROM pg_event_trigger").fetchall():
            conn.execute(sql.SQL("DROP EVENT TRIGGER {}").format(sql.Identifier(name)))
        for (name,) in conn.execute(
            "SELECT extname FROM pg_extension WHERE extname <> 'plpgsql'"
        ).fetchall():
            conn.execute(
                sql.SQL("DROP EXTENSION IF EXISTS {} CASCADE").format(sql.Identifier(name))
            )
        for (name,) in schemas:
            conn.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(name)))
        conn.execute("CREATE SCHEMA public AUTHORIZATION pg_database_owner")
        conn.execute("GRANT USAGE ON SCHEMA public TO PUBLIC")
        conn.execute("COMMENT ON SCHEMA public IS 'standard public schema'")


@contextmanager
def _sigterm_as_interrupt() -> Iterator[None]:
    """SIGTERM (CI cancelling a job) unwinds like Ctrl-C, so `finally` still drops."""

    def handler(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    try:
        previous = signal.signal(signal.SIGTERM, handler)
    except ValueError:  # not the main thread: leave signals alone
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


@contextmanager
def scratch_database(
    server_url: str | None,
    scratch_url: str | None = None,
    prefix: str = "slipway_scratch",
    setup: Setup | None = None,
) -> Iterator[Scratch]:
    """A scratch database for the duration of the block.

    `server_url` is any URL on the target's server (used to CREATE/DROP DATABASE);
    `scratch_url` names an existing empty database to use instead.
    """
    if scratch_url:
        yield from _borrowed(scratch_url, setup)
        return
    if not server_url:
        raise ConfigError(
            "no database server to create a scratch database on: set --database-url "
            "or DATABASE_URL, or pass --scratch-url"
        )
    name = f"{prefix}_{secrets.token_hex(6)}"
    with _sigterm_as_interrupt():
        _create(server_url, name)
        try:
            scratch = Scratch(
                with_dbname(server_url, name), name, owned=True, admin_url=server_url, setup=setup
            )
            scratch.prepare()
            yield scratch
        finally:
            _drop(server_url, name)


def _borrowed(url: str, setup: Setup | None) -> Iterator[Scratch]:
    with connect(url) as conn:
        name = str(conn.info.dbname)
        leftovers = user_objects(conn)
    if leftovers:
        raise ConfigError(
            f"scratch database {name} is not empty ({', '.join(leftovers[:3])}...): "
            "point --scratch-url at an empty database"
        )
    with _sigterm_as_interrupt():
        try:
            scratch = Scratch(url, name, owned=False, setup=setup)
            scratch.prepare()
            yield scratch
        finally:
            with connect(url) as conn:
                wipe(conn)
