"""Every rule's pass/fail SQL cases (tests/unit/lint/cases/<rule>.toml), run by one test.

A case lints `setup` migrations (earlier history) followed by the migration under test
(`fail_str` or `pass_str`, with optional `down`, `no_down`, `version`, `transactional`,
`tenant_column`, `enable` for opt-in rules) and checks whether the rule fires; `line`,
`column`, `count` and `message` pin the finding down further.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest
from lint_support import migration

from slipway.lint.config import LintConfig
from slipway.lint.engine import lint
from slipway.lint.rule import Options, all_rules

CASES = Path(__file__).parent / "cases"


def _load() -> list[tuple[str, dict[str, Any]]]:
    out = []
    for path in sorted(CASES.glob("*.toml")):
        for case in tomllib.loads(path.read_text(encoding="utf-8"))["test"]:
            out.append((path.stem, case))
    return out


ALL_CASES = _load()


def _run(case: dict[str, Any]) -> list[Any]:
    setup = [migration(f"{i:04d}", sql) for i, sql in enumerate(case.get("setup", []), 1)]
    version = case.get("version", f"{len(setup) + 1:04d}")
    down = None if case.get("no_down") else case.get("down", "SELECT 1;")
    sql = str(case["fail_str"] if "fail_str" in case else case["pass_str"])
    tested = migration(version, sql, down, case.get("transactional"), name="tested")
    config = LintConfig(
        enable=frozenset(case.get("enable", ())),
        options=Options(case.get("tenant_column", "dealership_id")),
    )
    return lint([*setup, tested], config).findings


@pytest.mark.parametrize(
    ("rule", "case"), ALL_CASES, ids=[f"{r}:{c['name']}" for r, c in ALL_CASES]
)
def test_rule_case(rule: str, case: dict[str, Any]) -> None:
    hits = [f for f in _run(case) if f.name == rule]
    if "pass_str" in case:
        assert hits == [], f"{rule} fired on a passing case: {hits}"
        return
    assert hits, f"{rule} did not fire"
    first = hits[0]
    if "count" in case:
        assert len(hits) == case["count"], hits
    if "line" in case:
        assert first.line == case["line"], first
    if "column" in case:
        assert first.column == case["column"], first
    if "message" in case:
        assert any(case["message"] in h.message for h in hits), hits
    assert first.file.endswith(".sql")
    assert first.code.startswith("SW") and first.severity in ("error", "warning", "info")


def test_every_rule_has_a_failing_and_a_passing_case() -> None:
    kinds: dict[str, set[str]] = {}
    for rule, case in ALL_CASES:
        kinds.setdefault(rule, set()).add("fail" if "fail_str" in case else "pass")
    names = {r.name for r in all_rules()}
    assert set(kinds) <= names, f"case files for unknown rules: {set(kinds) - names}"
    for name in sorted(names):
        assert kinds.get(name) == {"fail", "pass"}, f"{name} needs a failing and a passing case"
