"""`slipway verify --format json` gives a failed script's place as fields (`error_at`:
SQLSTATE, path, line, column), the same place its `error` text names."""

from __future__ import annotations

import json
from pathlib import Path

from verify_helpers import BASE, Corpus, slipway, write_corpus

CORPUS: Corpus = {
    **BASE,
    "0002_down_errors": ("CREATE TABLE a (id int);\n", "DROP TABLE a;\nDROP TABLE nope;\n", None),
    "0003_verify_fails": (
        "ALTER TABLE a ADD COLUMN b int;\n",
        "ALTER TABLE a DROP COLUMN b;\n",
        "SELECT missing FROM a;\n",
    ),
}


def test_failed_scripts_carry_sqlstate_and_place(pg_server: str, project: Path) -> None:
    write_corpus(project / "migrations", CORPUS)
    run = slipway(project, pg_server, "verify", "--format", "json")
    entries = {e["version"]: e for e in json.loads(run.stdout)["results"]}
    assert "error_at" not in entries["0001"]  # no error, no place
    down, check = entries["0002"]["error_at"], entries["0003"]["error_at"]
    assert (down["sqlstate"], down["line"], down["column"]) == ("42P01", 2, 1)
    assert down["path"].endswith("0002_down_errors.down.sql")
    assert f"{down['path']}:2:1" in entries["0002"]["error"]
    assert (check["sqlstate"], check["line"], check["column"]) == ("42703", 1, 8)
    assert check["path"].endswith("0003_verify_fails.verify.sql")
