"""SARIF 2.1.0 for code scanning: one run, the rules' metadata, one result per finding.

A finding about a file has a physical location; one about a database object (the doctor's,
whose `target` is e.g. "public.leads") has a logical location naming it.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import quote

from slipway.report.finding import Finding, RuleInfo
from slipway.version import __version__

__all__ = ["SCHEMA", "render_sarif"]

SCHEMA = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
_LEVEL = {"error": "error", "warning": "warning", "info": "note"}


# Relative file URIs name this base (the folder lint ran in, the checkout in CI), which
# code-scanning uploads resolve; it is not written out, so the output does not depend on
# where it was made.
BASE_ID = "SRCROOT"


def _artifact(path: str) -> dict[str, str]:
    """A file's artifactLocation: relative to the working folder (percent-encoded, with the
    base id) when it is inside it, else an absolute file: URI."""
    p = Path(path)
    if p.is_absolute():
        try:
            p = p.relative_to(Path.cwd())
        except ValueError:
            return {"uri": p.as_uri()}
    return {"uri": quote(p.as_posix()), "uriBaseId": BASE_ID}


def _descriptor(rule: RuleInfo) -> dict[str, Any]:
    text = rule.description or rule.summary
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": text},
        "help": {"text": rule.help or rule.summary, "markdown": text},
        "defaultConfiguration": {"level": _LEVEL[rule.severity]},
    }


def _location(f: Finding) -> dict[str, Any]:
    where: dict[str, Any] = {}
    if f.location is not None:
        region = {"startLine": max(f.line, 1)}
        if f.column:
            region["startColumn"] = f.column
        where["physicalLocation"] = {"artifactLocation": _artifact(f.file), "region": region}
    if f.target or f.location is None:
        where["logicalLocations"] = [{"fullyQualifiedName": f.target or f.code}]
    return where


def _result(f: Finding, index: dict[str, int]) -> dict[str, Any]:
    out: dict[str, Any] = {"ruleId": f.code}
    if f.code in index:
        out["ruleIndex"] = index[f.code]
    out["level"] = _LEVEL[f.severity]
    out["message"] = {"text": f.message + (f" Help: {f.hint}" if f.hint else "")}
    out["locations"] = [_location(f)]
    return out


def render_sarif(findings: Sequence[Finding], rules: Sequence[RuleInfo]) -> str:
    """The SARIF log of `findings`, with `rules` as the tool's rule metadata."""
    index = {r.code: i for i, r in enumerate(rules)}
    log = {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "slipway",
                        "version": __version__,
                        "rules": [_descriptor(r) for r in rules],
                    }
                },
                "columnKind": "unicodeCodePoints",  # our columns count characters
                "results": [_result(f, index) for f in findings],
            }
        ],
    }
    return json.dumps(log, indent=2) + "\n"
