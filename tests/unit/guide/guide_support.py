"""Helpers for the guide tests: write a migrations folder, analyze it."""

from __future__ import annotations

from pathlib import Path

from slipway.guide.deps import MigrationFacts, analyze
from slipway.migrations.layouts import load_folder

CORPUS = Path(__file__).parent / "corpus"
RYLIE = Path(__file__).resolve().parents[3] / "src" / "slipway" / "examples" / "rylie"


def write_folder(root: Path, files: dict[str, str]) -> Path:
    folder = root / "migrations"
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def facts_for(root: Path, files: dict[str, str]) -> list[MigrationFacts]:
    return analyze(load_folder(write_folder(root, files)).migrations)


def edges(facts: list[MigrationFacts]) -> dict[str, dict[str, set[tuple[str, str]]]]:
    """version -> {dependency version -> {(object key, how)}}."""
    return {
        f.migration.version: {
            d.version: {(r.obj.key, r.how) for r in d.reasons} for d in f.dependencies
        }
        for f in facts
    }
