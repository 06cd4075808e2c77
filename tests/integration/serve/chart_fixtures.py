"""A project with something to chart: migrations of different lengths, a feed with an import
log imported a few times, a maintenance run, tables with dead rows; and settings that sample
every second."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import psycopg
from serve_helpers import apply_all, write_migration

from slipway.config import Settings, load_settings

FEED_MAPPING = """
[feed]
name = "leads"

[target]
table = "leads"
tenant_column = "dealership_id"
identity = ["code"]

[columns.code]
aliases = ["Code"]

[columns.name]
aliases = ["Name"]

[log]
table = "lead_imports"
"""
LEADS = """
CREATE TABLE leads (
    dealership_id int NOT NULL,
    code text NOT NULL,
    name text,
    PRIMARY KEY (dealership_id, code)
);
CREATE INDEX leads_name_idx ON leads (name);
"""
IMPORT_LOG = """
CREATE TABLE lead_imports (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant int, source_file text, started_at timestamptz, finished_at timestamptz,
    added int, updated int, unchanged int, deactivated int, errors int,
    error_report jsonb, full_feed boolean
);
"""


def sampling_project(project: Path, db_url: str, extra: str = "") -> Settings:
    (project / "slipway.toml").write_text(
        f'[serve]\nsample_interval = "1s"\nsample_retention = "1h"\n{extra}', encoding="utf-8"
    )
    return load_settings(database_url=db_url, project_dir=project)


def fill(project: Path, settings: Settings, conn: psycopg.Connection[Any]) -> None:
    """Three migrations (one slow), three feed imports (one with a bad row), a view refresh."""
    from slipway.feeds.importer import import_feed
    from slipway.feeds.mapping import load_mapping
    from slipway.maintain.config import parse_maintain
    from slipway.maintain.runner import run_maintenance

    write_migration(project, "0001_leads", LEADS)
    write_migration(project, "0002_import_log", IMPORT_LOG)
    write_migration(project, "0003_slow", "SELECT pg_sleep(0.3);")
    apply_all(settings)
    (project / "feeds").mkdir()
    mapping_file = project / "feeds" / "leads.toml"
    mapping_file.write_text(FEED_MAPPING, encoding="utf-8")
    mapping = load_mapping(mapping_file)
    feeds = [
        "Code,Name\n" + "".join(f"L{i},lead {i}\n" for i in range(300)),
        "Code,Name\n" + "".join(f"L{i},lead {i} renamed\n" for i in range(100, 450)),
        "Code,Name\n" + "".join(f"L{i},lead {i}\n" for i in range(500, 520)) + "Oops\n",
    ]
    for n, text in enumerate(feeds):
        path = project / f"leads-{n}.csv"
        path.write_text(text, encoding="utf-8")
        import_feed(conn, mapping, path, 1)
    conn.execute("DELETE FROM leads WHERE code LIKE 'L1%'")  # dead tuples to chart
    conn.execute("CREATE MATERIALIZED VIEW lead_counts AS SELECT count(*) AS n FROM leads")
    cfg = parse_maintain({"views": [{"name": "lead_counts"}]})
    assert run_maintenance(conn, cfg, only_due=False).ok
