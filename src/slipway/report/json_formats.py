"""The format version of every JSON output, in one table (docs/json.md; the schemas are
docs/schemas/<output>.schema.json).

Each output's object starts with `"version"`: the version of that output's shape, not
slipway's. It goes up by one only when a key is removed or renamed or its type or meaning
changes; new keys can appear in any release. `tests/integration/json/test_json_schemas.py`
runs every output for real, validates it against its schema and fails when a command has a
JSON format without an entry here and a schema file.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

# output name (its schema file's stem) -> format version
JSON_VERSIONS: dict[str, int] = {
    "lint": 1,  # slipway lint -f json, python -m slipway.lint -f json
    "doctor": 1,  # slipway doctor -f json
    "doctor-checks": 1,  # slipway doctor --list -f json
    "status": 1,
    "validate": 1,
    "history": 1,
    "plan": 1,
    "adopt": 1,
    "verify": 1,  # slipway verify -f json (the round trips)
    "tenancy": 1,  # slipway verify --tenancy -f json
    "diff": 1,
    "deps": 1,
    "maintain": 1,  # slipway maintain and each of its tasks
    "feed-import": 1,
    "feed-check": 1,
    "serve-readyz": 1,  # GET /readyz
    "serve-healthz": 1,  # GET /healthz
}


def versioned(output: str, body: Mapping[str, Any]) -> dict[str, Any]:
    """`body` with `"version"` first: the JSON object `output` prints."""
    if "version" in body:  # a result's own "version" would hide the format's
        raise ValueError(f"the {output} JSON body has its own 'version' key")
    return {"version": JSON_VERSIONS[output], **body}
