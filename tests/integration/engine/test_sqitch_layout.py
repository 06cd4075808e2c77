"""A Sqitch project (sqitch.plan, deploy/, revert/, verify/) is read as its plan orders it."""

from __future__ import annotations

import json

from engine_helpers import Cli, table_exists

PLAN = """%syntax-version=1.0.0
%project=flipr
%uri=https://example.com/flipr/

# a comment line
appschema 2013-12-30T23:19:10Z Marge N. <marge@example.com> # Add schema for all flipr objects.
users [appschema] 2013-12-30T23:49:00Z Marge N. <marge@example.com> # Creates table to track our users.
@v1.0.0-dev1 2013-12-31T00:00:00Z Marge N. <marge@example.com> # Tag it.

flips [users appschema] 2014-01-01T00:00:00Z Marge N. <marge@example.com>
users [users@v1.0.0-dev1] 2014-01-05T00:00:00Z Marge N. <marge@example.com> # Adds users.email.
"""

SCRIPTS = {
    # Sqitch's templates: each script in its own BEGIN ... COMMIT, verify in BEGIN ... ROLLBACK.
    "deploy/appschema.sql": "-- Deploy flipr:appschema to pg\n\nBEGIN;\nCREATE SCHEMA flipr;\nCOMMIT;\n",
    "revert/appschema.sql": "-- Revert flipr:appschema from pg\n\nBEGIN;\nDROP SCHEMA flipr;\nCOMMIT;\n",
    "verify/appschema.sql": "BEGIN;\nSELECT pg_catalog.has_schema_privilege('flipr', 'usage');\nROLLBACK;\n",
    # the reworked change's first version, kept under the tag that followed it
    "deploy/users@v1.0.0-dev1.sql": "BEGIN;\nCREATE TABLE flipr.users (nickname text PRIMARY KEY);\nCOMMIT;\n",
    "revert/users@v1.0.0-dev1.sql": "BEGIN;\nDROP TABLE flipr.users;\nCOMMIT;\n",
    "deploy/flips.sql": "BEGIN;\nCREATE TABLE flipr.flips (id bigint PRIMARY KEY,"
    " nickname text REFERENCES flipr.users);\nCOMMIT;\n",
    "revert/flips.sql": "BEGIN;\nDROP TABLE flipr.flips;\nCOMMIT;\n",
    "deploy/users.sql": "BEGIN;\nALTER TABLE flipr.users ADD COLUMN email text;\nCOMMIT;\n",
    "revert/users.sql": "BEGIN;\nALTER TABLE flipr.users DROP COLUMN email;\nCOMMIT;\n",
    "verify/users.sql": "BEGIN;\nSELECT email FROM flipr.users WHERE FALSE;\nROLLBACK;\n",
}


def sqitch_project(cli: Cli, plan: str = PLAN, scripts: dict[str, str] = SCRIPTS) -> None:
    cli.write("sqitch.plan", plan)
    for name, sql in scripts.items():
        cli.write(name, sql)


def test_the_plan_orders_the_changes_and_a_rework_keeps_its_tagged_scripts(
    cli: Cli, db_conn
) -> None:
    sqitch_project(cli)
    result = cli("status", "--format", "json")
    assert result.code == 0, result.text
    states = json.loads(result.out)["migrations"]
    assert [(s["version"], s["name"], s["description"], s["rollback"]) for s in states] == [
        ("0001", "appschema", "Add schema for all flipr objects.", "file"),
        ("0002", "users", "Creates table to track our users.", "file"),
        ("0003", "flips", "Flips", "file"),
        ("0004", "users", "Adds users.email.", "file"),
    ]
    up = cli("up")
    assert up.code == 0, up.text
    email = db_conn.execute(
        "SELECT count(*) FROM information_schema.columns"
        " WHERE table_schema = 'flipr' AND table_name = 'users' AND column_name = 'email'"
    ).fetchone()
    assert email == (1,) and table_exists(db_conn, "flipr.flips")
    verified = cli("verify")
    assert verified.code == 0, verified.text  # BEGIN ... ROLLBACK verify scripts run
    assert "4 ok" in verified.out
    assert cli("down", "--all").code == 0
    schema = db_conn.execute("SELECT to_regnamespace('flipr')").fetchone()
    assert schema == (None,)


def test_plan_mistakes_are_one_line_with_the_plans_line(cli: Cli) -> None:
    scripts = {k: v for k, v in SCRIPTS.items() if k != "deploy/flips.sql"}
    sqitch_project(cli, scripts=scripts)
    missing = cli("status")
    assert missing.code == 2
    assert "sqitch.plan:10: change flips has no deploy script" in missing.err, missing.err
    sqitch_project(cli, plan=PLAN + "not a change line\n")
    bad = cli("status")
    assert bad.code == 2 and "sqitch.plan:12: not a change or tag line" in bad.err, bad.err
    sqitch_project(cli)
    cli.write("sqitch.conf", "[core]\n\tengine = pg\n\ttop_dir = db\n")
    moved = cli("status")
    assert moved.code == 2 and "sqitch.conf: sets top_dir" in moved.err, moved.err


def test_an_unplanned_deploy_script_is_reported_and_new_points_to_sqitch_add(cli: Cli) -> None:
    sqitch_project(cli)
    cli.write("deploy/forgotten.sql", "CREATE TABLE forgotten (id int);\n")
    checked = cli("validate", "--format", "json")
    problems = json.loads(checked.out)["problems"]
    assert [p["message"].split(": ", 1)[1] for p in problems if p["code"] == "not-a-migration"] == [
        "a deploy script sqitch.plan does not name; never applied"
    ]
    created = cli("new", "add likes", url=False)
    assert created.code == 2
    assert "is a Sqitch project: add the change with `sqitch add add_likes" in created.err
