"""Crash harness: kill slipway (SIGKILL) at every protocol boundary of `up` and `down`, at
random points inside statements, and stop the server in immediate mode; after each, rerun to
completion and check that history and the live catalog agree exactly.

    .venv/bin/python bench/crash_harness.py                  # 200 up + 100 down kills, 20 stops
    .venv/bin/python bench/crash_harness.py --kills 40 --down-kills 20 --stops 4 --no-write

Everything runs on a PRIVATE cluster the harness creates (initdb + pg_ctl as the `postgres`
OS user, on a free port, fsync off: an immediate stop loses what was not yet written to the
OS, which is what asynchronous commits risk; it does not simulate a power cut). The shared
server on 5432 is never touched.

How a kill lands where it should: slipway talks to the cluster through a small TCP proxy in
this process that counts the server's ReadyForQuery messages. Killing at boundary k means:
the server has finished the k-th request of the run, and slipway is killed before it sees
the answer — the window in which a statement is done but nothing recorded it. Boundaries
1..N of a clean run are tried in turn, then random moments within statements fill up
--kills. slipway runs in a forked child of this process (no interpreter start per kill).

After each kill: the rerun (`up`, or `down --steps <still applied>`) must succeed, the
history must list exactly the expected versions, the catalog (bench_db.SNAPSHOT_SQL plus row
counts) must equal that of a clean run, no migration may be recorded as applied twice, and no
INVALID index, advisory lock or slipway session may be left.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

import psycopg
from bench_db import SNAPSHOT_SQL, TOOL_OBJECTS, write_section

from slipway.cli.app import main as slipway_main

PG_BIN = Path("/usr/lib/postgresql/15/bin")
HEADING = "## crash harness"

# -- the corpus ------------------------------------------------------------------------------

NO_TX = "-- slipway: no-transaction\n"


def corpus(rows: int) -> list[tuple[str, str, str]]:
    """(name, up, down) of migrations mixing transactions, CONCURRENTLY, enum values,
    a concurrent DETACH and plain DDL + data run statement by statement."""
    return [
        (
            "accounts",
            (
                "CREATE TABLE accounts (id int PRIMARY KEY, email text NOT NULL, status text);\n"
                f"INSERT INTO accounts SELECT g, 'u' || g || '@x.test', 'new'"
                f" FROM generate_series(1, {rows}) g;\n"
            ),
            "DROP TABLE accounts;\n",
        ),
        (
            "mood",
            (
                "CREATE TYPE mood AS ENUM ('calm', 'busy');\n"
                "ALTER TABLE accounts ADD COLUMN mood mood DEFAULT 'calm';\n"
            ),
            "ALTER TABLE accounts DROP COLUMN mood;\nDROP TYPE mood;\n",
        ),
        (
            "mood_values",
            NO_TX + "ALTER TYPE mood ADD VALUE 'angry';\nALTER TYPE mood ADD VALUE 'happy';\n"
            "UPDATE accounts SET mood = 'happy' WHERE id % 3 = 0;\n",
            NO_TX + "ALTER TABLE accounts ALTER COLUMN mood DROP DEFAULT;\n"
            "ALTER TABLE accounts ALTER COLUMN mood TYPE text;\n"
            "UPDATE accounts SET mood = 'calm' WHERE mood = 'happy';\n"
            "DROP TYPE mood;\nCREATE TYPE mood AS ENUM ('calm', 'busy');\n"
            "ALTER TABLE accounts ALTER COLUMN mood TYPE mood USING mood::mood;\n"
            "ALTER TABLE accounts ALTER COLUMN mood SET DEFAULT 'calm';\n",
        ),
        (
            "account_indexes",
            "CREATE INDEX CONCURRENTLY accounts_email ON accounts (lower(email));\n"
            "CREATE UNIQUE INDEX CONCURRENTLY accounts_open ON accounts (id, status)"
            " WHERE status <> 'closed';\n"
            "CREATE TABLE events (id int, account int, kind text);\n"
            f"INSERT INTO events SELECT g, g % 50, 'seen' FROM generate_series(1, {rows}) g;\n",
            "DROP TABLE events;\nDROP INDEX CONCURRENTLY accounts_open;\n"
            "DROP INDEX CONCURRENTLY accounts_email;\n",
        ),
        (
            "orders",
            "CREATE TABLE orders (id int PRIMARY KEY, account int REFERENCES accounts);\n"
            f"INSERT INTO orders SELECT g, g FROM generate_series(1, {rows // 2}) g;\n"
            "UPDATE accounts SET status = 'customer' WHERE id IN (SELECT account FROM orders);\n",
            "UPDATE accounts SET status = 'new';\nDROP TABLE orders;\n",
        ),
        (
            "swap_index",
            "DROP INDEX CONCURRENTLY accounts_email;\n"
            "CREATE INDEX CONCURRENTLY accounts_email_plain ON accounts (email);\n"
            "REINDEX INDEX CONCURRENTLY accounts_open;\n",
            "DROP INDEX CONCURRENTLY accounts_email_plain;\n"
            "CREATE INDEX CONCURRENTLY accounts_email ON accounts (lower(email));\n",
        ),
        (
            "logs",
            NO_TX + "CREATE TABLE logs (at date NOT NULL, line text) PARTITION BY RANGE (at);\n"
            "CREATE TABLE logs_2024 PARTITION OF logs FOR VALUES FROM ('2024-01-01')"
            " TO ('2025-01-01');\n"
            "CREATE TABLE logs_2025 PARTITION OF logs FOR VALUES FROM ('2025-01-01')"
            " TO ('2026-01-01');\n"
            "INSERT INTO logs SELECT date '2024-06-01' + (g % 400), 'l' || g"
            f" FROM generate_series(1, {rows}) g;\n"
            "ALTER TABLE logs DETACH PARTITION logs_2024 CONCURRENTLY;\n",
            "DROP TABLE logs_2024;\nDROP TABLE logs;\n",
        ),
        (
            "event_kind_index",
            "CREATE INDEX CONCURRENTLY events_kind ON events (kind, account);\n",
            "DROP INDEX CONCURRENTLY events_kind;\n",
        ),
    ]


def write_corpus(folder: Path, rows: int) -> int:
    migrations = folder / "migrations"
    migrations.mkdir(parents=True)
    items = corpus(rows)
    for number, (name, up, down) in enumerate(items, 1):
        (migrations / f"{number:04d}_{name}.sql").write_text(up)
        (migrations / f"{number:04d}_{name}.down.sql").write_text(down)
    return len(items)


# -- the private cluster ---------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Cluster:
    """initdb + pg_ctl in a temporary folder, as the postgres OS user when run as root."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.data = root / "data"
        self.port = _free_port()
        self.as_user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []

    def _run(self, *args: str) -> None:
        subprocess.run([*self.as_user, *args], check=True, capture_output=True, cwd=self.root)

    def init(self) -> None:
        if self.as_user:
            shutil.chown(self.root, "postgres")
        self._run(str(PG_BIN / "initdb"), "-D", str(self.data), "-U", "postgres", "-A", "trust")
        settings = (
            f"port = {self.port}\nlisten_addresses = '127.0.0.1'\n"
            f"unix_socket_directories = '{self.root}'\nfsync = off\nmax_connections = 40\n"
            "shared_buffers = 64MB\nlogging_collector = off\n"
        )
        with open(self.data / "postgresql.conf", "a") as conf:
            conf.write(settings)

    def start(self) -> None:
        log = self.root / "server.log"
        self._run(str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-l", str(log), "-w", "start")

    def stop(self, mode: str = "fast") -> None:
        self._run(str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "stop")

    def url(self, db: str, port: int | None = None) -> str:
        return (
            f"postgresql://postgres@127.0.0.1:{port or self.port}/{db}"
            "?sslmode=disable&gssencmode=disable"
        )


# -- the proxy -------------------------------------------------------------------------------


class Proxy:
    """Forwards to the cluster; counts the server's ReadyForQuery ('Z') messages and, at the
    armed count, kills the client before it sees that answer."""

    def __init__(self, upstream_port: int) -> None:
        self.upstream = upstream_port
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = int(self.server.getsockname()[1])
        self.count = 0
        self.target: int | None = None
        self.victim: int | None = None
        self.fired = False
        self.lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    def arm(self, target: int | None, victim: int | None = None) -> None:
        with self.lock:
            self.count, self.target, self.victim, self.fired = 0, target, victim, False

    def _accept(self) -> None:
        while True:
            client, _ = self.server.accept()
            upstream = socket.create_connection(("127.0.0.1", self.upstream))
            threading.Thread(target=self._pump, args=(client, upstream), daemon=True).start()
            threading.Thread(target=self._answers, args=(upstream, client), daemon=True).start()

    def _pump(self, src: socket.socket, dst: socket.socket) -> None:
        with contextlib.suppress(OSError):
            while data := src.recv(65536):
                dst.sendall(data)
        for sock in (src, dst):
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)

    def _answers(self, upstream: socket.socket, client: socket.socket) -> None:
        buffer = b""
        with contextlib.suppress(OSError):
            while data := upstream.recv(65536):
                buffer += data
                out, buffer, kill = self._split(buffer)
                if out:
                    client.sendall(out)
                if kill:
                    break
        for sock in (upstream, client):
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)

    def _split(self, buffer: bytes) -> tuple[bytes, bytes, bool]:
        """Whole messages to forward, the rest, and whether to kill before the rest."""
        pos = 0
        while len(buffer) - pos >= 5:
            length = int.from_bytes(buffer[pos + 1 : pos + 5], "big")
            end = pos + 1 + length
            if end > len(buffer):
                break
            if buffer[pos : pos + 1] == b"Z" and self._ready():
                return buffer[:pos], b"", True
            pos = end
        return buffer[:pos], buffer[pos:], False

    def _ready(self) -> bool:
        with self.lock:
            self.count += 1
            if self.target is None or self.count != self.target or self.victim is None:
                return False
            os.kill(self.victim, signal.SIGKILL)
            self.fired = True
            return True


# -- running slipway -------------------------------------------------------------------------


def fork_slipway(argv: list[str], output: Path, armed: Any = None) -> int:
    """slipway's CLI in a child process (already imported: a kill costs no interpreter).
    `armed(pid)` runs in the parent before the child starts talking to the server."""
    go_read, go_write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns
        code = 1
        try:
            os.close(go_write)
            os.read(go_read, 1)
            fd = os.open(output, os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
            os.dup2(fd, 1)
            os.dup2(fd, 2)
            slipway_main(argv)
            code = 0
        except SystemExit as exc:
            code = int(exc.code or 0) if isinstance(exc.code, int) else 1
        except BaseException:  # noqa: BLE001 - a traceback is what the harness looks for
            import traceback

            traceback.print_exc()
            code = 3
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(code)
    os.close(go_read)
    if armed is not None:
        armed(pid)
    os.write(go_write, b"g")
    os.close(go_write)
    return pid


def in_process(argv: list[str]) -> tuple[int, str]:
    out = io.StringIO()
    code = 0
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        try:
            slipway_main(argv)
        except SystemExit as exc:
            code = int(exc.code or 0) if isinstance(exc.code, int) else 1
        except Exception:  # noqa: BLE001 - an engine defect: reported, not fatal here
            import traceback

            traceback.print_exc(file=out)
            code = 3
    return code, out.getvalue()


def wait_child(pid: int, timeout: float = 120.0) -> int:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return status
        time.sleep(0.005)
    os.kill(pid, signal.SIGKILL)
    return os.waitpid(pid, 0)[1]


# -- checking --------------------------------------------------------------------------------


def catalog(conn: psycopg.Connection[Any]) -> list[str]:
    lines = [str(r[0]) for r in conn.execute(SNAPSHOT_SQL).fetchall()]
    lines = [line for line in lines if not TOOL_OBJECTS.search(line)]
    tables = conn.execute(
        "SELECT c.relname FROM pg_class c WHERE c.relnamespace = 'public'::regnamespace"
        " AND c.relkind IN ('r', 'p') AND c.relname NOT LIKE 'slipway%'"
    ).fetchall()
    for (name,) in tables:
        row = conn.execute(
            f"SELECT count(*), md5(string_agg(t::text, ',' ORDER BY t::text)) FROM \"{name}\" t"
        ).fetchone()
        lines.append(f"rows {name} {row}")
    return sorted(lines)


def problems(conn: psycopg.Connection[Any], want: Expected, action: str) -> list[str]:
    found: list[str] = []
    versions = sorted(r[0] for r in conn.execute("SELECT version FROM slipway_migrations"))
    if versions != want.versions:
        found.append(f"history {versions} != {want.versions}")
    twice = conn.execute(
        "SELECT version, count(*) FROM slipway_migrations_log WHERE action = %s"
        " AND outcome = 'success' GROUP BY 1 HAVING count(*) > 1",
        (action,),
    ).fetchall()
    if twice:
        found.append(f"recorded twice: {twice}")
    live = catalog(conn)
    if live != want.catalog:
        extra = sorted(set(live) - set(want.catalog))[:3]
        missing = sorted(set(want.catalog) - set(live))[:3]
        found.append(f"catalog differs: extra {extra} missing {missing}")
    leftovers = conn.execute(
        "SELECT (SELECT count(*) FROM pg_index WHERE NOT indisvalid),"
        " (SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'),"
        " (SELECT count(*) FROM pg_stat_activity WHERE application_name = 'slipway')"
    ).fetchone()
    assert leftovers is not None
    if any(leftovers):
        found.append(f"left behind (invalid indexes, advisory locks, sessions): {leftovers}")
    return found


@dataclass
class Expected:
    versions: list[str]
    catalog: list[str]


@dataclass
class Tally:
    tried: int = 0
    survived: int = 0
    recover: list[float] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)

    def line(self, label: str) -> str:
        times = sorted(self.recover) or [0.0]
        p50 = times[len(times) // 2]
        return f"| {label} | {self.tried} | {self.survived} | {p50:.2f} s | {times[-1]:.2f} s |"


# -- the harness -----------------------------------------------------------------------------


class Harness:
    def __init__(self, work: Path, rows: int, seed: int) -> None:
        self.work = work
        self.random = random.Random(seed)
        self.cluster = Cluster(work / "cluster")
        self.project = work / "project"
        self.count = write_corpus(self.project, rows)
        self.admin: psycopg.Connection[Any] | None = None
        self.output = work / "child.out"

    def setup(self) -> None:
        (self.work / "cluster").mkdir()
        self.cluster.init()
        self.cluster.start()
        self.proxy = Proxy(self.cluster.port)
        self._admin().execute("CREATE DATABASE crash_empty")
        os.chdir(self.project)
        url = self.cluster.url("crash_empty")
        with psycopg.connect(url) as conn:
            self.empty = Expected([], catalog(conn))
        self._fresh("crash_full", "crash_empty")
        code, out = in_process(["up", "--database-url", self.cluster.url("crash_full")])
        assert code == 0, out
        with psycopg.connect(self.cluster.url("crash_full")) as conn:
            versions = sorted(r[0] for r in conn.execute("SELECT version FROM slipway_migrations"))
            self.full = Expected(versions, catalog(conn))
            # The template starts with a clean run log: "applied twice" counts this run's rows.
            conn.execute("TRUNCATE slipway_migrations_log")

    def _admin(self) -> psycopg.Connection[Any]:
        if self.admin is None or self.admin.closed:
            self.admin = psycopg.connect(self.cluster.url("postgres"), autocommit=True)
        return self.admin

    def _fresh(self, name: str, template: str) -> None:
        admin = self._admin()
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')

    def _argv(
        self, action: str, url: str, conn: psycopg.Connection[Any] | None = None
    ) -> list[str]:
        if action == "up":
            return ["up", "--database-url", url]
        steps = self.count
        if conn is not None:
            row = conn.execute("SELECT count(*) FROM slipway_migrations").fetchone()
            steps = int(row[0]) if row else 0
        return ["down", "--steps", str(max(steps, 1)), "--database-url", url]

    def boundaries(self, action: str) -> tuple[int, float]:
        """ReadyForQuery messages and seconds of a clean run through the proxy."""
        self._fresh("crash_run", "crash_empty" if action == "up" else "crash_full")
        self.proxy.arm(None)
        started = time.monotonic()
        url = self.cluster.url("crash_run", self.proxy.port)
        pid = fork_slipway(self._argv(action, url), self.output)
        status = wait_child(pid)
        assert os.waitstatus_to_exitcode(status) == 0, self.output.read_text()
        return self.proxy.count, time.monotonic() - started

    def kill_cycle(
        self, action: str, target: int | None, delay: float | None, tally: Tally
    ) -> None:
        self._fresh("crash_run", "crash_empty" if action == "up" else "crash_full")
        url = self.cluster.url("crash_run", self.proxy.port)
        pid = fork_slipway(
            self._argv(action, url), self.output, lambda p: self.proxy.arm(target, p)
        )
        timer = None
        if delay is not None:
            timer = threading.Timer(delay, lambda: _kill(pid))
            timer.start()
        status = wait_child(pid)
        if timer:
            timer.cancel()
        if not os.WIFSIGNALED(status):
            return  # finished before the kill point: not a kill
        self._recover(
            action,
            tally,
            f"{action} kill at {'boundary ' + str(target) if target else f'{delay:.3f}s'}",
        )

    def stop_cycle(self, action: str, delay: float, tally: Tally) -> None:
        self._fresh("crash_run", "crash_empty" if action == "up" else "crash_full")
        # A database copied with CREATE DATABASE (WAL_LOG) holds sequence pages newer than
        # the last checkpoint, so nextval() logs nothing ahead and a crash can rewind the
        # run log's id sequence (a PostgreSQL property of the copy, not of the run).
        self._admin().execute("CHECKPOINT")
        self.proxy.arm(None)
        pid = fork_slipway(self._argv(action, self.cluster.url("crash_run")), self.output)
        time.sleep(delay)
        finished, _ = os.waitpid(pid, os.WNOHANG)
        if finished:
            return
        if self.admin is not None:
            self.admin.close()
        self.cluster.stop("immediate")
        status = wait_child(pid)
        self.cluster.start()
        said = self.output.read_text(errors="replace")
        label = f"{action} server stop at {delay:.3f}s"
        if "Traceback" in said or os.waitstatus_to_exitcode(status) not in (0, 1, 2):
            tally.tried += 1
            tally.failures.append(f"{label}: slipway said {said.strip()[-300:]!r}")
            return
        self._recover(action, tally, label)

    def _recover(self, action: str, tally: Tally, label: str) -> None:
        tally.tried += 1
        url = self.cluster.url("crash_run")
        started = time.monotonic()
        with psycopg.connect(url, autocommit=True) as conn:
            argv = self._argv(action, url, conn)
        code, out = in_process(argv)
        seconds = time.monotonic() - started
        if code != 0:
            tally.failures.append(f"{label}: rerun failed: {out.strip()[-400:]}")
            return
        with psycopg.connect(url, autocommit=True) as conn:
            found = problems(conn, self.full if action == "up" else self.empty, action)
        if found:
            tally.failures.append(f"{label}: {'; '.join(found)}")
            return
        tally.survived += 1
        tally.recover.append(seconds)

    def kills(self, action: str, total: int, tally: Tally) -> int:
        count, seconds = self.boundaries(action)
        points: list[tuple[int | None, float | None]] = [(k, None) for k in range(1, count + 1)]
        while len(points) < total:
            points.append((None, self.random.uniform(0.0, seconds)))
        for target, delay in points[: max(total, count)]:
            self.kill_cycle(action, target, delay, tally)
        return count

    def stops(self, total: int, tally: Tally) -> None:
        _, up_seconds = self.boundaries("up")
        _, down_seconds = self.boundaries("down")
        for n in range(total):
            action = "up" if n % 2 == 0 else "down"
            span = up_seconds if action == "up" else down_seconds
            self.stop_cycle(action, self.random.uniform(0.0, span * 0.8), tally)

    def close(self) -> None:
        if self.admin is not None:
            self.admin.close()
        with contextlib.suppress(subprocess.CalledProcessError):
            self.cluster.stop("fast")


def _kill(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)


def report(
    args: argparse.Namespace, tallies: dict[str, Tally], bounds: dict[str, int], seconds: float
) -> str:
    lines = [
        HEADING,
        "",
        f"`bench/crash_harness.py --kills {args.kills} --down-kills {args.down_kills} --stops "
        f"{args.stops} --rows {args.rows}`: a corpus of {len(corpus(args.rows))} migrations "
        "(transactions with data, CREATE/DROP INDEX CONCURRENTLY, REINDEX CONCURRENTLY, ALTER "
        "TYPE ADD VALUE, DETACH PARTITION CONCURRENTLY, plain DDL + data run statement by "
        "statement) and their rollbacks, on a private cluster (PostgreSQL 15, fsync off). Every "
        f"protocol boundary is killed in turn ({bounds.get('up', 0)} in `up`, "
        f"{bounds.get('down', 0)} in `down`), then random moments within statements; server "
        f"stops are `pg_ctl stop -m immediate` at random moments. Total {seconds:.0f} s.",
        "",
        "| crash | tried | survived | recovery p50 | recovery max |",
        "|---|---|---|---|---|",
    ]
    lines += [tally.line(label) for label, tally in tallies.items()]
    failures = [f for t in tallies.values() for f in t.failures]
    lines += [
        "",
        "Survived means: the rerun exited 0, history and catalog (with row counts) equal "
        "a clean run's, no migration recorded twice, no INVALID index, advisory lock or "
        "slipway session left. Recovery: the rerun's wall time (it includes waiting for "
        "the server to notice the killed client).",
    ]
    if failures:
        lines += ["", f"{len(failures)} failures:"] + [f"- {f}" for f in failures[:20]]
    return "\n".join(lines) + "\n"


def run(args: argparse.Namespace) -> int:
    started = time.monotonic()
    work = Path(tempfile.mkdtemp(prefix="slipway-crash-"))
    work.chmod(0o755)  # the postgres OS user runs the cluster in it
    harness = Harness(work, args.rows, args.seed)
    tallies = {
        "SIGKILL during `up`": Tally(),
        "SIGKILL during `down`": Tally(),
        "server stop": Tally(),
    }
    bounds: dict[str, int] = {}
    cwd = os.getcwd()
    try:
        harness.setup()
        bounds["up"] = harness.kills("up", args.kills, tallies["SIGKILL during `up`"])
        bounds["down"] = harness.kills("down", args.down_kills, tallies["SIGKILL during `down`"])
        harness.stops(args.stops, tallies["server stop"])
    finally:
        os.chdir(cwd)
        harness.close()
        shutil.rmtree(work, ignore_errors=True)
    text = report(args, tallies, bounds, time.monotonic() - started)
    print(text)
    if not args.no_write:
        write_section(BENCH / "RESULTS.md", text.rstrip("\n"), HEADING)
    return 0 if all(not t.failures for t in tallies.values()) else 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument(
        "--kills", type=int, default=200, help="SIGKILLs during up (at least every boundary)"
    )
    parser.add_argument("--down-kills", type=int, default=100, help="SIGKILLs during down")
    parser.add_argument("--stops", type=int, default=20, help="immediate server stops")
    parser.add_argument("--rows", type=int, default=2000, help="rows per data table")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--no-write", action="store_true", help="print only; leave RESULTS.md")
    return run(parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
