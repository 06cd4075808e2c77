"""Without superuser the doctor still reports, degrading with notes where it cannot look."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import psycopg
import pytest
from health_support import Built, doctor

from slipway.report.model import LABEL


@pytest.fixture
def plain_url(planted: Built, pg_server: str) -> Iterator[str]:
    role = f"hc_plain_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(pg_server, autocommit=True) as admin:
        admin.execute(f'CREATE ROLE "{role}" LOGIN')
    info = psycopg.conninfo.conninfo_to_dict(planted.url)
    info["user"] = role
    try:
        yield psycopg.conninfo.make_conninfo(**{k: str(v) for k, v in info.items() if v})
    finally:
        with psycopg.connect(pg_server, autocommit=True) as admin:
            admin.execute(f'DROP OWNED BY "{role}" CASCADE')
            admin.execute(f'DROP ROLE "{role}"')


def test_plain_role_gets_a_report_with_notes(planted: Built, plain_url: str) -> None:
    report = doctor(plain_url, planted.project)
    crashed = [
        f for c in report.checks for f in c.findings if f.message.startswith("check crashed")
    ]
    assert crashed == []
    assert any("without pg_read_all_stats" in n for n in report.notes)
    # counting orphans needs SELECT on notes: refused, so the check says so instead of failing
    orphans = report.check("HC012")
    assert any("could not read orphans" in n for n in orphans.notes)
    # catalog-only checks see everything regardless of privileges
    assert [f.target for f in report.check("HC040").findings] == ["public.leads", "public.chats_1"]
    assert "public.customers_view" in {f.target for f in report.check("HC046").findings}
    # the CRUD check reports that this role may not write, table by table
    crud = report.check("HC080")
    assert any(
        "permission denied" in f.message and LABEL[f.severity] == "warn" for f in crud.findings
    )


def test_a_table_locked_by_a_migration_gives_a_report_with_notes(planted: Built) -> None:
    # printing a policy's expression opens its table: behind an ACCESS EXCLUSIVE lock (an
    # ALTER TABLE in progress) the read gives up at the lock timeout, and the report says so
    with psycopg.connect(planted.url) as holder:
        holder.execute("LOCK TABLE customers IN ACCESS EXCLUSIVE MODE")
        report = doctor(planted.url, planted.project, crud=False)
        holder.rollback()
    assert any("could not read catalog" in n for n in report.check("HC040").notes)
