"""One answer to "can this statement run in a transaction": up, plan, guide and lint agree.

Every statement kind PostgreSQL refuses inside a transaction block (its callers of
PreventInTransactionBlock that the parse tree tells apart), with look-alikes that may run in
one. The ones a plain test database can run are applied by `up` end to end.
"""

from __future__ import annotations

import re

import psycopg
import pytest
from engine_helpers import Cli, query

from slipway.migrations.model import Script
from slipway.migrations.statements import parse_script

# (statement, PostgreSQL refuses it in a transaction block)
CASES: list[tuple[str, bool]] = [
    ("CREATE INDEX CONCURRENTLY t_id_idx ON t (id)", True),
    ("DROP INDEX CONCURRENTLY t_old_idx", True),
    ("REINDEX TABLE CONCURRENTLY t", True),
    ("REINDEX (CONCURRENTLY) INDEX t_old_idx", True),
    ("ALTER TABLE p DETACH PARTITION p1 CONCURRENTLY", True),
    ("VACUUM t", True),
    ("VACUUM (ANALYZE) t", True),
    ("CREATE SUBSCRIPTION s CONNECTION 'dbname=x' PUBLICATION pub", True),
    ("CREATE SUBSCRIPTION s CONNECTION 'dbname=x' PUBLICATION pub WITH (create_slot)", True),
    ("ALTER SUBSCRIPTION s REFRESH PUBLICATION", True),
    ("ALTER SUBSCRIPTION s ADD PUBLICATION pub2", True),
    ("ALTER SUBSCRIPTION s SET PUBLICATION pub", True),
    ("DROP SUBSCRIPTION s", True),
    ("CREATE DATABASE other", True),
    ("DROP DATABASE other", True),
    ("CREATE TABLESPACE ts LOCATION '/nowhere'", True),
    ("DROP TABLESPACE ts", True),
    ("ALTER DATABASE other SET TABLESPACE ts", True),
    ("ALTER SYSTEM SET work_mem = '8MB'", True),
    ("CLUSTER", True),
    ("REINDEX DATABASE other", True),
    ("REINDEX SYSTEM other", True),
    ("DISCARD ALL", True),
    # Look-alikes that run in a transaction.
    ("ANALYZE t", False),
    ("CREATE INDEX t_id_idx ON t (id)", False),
    ("REINDEX TABLE t", False),
    ("ALTER TABLE p DETACH PARTITION p1", False),
    ("CLUSTER t USING t_pkey", False),
    ("CREATE SUBSCRIPTION s CONNECTION 'dbname=x' PUBLICATION pub WITH (connect = false)", False),
    ("CREATE SUBSCRIPTION s CONNECTION 'dbname=x' PUBLICATION pub WITH (create_slot = off)", False),
    ("ALTER SUBSCRIPTION s SET PUBLICATION pub WITH (refresh = false)", False),
    ("ALTER SUBSCRIPTION s DISABLE", False),
    ("ALTER DATABASE other SET work_mem = '8MB'", False),
    ("REFRESH MATERIALIZED VIEW CONCURRENTLY mv", False),
    ("DISCARD PLANS", False),
]

SETUP = """\
CREATE TABLE t (id bigint PRIMARY KEY);
CREATE INDEX t_old_idx ON t (id);
CREATE TABLE p (id bigint) PARTITION BY RANGE (id);
CREATE TABLE p1 PARTITION OF p FOR VALUES FROM (0) TO (10);
"""
# A first statement lint's prefer-robust-stmts reports only in a statement-by-statement run.
MARKER = "CREATE TABLE m{n} (id bigint PRIMARY KEY);\n"


def _write_cases(cli: Cli) -> list[str]:
    cli.write("001_setup.up.sql", SETUP)
    names = []
    for n, (sql, _) in enumerate(CASES, start=2):
        name = f"{n:03d}_case.up.sql"
        cli.write(name, MARKER.format(n=n) + sql + ";\n")
        names.append(name)
    return names


def _plan_modes(text: str) -> dict[str, bool]:
    """Version -> runs outside a transaction, from `slipway plan`."""
    found = re.findall(
        r"^-- up (\d+) .*\((in a transaction|statement by statement[^)]*)\)$", text, re.MULTILINE
    )
    return {version: mode != "in a transaction" for version, mode in found}


def _guide_modes(text: str) -> dict[str, bool]:
    """Version -> runs outside a transaction, from the guide's per-migration details."""
    modes: dict[str, bool] = {}
    for section in re.split(r"^### ", text, flags=re.MULTILINE)[1:]:
        version = section.split(" ", 1)[0]
        if not version.isdigit():
            continue
        line = re.search(r"^- \*\*Transaction\*\*: (.*)$", section, re.MULTILINE)
        assert line, section[:300]
        modes[version] = line.group(1).startswith("statement by statement")
    return modes


def _lint_outside(text: str) -> set[str]:
    """Versions whose first statement lint flags as not safe to re-run (non-transactional)."""
    return set(
        re.findall(
            r"^migrations/(\d+)_case\.up\.sql:1:1 warning prefer-robust-stmts", text, re.MULTILINE
        )
    )


def test_engine_plan_guide_and_lint_agree_on_every_statement_kind(cli: Cli) -> None:
    names = _write_cases(cli)
    plan, guide, lint = cli("plan"), cli("guide", url=False), cli("lint", url=False)
    assert plan.code == 0 and guide.code == 0, plan.text + guide.text
    plan_modes, guide_modes = _plan_modes(plan.out), _guide_modes(guide.out)
    lint_outside = _lint_outside(lint.out)
    for name, (sql, outside) in zip(names, CASES, strict=True):
        version = name[:3]
        path = cli.project / "migrations" / name
        engine = parse_script(Script(path, path.read_text())).mode == "statements"
        seen = {
            "engine": engine,
            "plan": plan_modes[version],
            "guide": guide_modes[version],
            "lint": version in lint_outside,
        }
        assert seen == dict.fromkeys(seen, outside), f"{sql}: {seen}"


# Statements a plain test database runs, and how to see that each took effect.
RUNNABLE: list[tuple[str, str, object]] = [
    (
        "CREATE INDEX CONCURRENTLY t_id_idx ON t (id)",
        "SELECT indisvalid FROM pg_index WHERE indexrelid = 't_id_idx'::regclass",
        True,
    ),
    ("DROP INDEX CONCURRENTLY t_old_idx", "SELECT to_regclass('t_old_idx') IS NULL", True),
    ("REINDEX TABLE CONCURRENTLY t", "SELECT count(*) FROM pg_index WHERE NOT indisvalid", 0),
    (
        "ALTER TABLE p DETACH PARTITION p1 CONCURRENTLY",
        "SELECT count(*) FROM pg_inherits WHERE inhrelid = 'p1'::regclass",
        0,
    ),
    (
        "VACUUM t",
        "SELECT vacuum_count > 0 FROM pg_stat_get_vacuum_count('t'::regclass) AS vacuum_count",
        True,
    ),
]


@pytest.mark.parametrize(("sql", "check", "expected"), RUNNABLE, ids=[r[0] for r in RUNNABLE])
def test_up_runs_each_statement_outside_a_transaction(
    cli: Cli, db_url: str, sql: str, check: str, expected: object
) -> None:
    cli.write("001_setup.up.sql", SETUP)
    cli.write("002_case.up.sql", MARKER.format(n=2) + sql + ";\n")
    result = cli("up")
    assert result.code == 0, result.text
    assert re.search(r"apply 002 .*no transaction\)", result.out), result.out
    with psycopg.connect(db_url, autocommit=True) as conn:
        assert query(conn, check) == [(expected,)]
