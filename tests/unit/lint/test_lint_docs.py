"""Rule docs come from the code: complete for every rule, and docs/rules.md kept current."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from slipway.lint.docs import explain, rule_description, rules_markdown
from slipway.lint.rule import Rule, all_rules

RULES_MD = Path(__file__).parents[3] / "docs" / "rules.md"


@pytest.mark.parametrize("rule", all_rules(), ids=lambda r: r.name)
def test_rule_is_self_documenting(rule: type[Rule]) -> None:
    assert re.fullmatch(r"SW\d{3}", rule.code)
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", rule.name)
    assert rule.severity in ("error", "warning", "info")
    assert rule.summary().endswith("."), "summary line must be one sentence"
    body = rule_description(rule)
    anti, best = body.find("**Anti-pattern**"), body.find("**Best practice**")
    assert 0 <= anti < best, f"{rule.name}: needs **Anti-pattern** then **Best practice**"
    assert body.count("```sql") >= 2, f"{rule.name}: both sections need a SQL example"
    assert rule.help, f"{rule.name}: needs a help line"


def test_codes_and_names_are_unique() -> None:
    rules = all_rules()
    assert len({r.code for r in rules}) == len({r.name for r in rules}) == len(rules)


def test_docs_rules_md_is_up_to_date() -> None:
    assert RULES_MD.read_text(encoding="utf-8") == rules_markdown(), (
        "docs/rules.md is stale: run `slipway lint --docs > docs/rules.md`"
    )


def test_explain_shows_examples() -> None:
    rule = next(r for r in all_rules() if r.name == "require-concurrent-index-creation")
    text = explain(rule)
    assert text.startswith("SW024 require-concurrent-index-creation (warning)")
    assert "CREATE INDEX CONCURRENTLY" in text and "Fix:" in text
