"""The catalogue of health checks, generated from the checks themselves (`doctor --list`)."""

from __future__ import annotations

import json

from slipway.health.checks import all_checks
from slipway.report.json_formats import versioned


def describe_checks(fmt: str = "text") -> str:
    """Every check's code, name, category, summary, why and fix as text, md or json."""
    checks = all_checks()
    if fmt == "json":
        rows = [
            {
                "code": c.code,
                "name": c.name,
                "category": c.category,
                "summary": c.summary,
                "why": c.why,
                "fix": c.fix,
                "informational": c.informational,
                "runs": c.needs or "always",
            }
            for c in checks
        ]
        return json.dumps(versioned("doctor-checks", {"checks": rows}), indent=2) + "\n"
    if fmt in ("md", "html"):
        lines = ["# slipway doctor: health checks", ""]
        for c in checks:
            lines += [
                f"## {c.code} `{c.name}` ({c.category})",
                "",
                c.summary,
                "",
                f"**Why:** {c.why}",
                "",
                f"**Fix:** {c.fix}",
                "",
            ]
            if c.needs:
                lines += [f"Runs only with {'--load N' if c.needs == 'load' else 'CRUD on'}.", ""]
        return "\n".join(lines)
    return "".join(f"{c.code}  {c.category:<14} {c.name:<30} {c.summary}\n" for c in checks)
