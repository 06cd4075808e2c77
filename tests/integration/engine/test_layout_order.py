"""Each layout's versions are ordered as its own tool orders them, in every command; `new`
writes the layout's own format after every version present; descriptions skip licence and
tool comments."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path

from engine_helpers import Cli, query


def versions(cli: Cli) -> list[str]:
    result = cli("status", "--format", "json")
    assert result.code == 0, result.text
    return [m["version"] for m in json.loads(result.out)["migrations"]]


def plan_versions(cli: Cli, *args: str) -> list[str]:
    result = cli("plan", *args, "--format", "json")
    assert result.code == 0, result.text
    return [s["version"] for s in json.loads(result.out)["steps"]]


def applied(db_conn) -> list[str]:
    rows = query(db_conn, "SELECT version FROM slipway_migrations ORDER BY applied_at, version")
    return [r[0] for r in rows]


def diesel_mixed(cli: Cli) -> None:
    """Diesel folders with 14 digits and newer ones with `-0000` (18 digits), and a 14-digit
    one newer than those: string order, not numeric. Each migration needs the one before."""
    cli.write("2019-02-26-002946_a/up.sql", "CREATE TABLE a (id int);")
    cli.write("2019-02-26-002946_a/down.sql", "DROP TABLE a;")
    cli.write("2026-01-05-120000_c/up.sql", "ALTER TABLE a RENAME b TO c;")
    cli.write("2026-01-05-120000_c/down.sql", "ALTER TABLE a RENAME c TO b;")
    cli.write("2025-11-19-091444-0000_b/up.sql", "ALTER TABLE a ADD b int;")
    cli.write("2025-11-19-091444-0000_b/down.sql", "ALTER TABLE a DROP b;")


def test_diesel_versions_order_as_strings_in_every_command(cli: Cli, db_conn) -> None:
    diesel_mixed(cli)
    order = ["2019-02-26-002946", "2025-11-19-091444-0000", "2026-01-05-120000"]
    assert versions(cli) == order
    assert plan_versions(cli) == order
    result = cli("up", "--to", "2025-11-19-091444-0000")
    assert result.code == 0, result.text
    assert applied(db_conn) == order[:2]
    assert cli("up").code == 0
    cols = query(
        db_conn,
        "SELECT attname FROM pg_attribute WHERE attrelid = 'a'::regclass "
        "AND attnum > 0 ORDER BY attnum",
    )
    assert [c[0] for c in cols] == ["id", "c"]
    assert plan_versions(cli, "down") == order[2:]
    result = cli("down", "--to", "2019-02-26-002946")
    assert result.code == 0, result.text
    assert applied(db_conn) == order[:1]
    result = cli("validate")
    assert result.code == 0, result.text


def test_an_older_diesel_folder_added_later_is_out_of_order(cli: Cli) -> None:
    cli.write("2026-01-05-120000_c/up.sql", "CREATE TABLE c (id int);")
    assert cli("up").code == 0
    cli.write("2025-11-19-091444-0000_b/up.sql", "CREATE TABLE b (id int);")
    result = cli("up")
    assert result.code == 1 and "migrations/2025-11-19-091444-0000_b/up.sql" in result.err, (
        result.text
    )


def test_flyway_versions_compare_part_by_part(cli: Cli) -> None:
    cli.write("V1.10__d.sql", "SELECT 4;")
    cli.write("V1.2.9__b.sql", "SELECT 2;")
    cli.write("V1_2_10__c.sql", "SELECT 3;")
    cli.write("V1__a.sql", "SELECT 1;")
    assert versions(cli) == ["1", "1.2.9", "1_2_10", "1.10"]
    assert cli("up", "--to", "1.2.10").code == 0
    assert plan_versions(cli) == ["1.10"]


def test_golang_migrate_versions_are_integers(cli: Cli) -> None:
    cli.write("10_c.up.sql", "SELECT 3;")
    cli.write("0002_b.up.sql", "SELECT 2;")
    cli.write("1_a.up.sql", "SELECT 1;")
    assert versions(cli) == ["1", "0002", "10"]


def test_dbmate_versions_compare_as_strings(cli: Cli) -> None:
    cli.write("9_b.sql", "-- migrate:up\nSELECT 2;\n-- migrate:down\n")
    cli.write("20240101000000_a.sql", "-- migrate:up\nSELECT 1;\n-- migrate:down\n")
    assert versions(cli) == ["20240101000000", "9"]


def test_duplicate_versions_name_both_files_from_the_project(cli: Cli) -> None:
    cli.write("2019-02-26-002946_a/up.sql", "SELECT 1;")
    cli.write("20190226002946_b/up.sql", "SELECT 2;")
    result = cli("status")
    assert result.code == 2
    assert (
        "migrations/2019-02-26-002946_a/up.sql and migrations/20190226002946_b/up.sql" in result.err
    ), result.err


def created(result_out: str) -> list[Path]:
    return [Path(line.removeprefix("created ")) for line in result_out.splitlines()]


def test_new_in_a_diesel_folder_is_after_every_version_and_never_collides(cli: Cli) -> None:
    diesel_mixed(cli)
    first = cli("new", "add d", url=False)
    assert first.code == 0, first.text
    folder = created(first.out)[0].parent.name
    today = datetime.now(UTC).strftime("%Y-%m-%d")
    assert re.fullmatch(rf"{today}-\d{{6}}-0000_add_d", folder), folder
    assert {p.name for p in created(first.out)} >= {"up.sql", "down.sql"}
    cli.write("2099-01-01-000000-0000_future/up.sql", "SELECT 1;")
    second, third = cli("new", "e", url=False), cli("new", "f", url=False)
    assert second.code == 0 and third.code == 0, second.text + third.text
    order = versions(cli)
    assert order[-3:] == [
        "2099-01-01-000000-0000",
        "2099-01-01-000000-0001",
        "2099-01-01-000000-0002",
    ]
    assert order.index("2026-01-05-120000") < order.index(folder.split("_")[0])
    assert len(set(order)) == len(order) == 7


def test_new_follows_each_layouts_scheme(cli: Cli, project: Path) -> None:
    stamp = re.compile(r"\d{14}")
    cases = {
        "seq": (["000001_a.up.sql", "000002_b.up.sql"], r"000003_x\.(up|down)\.sql"),
        "ts": (["20200101000000_a.up.sql"], r"\d{14}_x\.(up|down)\.sql"),
        "fly": (["V1_1__a.sql", "V1_2__b.sql"], r"[VU]1_3__x\.sql"),
        "fly_plain": (["V1__a.sql", "V9__b.sql"], r"[VU]10__x\.sql"),
        "dbmate": (["0001_a.sql"], r"\d{14}_x\.sql"),
    }
    for folder, (files, expected) in cases.items():
        for name in files:
            body = "-- migrate:up\nSELECT 1;\n" if folder == "dbmate" else "SELECT 1;"
            cli.write(f"{folder}/{name}", body)
        result = cli("new", "x", "--migrations", f"migrations/{folder}", url=False)
        assert result.code == 0, result.text
        names = [p.name for p in created(result.out)]
        assert names and all(re.fullmatch(expected, n) for n in names), (folder, names)
        if folder in ("ts", "dbmate"):
            assert stamp.match(names[0]) and names[0][:8] == datetime.now(UTC).strftime("%Y%m%d")


def test_descriptions_skip_licence_and_tool_comments(cli: Cli) -> None:
    spdx = "-- SPDX-FileCopyrightText: 2024 Example Org\n-- SPDX-License-Identifier: MIT\n\n"
    cli.write("0001_create_users.sql", spdx + "CREATE TABLE users (id int);")
    cli.write("0002_add_email.sql", spdx + "-- Email for login\nALTER TABLE users ADD email text;")
    cli.write(
        "0003_add_age.sql",
        "-- safety-assured:start\nALTER TABLE users ADD age int;\n-- safety-assured:end\n",
    )
    cli.write("0004_goose.sql", "-- +goose Up\n-- +goose StatementBegin\nSELECT 1;\n")
    cli.write(
        "0005_apache.sql",
        "-- Copyright 2020 Example\n--\n-- Licensed under the Apache "
        "License, Version 2.0\n--     https://example.invalid/LICENSE\n\nSELECT 1;\n",
    )
    result = cli("status", "--format", "json")
    described = [m["description"] for m in json.loads(result.out)["migrations"]]
    assert described == ["Create users", "Email for login", "Add age", "Goose", "Apache"]
    text = cli("status")
    assert text.code == 0 and "SPDX" not in text.out and "safety" not in text.out
    assert "create_users" in text.out and "add_email" in text.out, text.out


def positions(text: str, needles: list[str]) -> list[int]:
    return [text.index(n) for n in needles]


def test_guide_and_verify_follow_the_same_order(cli: Cli) -> None:
    diesel_mixed(cli)
    order = ["2019-02-26-002946", "2025-11-19-091444-0000", "2026-01-05-120000"]
    assert cli("up", "--to", order[1]).code == 0
    guide = cli("guide", "--no-timestamp")
    assert guide.code == 0, guide.text
    headings = [f"### {v} " for v in order]
    assert positions(guide.out, headings) == sorted(positions(guide.out, headings))
    verify = cli("verify", "--format", "json")
    assert verify.code == 0, verify.text
    assert [r["version"] for r in json.loads(verify.out)["results"]] == order
