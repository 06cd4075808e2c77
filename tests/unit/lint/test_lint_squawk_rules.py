"""squawk 2.70's default rules through `slipway lint`: every one is there under squawk's name,
they fire on a real migration folder, and the timeout rules follow slipway's own execution."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import typer
from lint_support import write_project
from typer.testing import CliRunner

# Every rule squawk 2.70 runs by default (checked by running squawk on one statement each).
SQUAWK_DEFAULT_RULES = [
    "adding-field-with-default",
    "adding-foreign-key-constraint",
    "adding-not-nullable-field",
    "adding-required-field",
    "adding-serial-primary-key-field",
    "ban-alter-domain-with-add-constraint",
    "ban-alter-identity",
    "ban-char-field",
    "ban-concurrent-index-creation-in-transaction",
    "ban-create-domain-with-constraint",
    "ban-drop-column",
    "ban-drop-constraint",
    "ban-drop-database",
    "ban-drop-default",
    "ban-drop-domain",
    "ban-drop-extension",
    "ban-drop-function",
    "ban-drop-generated-expression",
    "ban-drop-not-null",
    "ban-drop-schema",
    "ban-drop-sequence",
    "ban-drop-table",
    "ban-drop-type",
    "ban-drop-view",
    "ban-duplicate-column-assignments",
    "ban-set-schema",
    "ban-truncate-cascade",
    "ban-uncommitted-transaction",
    "changing-column-type",
    "constraint-missing-not-valid",
    "disallowed-unique-constraint",
    "prefer-bigint-over-int",
    "prefer-bigint-over-smallint",
    "prefer-identity",
    "prefer-robust-stmts",
    "prefer-text-field",
    "renaming-column",
    "renaming-object",
    "renaming-table",
    "require-concurrent-index-creation",
    "require-concurrent-index-deletion",
    "require-concurrent-partition-detach",
    "require-concurrent-reindex",
    "require-enum-value-ordering",
    "require-lock-timeout",
    "require-statement-timeout",
    "transaction-nesting",
]


def _rules(app: typer.Typer, *args: str) -> tuple[int, list[tuple[str, int]]]:
    result = CliRunner().invoke(app, ["lint", "--format", "json", *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    rows = json.loads(result.output)["findings"]
    return result.exit_code, [(r["name"], r["location"]["line"]) for r in rows]


def test_every_squawk_default_rule_is_listed(app: typer.Typer) -> None:
    listed = CliRunner().invoke(app, ["lint", "--list"]).output
    names = {line.split()[1] for line in listed.splitlines() if line.strip()}
    assert set(SQUAWK_DEFAULT_RULES) - names == set()


DROPS = """\
CREATE TABLE scratch (id bigint PRIMARY KEY);
DROP TABLE scratch;
DROP VIEW open_leads;
DROP FUNCTION lead_score(bigint);
DROP SCHEMA reporting CASCADE;
ALTER TABLE leads DROP CONSTRAINT leads_email_key, ALTER COLUMN status DROP DEFAULT;
ALTER INDEX leads_s_idx RENAME TO leads_status_idx;
REINDEX TABLE leads;
ALTER TABLE lead_events DETACH PARTITION lead_events_2023;
ALTER TABLE leads ALTER COLUMN id DROP IDENTITY;
"""


def test_new_rules_fire_through_the_cli(
    app: typer.Typer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = {"0001_drops.sql": DROPS, "0001_drops.down.sql": "SELECT 1;"}
    monkeypatch.chdir(write_project(tmp_path, files))
    code, found = _rules(app)
    assert code == 0  # warnings only
    assert {
        ("ban-drop-view", 3),
        ("ban-drop-function", 4),
        ("ban-drop-schema", 5),
        ("ban-drop-constraint", 6),
        ("ban-drop-default", 6),
        ("renaming-object", 7),
        ("require-concurrent-reindex", 8),
        ("require-concurrent-partition-detach", 9),
        ("ban-alter-identity", 10),
    } <= set(found)
    assert "ban-drop-table" not in {rule for rule, _ in found}  # the table was new
    assert "require-lock-timeout" not in {rule for rule, _ in found}  # slipway sets one
    assert "require-statement-timeout" not in {rule for rule, _ in found}  # opt-in


def test_errors_exit_1(app: typer.Typer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    files = {
        "0001_a.sql": "BEGIN;\nUPDATE leads SET status = 'won', status = 'lost';\n",
        "0001_a.down.sql": "SELECT 1;",
    }
    monkeypatch.chdir(write_project(tmp_path, files))
    code, found = _rules(app)
    assert code == 1
    assert {("ban-uncommitted-transaction", 1), ("ban-duplicate-column-assignments", 2)} <= set(
        found
    )


def test_squawk_ignore_comments_name_the_new_rules(
    app: typer.Typer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sql = "-- squawk-ignore ban-drop-view\nDROP VIEW open_leads;\nDROP VIEW closed_leads;\n"
    monkeypatch.chdir(write_project(tmp_path, {"0001_a.sql": sql, "0001_a.down.sql": "SELECT 1;"}))
    _, found = _rules(app)
    assert [line for rule, line in found if rule == "ban-drop-view"] == [3]


def test_lock_timeout_directive_zero_is_reported(
    app: typer.Typer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = {
        "0001_a.sql": "-- slipway: lock-timeout 0\nALTER TABLE leads ADD COLUMN source text;\n",
        "0001_a.down.sql": "SELECT 1;",
        "0002_b.sql": "-- slipway: lock-timeout 30s\nALTER TABLE leads ADD COLUMN medium text;\n",
        "0002_b.down.sql": "SELECT 1;",
    }
    monkeypatch.chdir(write_project(tmp_path, files))
    _, found = _rules(app)
    assert [line for rule, line in found if rule == "require-lock-timeout"] == [2]


def test_statement_timeout_is_opt_in(
    app: typer.Typer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = {
        "0001_a.sql": "ALTER TABLE leads ADD CONSTRAINT leads_email_key UNIQUE (email);\n",
        "0001_a.down.sql": "SELECT 1;",
    }
    config = '[lint]\nenable = ["require-statement-timeout"]\n'
    monkeypatch.chdir(write_project(tmp_path, files, config))
    _, found = _rules(app)
    assert ("require-statement-timeout", 1) in found


def test_real_entry_point_reports_smallint_keys(tmp_path: Path) -> None:
    files = {
        "0001_a.sql": (
            "CREATE TABLE lead_sources (id smallserial PRIMARY KEY);\n"
            "CREATE TABLE lead_tags (id int PRIMARY KEY);\n"
        ),
        "0001_a.down.sql": "DROP TABLE lead_tags, lead_sources;",
    }
    write_project(tmp_path, files)
    proc = subprocess.run(
        [sys.executable, "-m", "slipway", "lint", "-f", "github"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert "prefer-bigint-over-smallint" in proc.stdout
    assert proc.stdout.count("prefer-bigint-over-int") == 1  # the int column only


def test_squawks_other_rule_names_mean_slipways_rules(
    app: typer.Typer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """squawk spells prefer-timestamptz `prefer-timestamp-tz`, and `require-timeout-settings`
    is its old name for both timeout rules: an ignore comment or [lint] entry using them works."""
    sql = (
        "-- squawk-ignore prefer-timestamp-tz\n"
        "CREATE TABLE a (id bigint PRIMARY KEY, at timestamp);\n"
        "CREATE TABLE b (id bigint PRIMARY KEY, at timestamp);\n"
    )
    config = (
        '[lint]\nenable = ["require-timeout-settings"]\ndisable = ["require-timeout-settings"]\n'
    )
    files = {"0001_a.sql": sql, "0001_a.down.sql": "SELECT 1;"}
    monkeypatch.chdir(write_project(tmp_path, files, config))
    _, found = _rules(app)  # JSON, not a config error: the aliases are known names
    assert [line for rule, line in found if rule == "prefer-timestamptz"] == [3]
    from slipway.lint.config import LintConfig

    both = LintConfig.from_mapping({"disable": ["require-timeout-settings"]}).disable
    assert both == {"require-lock-timeout", "require-statement-timeout"}
    assert LintConfig.from_mapping({"enable": ["prefer-timestamp-tz"]}).enable == {
        "prefer-timestamptz"
    }
