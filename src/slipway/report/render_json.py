"""JSON renderer: the Report's dict, stable key order, for machines and CI."""

from __future__ import annotations

import json

from slipway.report.model import Report


def render_json(report: Report) -> str:
    return json.dumps(report.to_dict(), indent=2, default=str) + "\n"
