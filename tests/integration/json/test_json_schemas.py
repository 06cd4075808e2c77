"""Every JSON output, run for real and validated against its schema in docs/schemas/.

Each output is listed once in `slipway.report.json_formats.JSON_VERSIONS` (its format version)
and has `docs/schemas/<output>.schema.json`. The tests here run each one against a throwaway
database (the Rylie platform migrated by `slipway up` and seeded, or a two-migration project),
validate what it printed, and fail when a command grows a JSON format without a schema.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
import pytest

from pg_fixtures import create_database, drop_database, url_for
from slipway.report.json_formats import JSON_VERSIONS

jsonschema = pytest.importorskip("jsonschema")

ROOT = Path(__file__).resolve().parents[3]
SCHEMAS = ROOT / "docs" / "schemas"
RYLIE = ROOT / "src" / "slipway" / "examples" / "rylie"

# Every command with a JSON format -> the outputs it prints (a flag can change the output).
COMMAND_OUTPUTS: dict[str, tuple[str, ...]] = {
    "lint": ("lint",),
    "doctor": ("doctor", "doctor-checks"),  # --list -f json: the checks
    "status": ("status",),
    "validate": ("validate",),
    "history": ("history",),
    "plan": ("plan",),
    "adopt": ("adopt",),
    "verify": ("verify", "tenancy"),  # --tenancy
    "diff": ("diff",),
    "deps": ("deps",),
    "maintain": ("maintain",),
    "maintain partitions": ("maintain",),
    "maintain views": ("maintain",),
    "maintain stats": ("maintain",),
    "maintain cleanup": ("maintain",),
    "feed import": ("feed-import",),
    "feed check": ("feed-check",),
}
# JSON outputs that are not a command's --format: serve's endpoints.
ENDPOINT_OUTPUTS = {"serve-readyz": "/readyz", "serve-healthz": "/healthz"}


@dataclass(frozen=True)
class Project:
    folder: Path
    url: str

    def run(self, *args: str, codes: tuple[int, ...] = (0,)) -> Any:
        """`slipway ARGS -f json` in the project, as a process; its output parsed."""
        done = subprocess.run(
            [sys.executable, "-m", "slipway", *args, "-f", "json"],
            cwd=self.folder,
            env=_env(),
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert done.returncode in codes, f"slipway {' '.join(args)}: {done.stderr}"
        return json.loads(done.stdout)


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    return {**env, "NO_COLOR": "1", "SLIPWAY_SERVE_TOKEN": "json-schema-token"}


def _slipway(folder: Path, *args: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "slipway", *args],
        cwd=folder,
        env=_env(),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, f"slipway {' '.join(args)}: {done.stderr}"


@pytest.fixture(scope="module")
def rylie(pg_server: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Project]:
    """The Rylie platform: migrated by `slipway up`, seeded, with its slipway.toml and feeds."""
    folder = tmp_path_factory.mktemp("rylie")
    for part in ("migrations", "feeds", "data"):
        shutil.copytree(RYLIE / part, folder / part)
    shutil.copy(RYLIE / "slipway.toml", folder / "slipway.toml")
    name = create_database("json")
    url = url_for(name)
    try:
        _slipway(folder, "up", "-q", "-d", url)
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute((folder / "data" / "seed.sql").read_text(encoding="utf-8").encode())
        yield Project(folder, url)
    finally:
        drop_database(name)


SMALL = {
    "0001_a": ("CREATE TABLE a (id bigint PRIMARY KEY);", "DROP TABLE a;"),
    "0002_b": ("CREATE TABLE b (id bigint PRIMARY KEY, a_id bigint REFERENCES a);", None),
}


@pytest.fixture
def small(db_url: str, tmp_path: Path) -> Project:
    """Two migrations (the second without a rollback), none applied yet."""
    (tmp_path / "migrations").mkdir()
    for stem, (up, down) in SMALL.items():
        (tmp_path / "migrations" / f"{stem}.sql").write_text(up + "\n", encoding="utf-8")
        if down is not None:
            (tmp_path / "migrations" / f"{stem}.down.sql").write_text(down + "\n")
    return Project(tmp_path, db_url)


def _adopted(small: Project) -> Any:
    """`adopt` of a database golang-migrate had migrated up to version 1."""
    with psycopg.connect(small.url, autocommit=True) as conn:
        conn.execute(
            "CREATE TABLE schema_migrations (version bigint NOT NULL PRIMARY KEY,"
            " dirty boolean NOT NULL); INSERT INTO schema_migrations VALUES (1, false);"
            " CREATE TABLE a (id bigint PRIMARY KEY)"
        )
    return small.run("adopt", "-d", small.url)


def _edited(small: Project) -> Project:
    """The small project applied, then 0001 edited (modified) and 0003 added (pending)."""
    _slipway(small.folder, "up", "-q", "-d", small.url)
    (small.folder / "migrations" / "0001_a.sql").write_text("CREATE TABLE a (id int);\n")
    (small.folder / "migrations" / "0003_c.sql").write_text("CREATE TABLE c (id int);\n")
    return small


def _history(small: Project) -> Any:
    _slipway(small.folder, "up", "-q", "-d", small.url)
    return small.run("history", "-d", small.url)


def _feed_import(rylie: Project) -> Any:
    feed = str(rylie.folder / "data" / "inventory_feed.tsv")
    return rylie.run("feed", "import", "vehicles", feed, "--tenant", "1", "-d", rylie.url)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _endpoint(project: Project, path: str) -> Any:
    """GET `path` from a `slipway serve` process on a free port (stopped afterwards)."""
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "slipway", "serve", "--port", str(port), "-d", project.url],
        cwd=project.folder,
        env=_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}",
        headers={"Authorization": "Bearer json-schema-token"},
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            assert proc.poll() is None, proc.stderr.read() if proc.stderr else "serve exited"
            try:
                with urllib.request.urlopen(request, timeout=10) as reply:
                    return json.loads(reply.read())
            except urllib.error.HTTPError as err:  # 503 from /readyz is still its JSON
                return json.loads(err.read())
            except OSError:
                assert time.monotonic() < deadline, "slipway serve did not start"
                time.sleep(0.2)
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(30)


# output -> how to get it printed: (the fixture it runs on, runner)
Runner = Callable[[Project], Any]
RUNS: dict[str, tuple[str, Runner]] = {
    "lint": ("small", lambda p: p.run("lint", "--no-cache", codes=(0, 1))),
    "doctor": ("rylie", lambda p: p.run("doctor", "--no-crud", "--fail-on", "never", "-d", p.url)),
    "doctor-checks": ("rylie", lambda p: p.run("doctor", "--list")),
    "status": ("small", lambda p: _edited(p).run("status", "-d", p.url)),
    "validate": ("small", lambda p: _edited(p).run("validate", "-d", p.url, codes=(1,))),
    "history": ("small", _history),
    "plan": ("small", lambda p: p.run("plan", "up", "-d", p.url)),
    "adopt": ("small", _adopted),
    "verify": ("small", lambda p: p.run("verify", "-d", p.url, codes=(1,))),
    "tenancy": ("rylie", lambda p: p.run("verify", "--tenancy", "-d", p.url)),
    "diff": ("rylie", lambda p: p.run("diff", "-d", p.url, codes=(0, 1))),
    "deps": ("rylie", lambda p: p.run("deps")),
    "maintain": ("rylie", lambda p: p.run("maintain", "--dry-run", "-d", p.url)),
    "feed-import": ("rylie", _feed_import),
    "feed-check": (
        "rylie",
        lambda p: p.run(
            "feed", "check", "vehicles", str(p.folder / "data/inventory_feed.tsv"), codes=(1,)
        ),
    ),
    "serve-readyz": ("rylie", lambda p: _endpoint(p, "/readyz")),
    "serve-healthz": ("rylie", lambda p: _endpoint(p, "/healthz")),
}


SHARED = {"finding"}  # schemas the outputs' schemas refer to ($ref), not outputs themselves


def schema(output: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((SCHEMAS / f"{output}.schema.json").read_text())
    return loaded


def validator(output: str) -> Any:
    """A validator for `output`'s schema that resolves its $refs to the other schema files."""
    from referencing import Registry, Resource

    everything = [schema(p.name.removesuffix(".schema.json")) for p in SCHEMAS.glob("*.json")]
    registry = Registry().with_resources(
        (found["$id"], Resource.from_contents(found)) for found in everything
    )
    return jsonschema.Draft202012Validator(schema(output), registry=registry)


def validate(output: str, data: Any) -> None:
    if os.environ.get("SLIPWAY_DUMP_JSON"):  # to write or review a schema from real output
        dump = Path(os.environ["SLIPWAY_DUMP_JSON"]) / f"{output}.json"
        dump.write_text(json.dumps(data, indent=2), encoding="utf-8")
    errors = sorted(validator(output).iter_errors(data), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors[:10])
    assert data["version"] == JSON_VERSIONS[output]


@pytest.mark.parametrize("output", sorted(RUNS))
def test_output_matches_its_schema(output: str, request: pytest.FixtureRequest) -> None:
    fixture, run = RUNS[output]
    validate(output, run(request.getfixturevalue(fixture)))


def test_every_output_has_a_schema_a_version_and_a_run() -> None:
    files = {p.name.removesuffix(".schema.json") for p in SCHEMAS.glob("*.schema.json")}
    assert files == set(JSON_VERSIONS) | SHARED, "docs/schemas/ and report/json_formats.py disagree"
    assert set(RUNS) == set(JSON_VERSIONS), "each output needs a run here"
    for shared in SHARED:
        jsonschema.Draft202012Validator.check_schema(schema(shared))
    for output, version in JSON_VERSIONS.items():
        found = schema(output)
        jsonschema.Draft202012Validator.check_schema(found)
        assert found["properties"]["version"] == {"const": version}, output
        assert "version" in found["required"] and found["$id"].endswith(f"{output}.schema.json")


def _json_commands() -> set[str]:
    """Every command (and subcommand) whose --format offers json, read from the CLI itself."""
    from slipway.cli.app import COMMANDS, build_module

    found: set[str] = set()

    def visit(name: str, command: Any) -> None:
        for param in command.params:
            if "--format" in getattr(param, "opts", ()) and "json" in getattr(
                param.type, "choices", ()
            ):
                found.add(name)
        for sub, child in getattr(command, "commands", {}).items():
            visit(f"{name} {sub}", child)

    for module in sorted({module for module, _ in COMMANDS.values()}):
        for name, command in build_module(module).items():
            visit(name, command)
    return found


def test_every_json_format_is_listed_with_its_outputs() -> None:
    assert _json_commands() == set(COMMAND_OUTPUTS)
    listed = {o for outputs in COMMAND_OUTPUTS.values() for o in outputs} | set(ENDPOINT_OUTPUTS)
    assert listed == set(JSON_VERSIONS)


def test_a_schema_catches_drift() -> None:
    """The schemas are strict: a missing key, a wrong type or an unknown key fails."""
    finding = {
        "code": "SW010",
        "name": "ban-drop-database",
        "severity": "error",
        "target": "",
        "message": "m",
        "hint": "h",
        "location": {"file": "f.sql", "line": 1, "column": 1},
    }
    lint = validator("lint")
    assert lint.is_valid({"version": 1, "findings": [finding]})
    for broken in (
        {"findings": [finding]},
        {"version": 2, "findings": [finding]},
        {"version": 1, "findings": [{**finding, "line": 1}]},
        {"version": 1, "findings": [{**finding, "severity": "fatal"}]},
        {"version": 1, "findings": [{k: v for k, v in finding.items() if k != "hint"}]},
        {"version": 1, "findings": [], "extra": True},
    ):
        assert not lint.is_valid(broken), broken
