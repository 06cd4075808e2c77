"""JSON renderer: the Report's dict, stable key order, for machines and CI."""

from __future__ import annotations

import json

from slipway.report.json_formats import versioned
from slipway.report.model import Report


def render_json(report: Report) -> str:
    """`slipway doctor -f json`: the "doctor" output (report.json_formats)."""
    return json.dumps(versioned("doctor", report.to_dict()), indent=2, default=str) + "\n"
