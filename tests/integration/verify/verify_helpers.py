"""Shared helpers for the verify tests: write migration folders, run the CLI."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

# version_name -> (up, down or None, verify or None)
Corpus = dict[str, tuple[str, str | None, str | None]]


def write_corpus(folder: Path, corpus: Corpus) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for stem, (up, down, verify) in corpus.items():
        (folder / f"{stem}.sql").write_text(up, encoding="utf-8")
        if down is not None:
            (folder / f"{stem}.down.sql").write_text(down, encoding="utf-8")
        if verify is not None:
            (folder / f"{stem}.verify.sql").write_text(verify, encoding="utf-8")
    return folder


def slipway(cwd: Path, db_url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, DATABASE_URL=db_url, NO_COLOR="1")
    return subprocess.run(
        [sys.executable, "-m", "slipway", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


BASE: Corpus = {
    "0001_customers": (
        """CREATE TABLE customers (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    dealership_id int NOT NULL,
    email text NOT NULL,
    opted_out_at timestamptz
);
CREATE TYPE lead_status AS ENUM ('new', 'contacted');
CREATE FUNCTION increment_usage_metrics(p_id uuid, p_count int) RETURNS int
LANGUAGE sql AS $$ SELECT p_count + 1 $$;
CREATE VIEW customer_emails AS SELECT id, email FROM customers;
""",
        """DROP VIEW customer_emails;
DROP FUNCTION increment_usage_metrics(uuid, int);
DROP TYPE lead_status;
DROP TABLE customers;
""",
        "SELECT id, dealership_id, email FROM customers WHERE false;\n",
    ),
}
