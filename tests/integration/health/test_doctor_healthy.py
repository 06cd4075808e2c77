"""A healthy database passes: every check passes or is explicitly informational."""

from __future__ import annotations

import psycopg
from health_support import Built

from slipway.health.checks import all_checks
from slipway.report.model import LABEL


def _expected_role_status(url: str) -> str:
    """HC043 looks at cluster-wide roles: work out independently what it must say here."""
    with psycopg.connect(url) as conn:
        others = conn.execute(
            "SELECT count(*) FROM pg_roles WHERE rolcanlogin AND (rolsuper OR rolbypassrls) "
            "AND oid <> 10"
        ).fetchone()
    return "warn" if others and others[0] else "pass"


def test_every_check_passes(healthy: Built) -> None:
    report = healthy.report
    problems = {
        c.code: [(f.target, f.message) for f in c.findings if LABEL[f.severity] != "info"]
        for c in report.checks
        if c.status != "pass" and c.code != "HC043"
    }
    assert problems == {}
    assert report.check("HC043").status == _expected_role_status(healthy.url)


def test_all_checks_ran_except_load(healthy: Built) -> None:
    codes = [c.code for c in healthy.report.checks]
    assert codes == [c.code for c in all_checks() if c.needs != "load"]


def test_healthy_facts_are_reported(healthy: Built) -> None:
    report = healthy.report
    tree = report.check("HC002").details
    assert tree[0] == "public.dealerships (tenant root)"
    assert any(
        "public.leads (customer_id -> customers.id, ON DELETE SET NULL)" in line for line in tree
    )
    fks = {f.target: f.message for f in report.check("HC010").findings}
    assert fks["public.customers.customers_dealership_id_fkey"].endswith("ON DELETE CASCADE")
    assert report.check("HC020").metrics["applied"] == 1
    assert "1 applied" in report.check("HC020").findings[0].message
    parts = {f.target: f.message for f in report.check("HC064").findings}
    assert parts["public.messages"].startswith("2 partitions ahead")


def test_crud_validated_every_table_and_rule(healthy: Built) -> None:
    crud = healthy.report.check("HC080")
    assert crud.details == ["inserted test rows in 4 of 4 tables; everything was rolled back"]
    messages = {f.target: f.message for f in crud.findings}
    assert "as declared" in messages["public.leads.leads_customer_id_fkey"]
    assert "SET NULL" in messages["public.leads.leads_customer_id_fkey"]
    assert "CASCADE" in messages["public.messages.messages_dealership_id_fkey"]
    with psycopg.connect(healthy.url) as conn:
        assert conn.execute("SELECT count(*) FROM dealerships").fetchone() == (2,)
        assert conn.execute("SELECT count(*) FROM messages").fetchone() == (10,)


def test_verdict_is_ready(healthy: Built) -> None:
    report = healthy.report
    expected = "ready" if _expected_role_status(healthy.url) == "pass" else "ready with warnings"
    assert report.verdict == expected
    security = next(i for i in report.checklist if i.category == "security")
    assert security.status == _expected_role_status(healthy.url)
