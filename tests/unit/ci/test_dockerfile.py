"""The Dockerfile: a slim Python base, an unprivileged user, `slipway` as the entry point, no
secret in the image or its build context, and a build context from which slipway builds.
Where a Docker daemon answers, the image is built and run too."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from ci_support import ROOT, clean_env, copy_tree

DOCKERFILE = ROOT / "Dockerfile"


def instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) in order, continuation lines joined, comments dropped."""
    joined = re.sub(r"\\\n", " ", DOCKERFILE.read_text(encoding="utf-8"))
    out = []
    for line in joined.splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            word, _, rest = line.strip().partition(" ")
            out.append((word.upper(), rest.strip()))
    return out


def final_stage() -> list[tuple[str, str]]:
    steps = instructions()
    last_from = max(i for i, (word, _) in enumerate(steps) if word == "FROM")
    return steps[last_from:]


def _pattern(pattern: str) -> re.Pattern[str]:
    """A .dockerignore pattern as Go's filepath.Match with `**` reads it."""
    out = ""
    for token in re.findall(r"\*\*/|\*\*|\*|\?|[^*?]+", pattern.strip("/")):
        out += {"**/": "(?:.*/)?", "**": ".*", "*": "[^/]*", "?": "[^/]"}.get(token) or re.escape(
            token
        )
    return re.compile(out)


def dockerignored(path: str) -> bool:
    """Whether .dockerignore keeps `path` (relative, with /) out of the build context: the
    last pattern matching it or a folder above it decides, `!` lets it back in."""
    lines = (ROOT / ".dockerignore").read_text(encoding="utf-8").splitlines()
    parts = path.split("/")
    candidates = ["/".join(parts[: i + 1]) for i in range(len(parts))]
    ignored = False
    for line in (line.strip() for line in lines):
        if line and not line.startswith("#"):
            regex = _pattern(line.removeprefix("!"))
            if any(regex.fullmatch(candidate) for candidate in candidates):
                ignored = not line.startswith("!")
    return ignored


def test_the_base_is_python_slim_and_both_stages_use_it() -> None:
    steps = instructions()
    args = dict(arg.split("=", 1) for word, arg in steps if word == "ARG" and "=" in arg)
    bases = [arg.split()[0] for word, arg in steps if word == "FROM"]
    resolved = [re.sub(r"\$\{(\w+)\}", lambda m: args[m[1]], base) for base in bases]
    assert resolved and all(re.fullmatch(r"python:3\.1[1-9]-slim", base) for base in resolved)


def test_it_runs_slipway_as_an_unprivileged_user() -> None:
    stage = final_stage()
    users = [arg for word, arg in stage if word == "USER"]
    assert users and users[-1].split(":")[0] not in {"root", "0"}
    # Nothing after the last USER runs as root again.
    after = stage[max(i for i, (word, _) in enumerate(stage) if word == "USER") :]
    assert [word for word, _ in after].count("USER") == 1
    (entrypoint,) = [json.loads(arg) for word, arg in stage if word == "ENTRYPOINT"]
    assert entrypoint == ["slipway"]  # exec form: signals reach slipway, arguments append


def test_pip_keeps_no_cache_in_the_image() -> None:
    installs = [arg for word, arg in instructions() if word == "RUN" and "pip install" in arg]
    assert installs and all("--no-cache-dir" in arg for arg in installs)


def test_no_secret_is_baked_in_and_none_enters_the_build_context() -> None:
    secret = re.compile(r"PASSWORD|SECRET|TOKEN|DATABASE_URL|PGPASS|KEY", re.IGNORECASE)
    for word, arg in instructions():
        if word in {"ENV", "ARG", "LABEL"}:
            names = re.findall(r"(\w+)=", arg) or [arg.split()[0]]
            assert not any(secret.search(name) for name in names), (word, arg)
    for path in (".env", "slipway.toml", ".git/config", ".venv/bin/python", "tests/conftest.py"):
        assert dockerignored(path), path
    copies = [arg.split() for word, arg in instructions() if word == "COPY"]
    sources = [s for args in copies if "--from" not in args[0] for s in args[:-1]]
    assert sources
    for source in sources:
        assert (ROOT / source).exists() and not dockerignored(source), source
        inside = [p.relative_to(ROOT).as_posix() for p in (ROOT / source).rglob("*.py")]
        assert not any(dockerignored(p) for p in inside), source
    assert dockerignored("src/slipway/__pycache__/app.cpython-311.pyc")


@pytest.mark.slow
@pytest.mark.installs
def test_slipway_builds_from_the_build_context_alone(tmp_path: Path) -> None:
    """What the build stage's `pip install .` sees: the files .dockerignore lets in."""
    tree = copy_tree(tmp_path / "tree")
    context = tmp_path / "context"
    for path in sorted(tree.rglob("*")):
        relative = path.relative_to(tree).as_posix()
        if path.is_file() and not path.is_symlink() and not dockerignored(relative):
            (context / relative).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, context / relative)
    build = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(tmp_path / "out"), str(context)],
        env=clean_env(), capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    assert build.returncode == 0, build.stderr
    (wheel,) = (tmp_path / "out").glob("slipway-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "slipway/py.typed" in names
    assert any(n.startswith("slipway/examples/rylie/migrations/") for n in names)
    assert any(n.startswith("slipway/health/queries/") for n in names)


def _docker_answers() -> bool:
    if shutil.which("docker") is None:
        return False
    return subprocess.run(["docker", "info"], capture_output=True, check=False).returncode == 0


@pytest.mark.slow
@pytest.mark.installs
@pytest.mark.skipif(not _docker_answers(), reason="no Docker daemon answers `docker info`")
def test_the_image_builds_and_runs_slipway_unprivileged() -> None:
    tag = "slipway-test:latest"
    build = subprocess.run(
        ["docker", "build", "-q", "-t", tag, str(ROOT)],
        capture_output=True, text=True, timeout=1800, check=False,
    )  # fmt: skip
    assert build.returncode == 0, build.stderr
    version = subprocess.run(
        ["docker", "run", "--rm", tag, "--version"], capture_output=True, text=True, check=False
    )
    assert version.returncode == 0 and version.stdout.startswith("slipway"), version
    uid = subprocess.run(
        ["docker", "run", "--rm", "--entrypoint", "id", tag, "-u"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert uid.stdout.strip() not in {"", "0"}
