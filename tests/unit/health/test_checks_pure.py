"""Health checks as pure functions of hand-made facts (no database)."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from slipway.catalog.model import Catalog, Constraint, Function, Index, Sequence, Table
from slipway.catalog.stats import DatabaseStats, SequenceStats, Statistics
from slipway.config import Settings
from slipway.config_errors import validate_config
from slipway.errors import ConfigError
from slipway.health.checks import CATEGORIES, all_checks
from slipway.health.checks.hc062_sequence_exhaustion import used_fraction
from slipway.health.checks.hc064_partitions_ahead import parse_bound
from slipway.health.engine import DoctorOptions, evaluate, selected_checks
from slipway.health.facts import Facts, Thresholds
from slipway.health.readiness import checklist
from slipway.report import CheckResult, Finding
from slipway.report.model import LABEL

CHECKS = {c.code: c for c in all_checks()}


def settings(raw: dict[str, Any] | None = None) -> Settings:
    return Settings(
        project_dir=Path("."),
        migrations_dir=Path("migrations"),
        database_url=None,
        database_source="flag",
        file_config=validate_config(raw or {}, "slipway.toml"),
    )


def facts(stats: Statistics | None = None, **rows: list[dict[str, Any]]) -> Facts:
    return Facts(settings=settings(), rows=dict(rows), stats=stats or Statistics())


def database_stats(**values: Any) -> Statistics:
    return Statistics(
        collected_at=datetime(2026, 11, 22, tzinfo=UTC), database=DatabaseStats(**values)
    )


def run(code: str, f: Facts) -> CheckResult:
    return evaluate(CHECKS[code], f)


def db(**extra: Any) -> dict[str, Any]:
    base = {
        "database": "app",
        "server_version": "15.4",
        "server_version_num": 150004,
        "ssl": False,
        "server_addr": None,
        "max_connections": 100,
        "reserved_connections": 3,
        "connections": 5,
        "db_connections": 2,
        "now": datetime(2026, 11, 22, tzinfo=UTC),
    }
    return base | extra


def test_registry_is_complete_and_documented() -> None:
    files = sorted(
        p.stem for p in Path(CHECKS["HC001"].func.__code__.co_filename).parent.glob("hc*.py")
    )
    assert len(files) == len(CHECKS) >= 33
    for check in CHECKS.values():
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", check.name)
        assert check.category in CATEGORIES
        assert f"{check.code.lower()}_{check.name.replace('-', '_')}" in files
        assert check.summary.endswith("."), check.code
        assert len(check.why) > 30 and len(check.fix) > 10, check.code
    assert {c.category for c in CHECKS.values()} == set(CATEGORIES)


def test_selected_checks_follow_options() -> None:
    codes = {c.code for c in selected_checks(DoctorOptions(crud=False))}
    assert "HC080" not in codes and "HC090" not in codes
    codes = {c.code for c in selected_checks(DoctorOptions(load_clients=2))}
    assert {"HC080", "HC090"} <= codes


@pytest.mark.parametrize(
    ("row", "level"),
    [
        (db(server_version_num=120010, server_version="12.10"), "warn"),
        (db(), "info"),
    ],
)
def test_server_version(row: dict[str, Any], level: str) -> None:
    assert LABEL[run("HC030", facts(database=[row])).findings[0].severity] == level


@pytest.mark.parametrize(
    ("row", "level", "words"),
    [
        (db(ssl=True, ssl_version="TLSv1.3"), "info", "in use (TLSv1.3)"),
        (db(server_addr="127.0.0.1/32"), "info", "local"),
        (db(server_addr="::1/128"), "info", "local"),
        (db(server_addr="10.0.0.5/32"), "fail", "not in use on a network connection"),
    ],
)
def test_ssl(row: dict[str, Any], level: str, words: str) -> None:
    finding = run("HC031", facts(database=[row])).findings[0]
    assert LABEL[finding.severity] == level and words in finding.message


@pytest.mark.parametrize(("used", "level"), [(10, "info"), (80, "warn"), (95, "fail")])
def test_connection_usage(used: int, level: str) -> None:
    assert LABEL[run("HC032", facts(database=[db(connections=used)])).findings[0].severity] == level


@pytest.mark.parametrize(
    ("age", "level"), [(10, "info"), (600_000_000, "warn"), (1_600_000_000, "fail")]
)
def test_xid_wraparound(age: int, level: str) -> None:
    result = run("HC061", facts(database_stats(xid_age=age), database=[db()]))
    assert LABEL[result.findings[0].severity] == level
    assert result.metrics["xid_age"] == age


@pytest.mark.parametrize(
    ("hit", "read", "level"),
    [(10, 10, "info"), (96_000, 4_000, "info"), (90_000, 10_000, "warn"), (50_000, 50_000, "fail")],
)
def test_cache_hit_ratio(hit: int, read: int, level: str) -> None:
    stats = database_stats(blocks_hit=hit, blocks_read=read)
    result = run("HC055", facts(stats, database=[db()]))
    assert LABEL[result.findings[0].severity] == level


def seq(
    last_value: int | None = 50, column_type: str | None = None, **settings: Any
) -> tuple[Sequence, int | None, str | None]:
    """A sequence (the Catalog's settings), its last value and the type of the column it feeds."""
    values = {"min_value": 1, "max_value": 100, "increment": 1, "cycle": False} | settings
    return Sequence("public", "s", **values), last_value, column_type


@pytest.mark.parametrize(
    ("row", "fraction"),
    [
        (seq(), 49 / 99),
        (seq(last_value=None), None),
        (seq(cycle=True, last_value=99), None),
        (
            seq(max_value=2**63 - 1, last_value=2_000_000_000, column_type="integer"),
            (2_000_000_000 - 1) / (2**31 - 2),
        ),
        (seq(increment=-1, min_value=-100, max_value=-1, last_value=-91), 90 / 99),
    ],
)
def test_sequence_fraction(
    row: tuple[Sequence, int | None, str | None], fraction: float | None
) -> None:
    assert (
        used_fraction(*row) == pytest.approx(fraction) if fraction else used_fraction(*row) is None
    )


def sequence_facts(*last_values: tuple[str, int]) -> Facts:
    """Facts holding sequences of 1..100 named and advanced as given."""
    sequences = tuple(Sequence("public", name, max_value=100) for name, _ in last_values)
    measured = tuple(SequenceStats("public", name, value) for name, value in last_values)
    f = facts(Statistics(sequences=measured))
    f.catalog = Catalog(sequences=sequences)
    return f


def test_sequence_levels() -> None:
    result = run("HC062", sequence_facts(("a", 80), ("b", 95), ("c", 50)))
    assert [(f.target, LABEL[f.severity]) for f in result.findings] == [
        ("public.a", "warn"),
        ("public.b", "fail"),
    ]


def test_parse_bound() -> None:
    low, high = parse_bound(
        "FOR VALUES FROM ('2026-01-01 00:00:00+00') TO ('2026-02-01 00:00:00+00')"
    ) or (None, None)
    assert low == datetime(2026, 1, 1, tzinfo=UTC) and high and high.month == 2
    assert parse_bound("FOR VALUES FROM (MINVALUE) TO ('2026-01-01')") is None
    assert parse_bound("FOR VALUES FROM (1) TO (100)") is None
    assert parse_bound("DEFAULT") is None and parse_bound(None) is None


def ix(names: list[str], predicate: str | None = None, valid: bool = True) -> Index:
    return Index("t_idx", "", columns=tuple(names), predicate=predicate, valid=valid)


@pytest.mark.parametrize(
    ("index", "columns", "expected"),
    [
        (ix(["a"]), ["a"], True),
        (ix(["b", "a", "c"]), ["a", "b"], True),
        (ix(["a", "c"]), ["a", "b"], False),
        (ix(["c", "a"]), ["a"], False),
        (ix(["a"], valid=False), ["a"], False),
        (ix(["a"], "(a IS NOT NULL)"), ["a"], True),
        (ix(["a"], "(a > 10)"), ["a"], False),
        (ix(["a"], "(b IS NOT NULL)"), ["a"], False),
    ],
)
def test_index_covers_foreign_key(index: Index, columns: list[str], expected: bool) -> None:
    fk = Constraint("t_fk", "f", "", columns=tuple(columns), ref_schema="public", ref_table="p")
    table = Table("public", "t", constraints=(fk,), indexes=(index,))
    f = Facts(settings=settings(), catalog=Catalog(tables=(table,)))
    assert (run("HC011", f).status == "pass") is expected


def test_thresholds_from_config() -> None:
    th = settings({"doctor": {"xid_age_warn": 5}}).config.doctor
    assert th.xid_age_warn == 5 and th.cache_hit_warn == 0.95 and Thresholds().xid_age_warn > 5
    with pytest.raises(ConfigError, match=r"\[doctor\] cache_hit_warn: expected a number"):
        settings({"doctor": {"cache_hit_warn": "high"}})
    with pytest.raises(ConfigError, match="xid_age_wran: unknown key; did you mean xid_age_warn"):
        settings({"doctor": {"xid_age_wran": 5}})


def test_crashing_check_becomes_a_failure() -> None:
    result = run("HC034", facts(sessions=[{"pid": 1}]))  # a row missing keys
    assert result.status == "fail"
    assert result.findings[0].message.startswith("check crashed: KeyError")


def test_missing_fact_note_is_attached() -> None:
    f = sequence_facts()
    f.notes["stats"] = "could not read stats: permission denied"
    result = run("HC062", f)
    assert result.status == "pass"
    assert result.notes == ["could not read stats: permission denied"]


def test_checklist_reason_and_fix() -> None:
    ok = CheckResult("HC001", "a", "schema", "s")
    bad = CheckResult(
        "HC040",
        "b",
        "security",
        "s",
        findings=[
            Finding("HC040", "b", "warning", "m", "public.x", "do this"),
            Finding("HC040", "b", "error", "m", "public.y", "do that"),
        ],
    )
    warn_only = CheckResult(
        "HC041",
        "c",
        "security",
        "s",
        findings=[Finding("HC041", "c", "warning", "m", "public.z", "w")],
    )
    items = checklist([ok, bad, warn_only])
    assert [(i.category, i.status) for i in items] == [("schema", "pass"), ("security", "fail")]
    assert items[0].reason == "1 check passes"
    assert items[1].reason == "HC040 b: 1 problem; HC041 c: 1 problem"
    assert items[1].fix == "HC040 (public.y): do that"


class _Diag:
    constraint_name = "child_parent_fkey"


class _Error:
    diag = _Diag()
    sqlstate = "23503"


@pytest.mark.parametrize(
    ("rule", "error", "before", "after", "level", "words"),
    [
        ("c", None, ["1"], None, "info", "deleted, as declared"),
        ("c", None, ["1"], ["1"], "fail", "survived"),
        ("n", None, ["1"], [None], "info", "now has NULL"),
        ("n", None, ["1"], ["1"], "fail", "still references"),
        ("d", None, ["1"], ["0"], "info", "default"),
        ("a", _Error(), ["1"], None, "info", "refused, as declared"),
        ("a", None, ["1", "2"], ["1", None], "info", "detached first"),
        ("a", None, ["1"], None, "info", "another cascade path"),
        ("r", None, ["1"], ["1"], "fail", "still references"),
        ("n", None, None, None, "info", "not visible"),
    ],
)
def test_cascade_judgement(
    rule: str,
    error: Any,
    before: list[str | None] | None,
    after: list[str | None] | None,
    level: str,
    words: str,
) -> None:
    from slipway.catalog.model import Constraint
    from slipway.health.crud import _judge

    rules = {"a": "NO ACTION", "r": "RESTRICT", "c": "CASCADE", "n": "SET NULL", "d": "SET DEFAULT"}
    fk = Constraint("child_parent_fkey", "f", "", on_delete=rules[rule])
    got_level, message = _judge(fk, error, before, after)
    assert LABEL[got_level] == level and words in message


def test_topological_order_puts_parents_first() -> None:
    from slipway.health.rows import topo_order
    from slipway.health.tenancy import Name

    def fk(child: int, parent: int) -> tuple[Name, Name]:
        return Name("public", str(child)), Name("public", str(parent))

    def names(*numbers: int) -> list[Name]:
        return [Name("public", str(n)) for n in numbers]

    # 3 -> 2 -> 1, 4 -> 1, 5 <-> 6 (a cycle), 7 -> 99 (outside the set), 8 -> 8 (self)
    fks = [fk(3, 2), fk(2, 1), fk(4, 1), fk(5, 6), fk(6, 5), fk(7, 99), fk(8, 8)]
    order = [int(n.name) for n in topo_order(names(3, 4, 2, 1, 5, 6, 7, 8), fks)]
    assert sorted(order) == [1, 2, 3, 4, 5, 6, 7, 8]
    assert order.index(1) < order.index(2) < order.index(3)
    assert order.index(1) < order.index(4)


NOW = datetime(2026, 11, 22, 12, tzinfo=UTC)


@pytest.mark.parametrize(
    ("row", "level", "words"),
    [
        (db(archive_mode="off"), "info", "archiving is off"),
        (
            db(archive_mode="on", last_archived_time=None, last_failed_time=None),
            "info",
            "nothing archived yet",
        ),
        (
            db(
                archive_mode="on",
                last_archived_time=datetime(2026, 11, 22, 11, tzinfo=UTC),
                last_failed_time=datetime(2026, 11, 22, 11, 30, tzinfo=UTC),
                failed_count=3,
            ),
            "fail",
            "archiving is failing (3 failures",
        ),
        (
            db(
                archive_mode="on",
                last_archived_time=datetime(2026, 11, 20, tzinfo=UTC),
                last_failed_time=None,
            ),
            "warn",
            "60 hours ago",
        ),
        (
            db(
                archive_mode="always",
                last_archived_time=datetime(2026, 11, 22, 11, tzinfo=UTC),
                last_failed_time=datetime(2026, 11, 21, tzinfo=UTC),
            ),
            "info",
            "works",
        ),
    ],
)
def test_wal_archiving(row: dict[str, Any], level: str, words: str) -> None:
    finding = run("HC066", facts(database=[row | {"now": NOW}])).findings[0]
    assert LABEL[finding.severity] == level and words in finding.message


def test_check_catalogue_formats() -> None:
    import json

    from slipway.health.docs import describe_checks

    listed = json.loads(describe_checks("json"))["checks"]
    assert [c["code"] for c in listed] == sorted(CHECKS)
    assert all(c["why"] and c["fix"] for c in listed)
    md = describe_checks("md")
    assert md.count("\n## HC") == len(CHECKS) and "**Why:**" in md
    text = describe_checks("text")
    assert text.splitlines()[0].startswith("HC001  schema")


def session(**extra: Any) -> dict[str, Any]:
    return {
        "pid": 42,
        "role": "app",
        "application_name": "web",
        "state": "active",
        "xact_seconds": 1.0,
        "state_seconds": 1.0,
        "blocked_by": 0,
    } | extra


@pytest.mark.parametrize(
    ("row", "words"),
    [
        (
            session(state="idle in transaction", state_seconds=400.0),
            "idle in transaction for 400 s",
        ),
        (
            session(state="idle in transaction (aborted)", state_seconds=301.0),
            "idle in transaction",
        ),
        (session(xact_seconds=4000.0), "has a transaction open for 4000 s (active)"),
        (session(state="idle in transaction", state_seconds=10.0), None),
        (session(), None),
    ],
)
def test_long_transactions(row: dict[str, Any], words: str | None) -> None:
    result = run("HC034", facts(sessions=[row], database=[db(is_superuser=True)]))
    if words is None:
        assert result.findings == []
    else:
        assert result.findings[0].target == "pid 42" and words in result.findings[0].message


def test_replication_slots() -> None:
    slots = [
        {"name": "gone", "type": "physical", "active": False, "retained_bytes": 5 << 30},
        {"name": "live", "type": "logical", "active": True, "retained_bytes": 5 << 30},
        {"name": "fresh", "type": "physical", "active": False, "retained_bytes": None},
    ]
    result = run("HC067", facts(replication_slots=slots))
    assert [(f.target, LABEL[f.severity]) for f in result.findings] == [
        ("gone", "warn"),
        ("live", "info"),
        ("fresh", "info"),
    ]
    assert "holding 5.0 GB of WAL" in result.findings[0].message


def test_security_definer_hint_is_sql_that_runs() -> None:
    """The fix names a procedure as a procedure (ALTER FUNCTION refuses one) and quotes names
    that need it; a routine with a fixed search_path, or not SECURITY DEFINER, passes."""
    routines = (
        Function("public", "MyProc", "integer", kind="procedure", security_definer=True),
        Function("app", "f", "", security_definer=True, owner="app_owner"),
        Function("app", "fixed", "", security_definer=True, config=("search_path=pg_catalog",)),
        Function("app", "plain", ""),
    )
    f = facts()
    f.catalog = Catalog(functions=routines)
    result = run("HC045", f)
    assert [(x.target, x.hint) for x in result.findings] == [
        ("app.f()", "ALTER FUNCTION app.f() SET search_path = pg_catalog, app, pg_temp;"),
        (
            "MyProc(integer)",
            'ALTER PROCEDURE "MyProc"(integer) SET search_path = pg_catalog, public, pg_temp;',
        ),
    ]
    assert "owner app_owner" in result.findings[0].message
