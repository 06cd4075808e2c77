"""Connections: where the database comes from, the embedded default, and URL masking.

The embedded PostgreSQL (pgserver, PostgreSQL 16 inside its wheel) keeps its data in
`.slipway/pgdata` in the project folder; it is started on demand and left running so later
runs reuse it (`slipway db stop` stops it).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO, TypeAlias

from slipway.config import Settings
from slipway.errors import ConfigError, ConnectionFailed

if TYPE_CHECKING:
    import psycopg

# The one connection type (rows as tuples, psycopg's default). A string, so that importing
# it does not import psycopg (lint and the guide start without it).
Conn: TypeAlias = "psycopg.Connection[Any]"

EMBEDDED_DIR = ".slipway"
EMBEDDED_DATABASE = "postgres"
APPLICATION_NAME = "slipway"

# Everything between `//user:` and the LAST `@` of the URL is the password: a password may hold
# `@`, `:` or `/` unencoded (greedy, so an `@` in the query string masks more, never less).
_URL_PASSWORD = re.compile(r"(postgres(?:ql)?://[^:/@\s]*:)(\S*)(@)")
_KV_PASSWORD = re.compile(r"(password\s*=\s*)('(?:[^'\\]|\\.)*'|[^\s&]+)", re.IGNORECASE)


def mask_url(url: str) -> str:
    """The URL with any password replaced by ***, for printing and logging."""
    masked = _URL_PASSWORD.sub(
        lambda m: m.group(1) + ("***" if m.group(2) else "") + m.group(3), url
    )
    return _KV_PASSWORD.sub(r"\1***", masked)


def embedded_pgdata(project_dir: Path) -> Path:
    return project_dir / EMBEDDED_DIR / "pgdata"


def start_embedded(project_dir: Path, database: str = EMBEDDED_DATABASE) -> str:
    """Start (or reuse) the project's embedded server and return a URL for `database`."""
    pgdata = embedded_pgdata(project_dir)
    pgdata.parent.mkdir(parents=True, exist_ok=True)
    import warnings

    try:
        with warnings.catch_warnings():  # platformdirs warns when XDG_RUNTIME_DIR is unset
            warnings.simplefilter("ignore")
            import pgserver
    except ImportError as exc:  # pragma: no cover - pgserver is a dependency
        raise ConfigError(
            "no database configured and the embedded PostgreSQL (pgserver) is not installed",
            hint="set DATABASE_URL or pass --database-url",
        ) from exc
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            server = pgserver.get_server(pgdata, cleanup_mode=None)  # type: ignore[attr-defined]
    except Exception as exc:  # pgserver raises plain exceptions from subprocess/psutil
        raise ConnectionFailed(
            f"could not start the embedded PostgreSQL in {pgdata}: {exc}",
            hint="set DATABASE_URL to use an existing server",
        ) from exc
    return str(server.get_uri(database=database))


def embedded_running(project_dir: Path) -> bool:
    pid_file = embedded_pgdata(project_dir) / "postmaster.pid"
    if not pid_file.is_file():
        return False
    try:
        pid = int(pid_file.read_text().split("\n", 1)[0])
    except (OSError, ValueError):
        return False
    try:
        import os

        os.kill(pid, 0)
    except OSError:
        return False
    return True


def stop_embedded(project_dir: Path) -> bool:
    """Stop the project's embedded server. False when it was not running."""
    if not embedded_running(project_dir):
        return False
    import os
    import subprocess
    import warnings

    with warnings.catch_warnings():  # platformdirs warns when XDG_RUNTIME_DIR is unset
        warnings.simplefilter("ignore")
        from pgserver._commands import pg_ctl  # type: ignore[attr-defined]

    user = "pgserver" if hasattr(os, "geteuid") and os.geteuid() == 0 else None
    try:
        pg_ctl(["-w", "-m", "fast", "stop"], pgdata=embedded_pgdata(project_dir), user=user)
    except subprocess.CalledProcessError as exc:
        raise ConnectionFailed(f"could not stop the embedded PostgreSQL: {exc}") from exc
    return True


def with_database(url: str, dbname: str) -> str:
    """The same server and credentials, another database (URL or key=value DSN in)."""
    from psycopg.conninfo import conninfo_to_dict, make_conninfo

    info = conninfo_to_dict(url)
    info["dbname"] = dbname
    return make_conninfo(**{k: str(v) for k, v in info.items() if v is not None})


# Whether to name each database a command first uses (the CLI turns it on unless -q; the API
# stays silent). A flag, not a stream: the stream is whatever sys.stderr is at that moment.
_announce: list[bool] = [False]
_announced: set[str] = set()


def announce_databases(enabled: bool) -> None:
    """From now on, name on stderr each database first used (or stay silent)."""
    _announce[0] = enabled
    _announced.clear()


NO_SERVER_NAMED = (
    "no --database-url, DATABASE_URL, .env, [database] url or PG* variable names a server"
)


def describe_database(settings: Settings, url: str | None) -> str:
    """`database: <masked URL> (from <where>)`, or why the embedded server is used."""
    if settings.database_source == "embedded":
        return f"database: the embedded PostgreSQL in {EMBEDDED_DIR}/ ({NO_SERVER_NAMED})"
    return f"database: {database_label(settings, url)}"


def database_label(settings: Settings, url: str | None) -> str:
    """`<masked URL> (from <where>)` for a configured database."""
    where = "--database-url" if settings.database_source == "flag" else settings.database_source
    return f"{mask_url(url or '')} (from {where})"


def _worth_announcing(settings: Settings, stream: TextIO) -> bool:
    """On a terminal always; in pipes and CI logs only when the database came from an implicit
    source (PG* variables, .env, the embedded default), where a surprise is likely, so that
    scripts reading an explicit --database-url or DATABASE_URL run keep one-line errors."""
    implicit = settings.database_source in ("embedded", "PG* environment", "DATABASE_URL in .env")
    return implicit or stream.isatty()


def server_url(settings: Settings) -> str:
    """The database URL the settings point at, starting the embedded server if needed."""
    url = settings.database_url or start_embedded(settings.project_dir)
    if _announce[0] and url not in _announced and _worth_announcing(settings, sys.stderr):
        _announced.add(url)  # once per command, whatever number of connections follow
        print(describe_database(settings, url), file=sys.stderr, flush=True)
    return url


def connect_url(url: str, *, autocommit: bool = True, **kwargs: Any) -> psycopg.Connection[Any]:
    """Open a connection; failures become one clear line without the password."""
    import psycopg

    kwargs.setdefault("application_name", APPLICATION_NAME)
    kwargs.setdefault("connect_timeout", 10)
    try:
        return psycopg.connect(url, autocommit=autocommit, **kwargs)
    except psycopg.ProgrammingError as exc:
        raise ConfigError(f"invalid database URL {mask_url(url)}: {exc}") from exc
    except psycopg.OperationalError as exc:
        raise ConnectionFailed(_explain_connect_failure(url, exc)) from exc


def connect(settings: Settings, **kwargs: Any) -> psycopg.Connection[Any]:
    return connect_url(server_url(settings), **kwargs)


def wait_until_ready(url: str, timeout: float) -> tuple[float, int]:
    """Connect to `url` until it accepts a connection, for about `timeout` seconds (an attempt
    under way is let finish: libpq waits at least 2 s); (seconds it took, attempts).

    Everything that ends by itself is waited for: no server listening yet, one starting up or
    in recovery, too many clients, and a database (or role) that does not exist yet, because the
    next command needs that database, not only its server (dbmate's wait stops at the server;
    slipway has no `create`). A server that rejects the password or the authentication method
    or a setting libpq refuses (a bad sslmode or port) is not waited for: waiting cannot fix
    that. On timeout, NotReady names the last error.
    """
    import time

    from slipway.errors import NotReady

    started = time.monotonic()
    deadline, delay, attempts = started + timeout, 0.05, 0
    while True:
        attempts += 1
        try:
            connect_url(url, connect_timeout=2).close()
            return time.monotonic() - started, attempts
        except ConnectionFailed as exc:
            if _waiting_cannot_help(str(exc.__cause__ or exc)):
                raise
            last = exc
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            plural = "s" if attempts != 1 else ""
            raise NotReady(
                f"the database did not accept a connection within {timeout:g} s "
                f"({attempts} attempt{plural}); last error: {last}"
            )
        time.sleep(min(delay, remaining))  # the last attempt is made at the deadline
        delay = min(delay * 2, 1.0)  # quick at first, then once a second


def _waiting_cannot_help(text: str) -> bool:
    """The server answered and refused who we are, or libpq refused the connection settings
    before trying any server (a bad sslmode or port). psycopg gives no SQLSTATE for a failed
    connect, hence the messages; a failure that names a server or a host is waited for."""
    rejected = ("authentication failed", "no password supplied", "no pg_hba.conf entry")
    if any(phrase in text for phrase in rejected):
        return True
    return not any(where in text for where in ("connection to server", "host"))


def _explain_connect_failure(url: str, exc: Exception) -> str:
    text = mask_url(" ".join(str(exc).split()))
    where = mask_url(url)
    if "password authentication failed" in text or "no password supplied" in text:
        return f"cannot connect to {where}: the server rejected the user or password; check DATABASE_URL"
    if "does not exist" in text and "database" in text:
        return f"cannot connect to {where}: {text}; create the database first"
    if "Connection refused" in text or "could not translate host" in text or "timeout" in text:
        return (
            f"cannot connect to {where}: the server is not reachable ({text}); "
            "is PostgreSQL running, and is --database-url or DATABASE_URL right?"
        )
    return f"cannot connect to {where}: {text}"
