"""/readyz flips with migration state; auth is required off loopback; nothing leaks."""

from __future__ import annotations

import base64
import time
from pathlib import Path

import pytest
from serve_helpers import (
    Reply,
    apply_all,
    fetch,
    running,
    write_migration,
)

from slipway.config import Settings
from slipway.errors import ConfigError
from slipway.serve import build_app
from slipway.serve.app import check_binding


def test_readyz_flips_with_pending_and_modified(project: Path, serve_settings: Settings) -> None:
    app = build_app(serve_settings, ttl=0.05)
    first = write_migration(project, "0001_a", "CREATE TABLE a (id int);")

    def probe(base: str) -> Reply:
        time.sleep(0.1)  # past the cache's ttl
        return fetch(base + "/readyz")

    with running(app) as base:
        pending = probe(base)
        apply_all(serve_settings)
        ready = probe(base)
        first.write_text("CREATE TABLE a (id bigint);", encoding="utf-8")
        modified = probe(base)
        first.write_text("CREATE TABLE a (id int);", encoding="utf-8")
        write_migration(project, "0002_b", "CREATE TABLE b (id int);")
        pending_again = probe(base)
        healthz = fetch(base + "/healthz")
    assert pending.status == 503
    assert pending.json()["reasons"] == ["migration 0001 a is pending"]
    assert ready.status == 200 and ready.json()["ready"] is True
    assert ready.json()["migrations"] == {"applied": 1, "pending": 0, "modified": 0, "missing": 0}
    assert modified.status == 503 and modified.json()["reasons"] == ["migration 0001 a is modified"]
    assert pending_again.status == 503
    assert pending_again.json()["reasons"] == ["migration 0002 b is pending"]
    assert healthz.status == 200 and healthz.json() == {"version": 1, "status": "up"}


def test_readyz_fails_on_drift_only_when_asked(
    project: Path, serve_settings: Settings, db_conn: object
) -> None:
    write_migration(project, "0001_a", "CREATE TABLE a (id int);")
    apply_all(serve_settings)
    strict = build_app(serve_settings, ttl=0.05, health_ttl=0.05, ready_on_drift="fail")
    lenient = build_app(serve_settings, ttl=0.05)
    with running(strict) as base:
        clean = fetch(base + "/readyz")
        db_conn.execute("ALTER TABLE a ADD COLUMN by_hand int")  # type: ignore[attr-defined]
        time.sleep(0.1)  # past the drift check's ttl
        drifted = fetch(base + "/readyz")
    with running(lenient) as base:
        ignored = fetch(base + "/readyz")
    assert clean.status == 200 and clean.json()["drift"] == {"changes": [], "error": None}
    assert drifted.status == 503, drifted.json()
    (reason,) = drifted.json()["reasons"]
    assert reason.startswith("schema drift: 1 difference(s)") and "by_hand" in reason
    assert ignored.status == 200 and "drift" not in ignored.json()


def test_token_required_off_loopback() -> None:
    for host in ("127.0.0.1", "::1", "localhost", "127.0.0.5"):
        check_binding(host, None)
    for host in ("0.0.0.0", "192.168.1.10", "::", "example.com"):
        with pytest.raises(ConfigError, match="needs a token"):
            check_binding(host, None)
        check_binding(host, "t0ken")


def test_token_and_basic_auth(serve_settings: Settings) -> None:
    app = build_app(serve_settings, token="s3cr3t-token", ttl=5)
    basic = base64.b64encode(b"ops:s3cr3t-token").decode()
    wrong = base64.b64encode(b"ops:nope").decode()
    with running(app) as base:
        anonymous = fetch(base + "/metrics")
        bad = fetch(base + "/", {"Authorization": "Bearer nope"})
        bad_basic = fetch(base + "/readyz", {"Authorization": f"Basic {wrong}"})
        bearer = fetch(base + "/metrics", {"Authorization": "Bearer s3cr3t-token"})
        basic_ok = fetch(base + "/", {"Authorization": f"Basic {basic}"})
        probe = fetch(base + "/healthz")
    assert anonymous.status == bad.status == bad_basic.status == 401
    assert anonymous.headers["www-authenticate"] == 'Basic realm="slipway"'
    assert bearer.status == 200 and "slipway_database_up 1.0" in bearer.text
    assert basic_ok.status == 200 and "<h2>Migrations</h2>" in basic_ok.text
    assert probe.status == 200  # probes stay open
    assert "default-src 'none'" in basic_ok.headers["content-security-policy"]


def test_no_password_or_url_shown(project: Path, db_url: str) -> None:
    from psycopg.conninfo import conninfo_to_dict, make_conninfo

    from slipway.config import load_settings

    info = conninfo_to_dict(db_url)
    info["password"] = "hunter2-secret"  # trust auth ignores it; it must still never appear
    settings = load_settings(database_url=make_conninfo(**info), project_dir=project)
    with running(build_app(settings, ttl=5)) as base:
        replies = [fetch(base + p) for p in ("/", "/metrics", "/readyz")]
    for reply in replies:
        assert reply.status == 200
        assert "hunter2" not in reply.text and "password" not in reply.text.lower()
        assert "postgresql://" not in reply.text and "user=" not in reply.text
    port = f":{info['port']}" if info.get("port") else ""
    assert f"{info['dbname']} on {info['host']}{port}" in replies[0].text


def test_guide_and_docs_pages_when_the_guide_offers_them(
    serve_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    import slipway.guide

    with running(build_app(serve_settings, ttl=5)) as base:
        page = fetch(base + "/")
        guide = fetch(base + "/guide")
        docs = fetch(base + "/docs")
    assert 'href="/guide"' in page.text and 'href="/docs"' in page.text
    assert guide.status == 200 and "Migration" in guide.text and "<script src" not in guide.text
    assert docs.status == 200 and "<html" in docs.text.lower()

    monkeypatch.delattr(slipway.guide, "render_guide_html")
    monkeypatch.delattr(slipway.guide, "render_docs_html")
    with running(build_app(serve_settings, ttl=5)) as base:
        without = fetch(base + "/")
        missing = fetch(base + "/guide")
    assert 'href="/guide"' not in without.text and missing.status == 404


def test_pool_section_sizes_the_dashboard_pool(project: Path, db_url: str) -> None:
    from slipway.config import load_settings

    (project / "slipway.toml").write_text("[pool]\nmax_size = 3\ntimeout = 2.5\n")
    settings = load_settings(database_url=db_url, project_dir=project)
    with running(build_app(settings, ttl=0.05)) as base:
        metrics = fetch(base + "/metrics").text
    assert "slipway_pool_max 3.0" in metrics


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ("[pool]\nmax_sise = 3\n", "max_sise: unknown key; did you mean max_size"),
        ("[pool]\nmax_size = 0\n", "max_size: must be more than 0, got 0"),
        ('[pool]\ntimeout = "soon"\n', "timeout: expected a duration like 2s"),
        ("[pool]\nmin_size = 3\n", "max_size 2 must be at least min_size 3"),
    ],
)
def test_bad_pool_section_is_a_config_error(
    project: Path, db_url: str, toml: str, message: str
) -> None:
    from slipway.config import load_settings

    (project / "slipway.toml").write_text(toml)
    with pytest.raises(ConfigError, match=message):
        load_settings(database_url=db_url, project_dir=project)
