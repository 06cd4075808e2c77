"""`slipway deps` output: text, JSON or Mermaid, from the analysis (pure)."""

from __future__ import annotations

from typing import Any

from slipway.guide.deps import MigrationFacts
from slipway.guide.mermaid import dependency_graph


def deps_json(facts: list[MigrationFacts]) -> list[dict[str, Any]]:
    return [
        {
            "version": f.migration.version,
            "name": f.migration.name,
            "file": str(f.migration.up.path),
            "depends_on": [
                {
                    "version": d.version,
                    "name": d.name,
                    "reasons": [
                        {
                            "object": r.obj.key,
                            "kind": r.obj.kind,
                            "how": r.how,
                            "line": r.line,
                            "best_effort": r.best_effort,
                        }
                        for r in d.reasons
                    ],
                }
                for d in f.dependencies
            ],
        }
        for f in facts
    ]


def deps_text(facts: list[MigrationFacts]) -> str:
    lines: list[str] = []
    for f in facts:
        m = f.migration
        if not f.dependencies:
            lines.append(f"{m.version} {m.name}: no dependencies")
            continue
        lines.append(f"{m.version} {m.name} depends on:")
        for d in f.dependencies:
            lines.append(f"  {d.version} {d.name}")
            for r in d.reasons:
                lines.append(f"    {r.text}")
    edges = sum(len(f.dependencies) for f in facts)
    lines.append(f"{len(facts)} migrations, {edges} dependencies")
    return "\n".join(lines) + "\n"


def deps_mermaid(facts: list[MigrationFacts]) -> str:
    return dependency_graph(facts) + "\n"


RENDERERS = {"text": deps_text, "mermaid": deps_mermaid}
