"""SARIF 2.1.0 for code scanning: one run, every rule's metadata, one result per finding."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from slipway.lint.docs import rule_description
from slipway.lint.findings import LintResult
from slipway.lint.rule import all_rules

SCHEMA = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
_LEVEL = {"error": "error", "warning": "warning", "info": "note"}


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("slipway")
    except PackageNotFoundError:  # running from a source tree
        return "0.0.0"


def _uri(path: str) -> str:
    p = Path(path)
    if p.is_absolute():
        try:
            return p.relative_to(Path.cwd()).as_posix()
        except ValueError:
            return p.as_uri()
    return p.as_posix()


def render(result: LintResult) -> str:
    rules = all_rules()
    index = {r.name: i for i, r in enumerate(rules)}
    descriptors: list[dict[str, Any]] = [
        {
            "id": r.code,
            "name": r.name,
            "shortDescription": {"text": r.summary()},
            "fullDescription": {"text": rule_description(r)},
            "help": {"text": r.help or r.summary(), "markdown": rule_description(r)},
            "defaultConfiguration": {"level": _LEVEL[r.severity]},
        }
        for r in rules
    ]
    results = [
        {
            "ruleId": f.code,
            "ruleIndex": index[f.rule],
            "level": _LEVEL[f.severity],
            "message": {"text": f.message + (f" Help: {f.help}" if f.help else "")},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": _uri(f.file)},
                        "region": {"startLine": f.line, "startColumn": f.column},
                    }
                }
            ],
        }
        for f in result.findings
    ]
    log = {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {"name": "slipway", "version": _version(), "rules": descriptors}
                },
                "columnKind": "unicodeCodePoints",  # our columns count characters
                "results": results,
            }
        ],
    }
    return json.dumps(log, indent=2) + "\n"
