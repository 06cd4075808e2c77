""" "This foreign key is covered by an index" has one answer: the Catalog (introspected from the
server), `slipway doctor` HC011 (its facts rows) and `slipway lint` SW105 (its replayed state)
agree on every case, and the answer is PostgreSQL's."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import psycopg

from slipway.catalog.introspect import introspect

# (child table's columns and constraints, index statement or "", covered?)
CASES: list[tuple[str, str, bool]] = [
    ("a int REFERENCES parent (id)", "CREATE INDEX ON {t} (a)", True),
    (
        "a int, b int, FOREIGN KEY (a, b) REFERENCES parent (id, k)",
        "CREATE INDEX ON {t} (b, a, c)",
        True,
    ),  # any order among the leading columns
    (
        "a int, b int, FOREIGN KEY (a, b) REFERENCES parent (id, k)",
        "CREATE INDEX ON {t} (a, c)",
        False,
    ),
    ("a int REFERENCES parent (id)", "CREATE INDEX ON {t} (c, a)", False),  # not leading
    ("a int REFERENCES parent (id)", "", False),
    ("a int REFERENCES parent (id)", "CREATE INDEX ON {t} (a) WHERE a IS NOT NULL", True),
    ("a int REFERENCES parent (id)", "CREATE INDEX ON {t} (a) WHERE c > 0", False),  # partial
    ("a int REFERENCES parent (id)", "CREATE INDEX ON {t} (a) WHERE c IS NOT NULL", False),
    ("a int REFERENCES parent (id)", "CREATE INDEX ON {t} USING hash (a)", True),
    ("a int REFERENCES parent (id)", "CREATE INDEX ON {t} USING brin (a)", False),
    ("a int PRIMARY KEY REFERENCES parent (id)", "", True),  # the primary key's index
    ("a int, b int, FOREIGN KEY (a) REFERENCES parent (id), UNIQUE (a, b)", "", True),
    (
        "a int, b int, FOREIGN KEY (a, b) REFERENCES parent (id, k)",
        "CREATE INDEX ON {t} (a) INCLUDE (b)",
        False,
    ),  # INCLUDE columns are no key
]


def _ddl() -> str:
    lines = ["CREATE TABLE parent (id int, k int, PRIMARY KEY (id), UNIQUE (id, k));"]
    for i, (columns, index, _) in enumerate(CASES):
        table = f"child_{i}"
        lines.append(f"CREATE TABLE {table} (c int, {columns});")
        if index:
            lines.append(index.format(t=table) + ";")
    return "\n".join(lines) + "\n"


def _slipway(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, NO_COLOR="1")
    env.pop("DATABASE_URL", None)
    return subprocess.run(
        [sys.executable, "-m", "slipway", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_catalog_doctor_and_lint_agree(db_url: str, tmp_path: Path) -> None:
    ddl = _ddl()
    with psycopg.connect(db_url, autocommit=True) as conn:
        conn.execute(ddl.encode())
        catalog = introspect(conn)
    uncovered = {t.name for t, _ in catalog.uncovered_foreign_keys()}
    by_catalog = {i: f"child_{i}" not in uncovered for i in range(len(CASES))}

    doctor = _slipway(
        tmp_path, "doctor", "-f", "json", "--fail-on", "never", "--no-crud", "-d", db_url
    )
    assert doctor.returncode == 0, doctor.stderr
    hc011 = next(c for c in json.loads(doctor.stdout)["checks"] if c["code"] == "HC011")
    flagged = {f["target"].split(".")[1] for f in hc011["findings"]}
    by_doctor = {i: f"child_{i}" not in flagged for i in range(len(CASES))}

    folder = tmp_path / "migrations"
    folder.mkdir()
    (folder / "0001_tables.sql").write_text(ddl, encoding="utf-8")
    lint = _slipway(tmp_path, "lint", "--no-cache", "-f", "json", str(folder))
    assert "Traceback" not in lint.stderr, lint.stderr
    hits = [f["message"] for f in json.loads(lint.stdout)["findings"] if f["code"] == "SW105"]
    linted = {m.group(1) for h in hits if (m := re.search(r"(child_\d+) \(", h))}
    by_lint = {i: f"child_{i}" not in linted for i in range(len(CASES))}

    expected = {i: covered for i, (_, _, covered) in enumerate(CASES)}
    assert by_catalog == expected
    assert by_doctor == expected
    assert by_lint == expected
