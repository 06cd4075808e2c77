"""The hooks of .pre-commit-hooks.yaml work as another project uses them: `pre-commit try-repo`
clones a committed copy of this tree, installs slipway into a fresh virtualenv (from the
package index, like any user's first run) and runs the hooks on a project's files. Each case
costs one install: 8-20 s with a warm pip cache, longer on a cold one."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from ci_support import CLEAN, LINT_HAZARD, ROOT, clean_env, committed_copy, git, write_project

HOOKS = {hook["id"]: hook for hook in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())}
# `slipway lint....Failed`, then (for a failed hook) its id, exit code and output.
_RESULT = re.compile(
    r"^(?P<name>\S.*?)\.{3,}(?:\(no files to check\))?(?P<status>Passed|Failed|Skipped)$",
    re.MULTILINE,
)

# In the folder slipway.toml names: the lint hazard, and a second migration numbered 0002
# (validate's error, and lint's duplicate-version).
HAZARDS = {
    "slipway.toml": '[migrations]\ndirectory = "db/migrations"\n',
    **{f"db/{name}": text for name, text in (CLEAN | LINT_HAZARD).items()},
    "db/migrations/0002_orders.sql": "CREATE TABLE orders (id bigint PRIMARY KEY);\n",
    "db/migrations/0002_orders.down.sql": "DROP TABLE orders;\n",
}


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return committed_copy(tmp_path_factory.mktemp("slipway-repo"))


def try_repo(repo: Path, project: Path, home: Path) -> dict[str, tuple[str, str]]:
    """Run every hook of `repo` on all of `project`'s files: {hook id: (status, its output)}."""
    git(project, "init", "-q")
    git(project, "add", "-A")
    result = subprocess.run(
        [sys.executable, "-m", "pre_commit", "try-repo", str(repo), "--all-files", "--verbose", "--color", "never"],
        cwd=project, env=clean_env(PRE_COMMIT_HOME=str(home), SLIPWAY_CACHE_DIR=str(home / "lint")),
        capture_output=True, text=True, timeout=900, check=False,
    )  # fmt: skip
    output = result.stdout + result.stderr
    ids = {hook["name"]: hook_id for hook_id, hook in HOOKS.items()}
    found = list(_RESULT.finditer(output))
    assert found, output
    results = {}
    for match, after in zip(found, [*found[1:], None], strict=True):
        end = after.start() if after else len(output)
        results[ids[match["name"]]] = (match["status"], output[match.end() : end])
    assert result.returncode == (1 if any(s == "Failed" for s, _ in results.values()) else 0)
    return results


def test_the_documented_configuration_names_these_hooks() -> None:
    text = (ROOT / "docs" / "ci.md").read_text(encoding="utf-8")
    block = next(b for b in re.findall(r"```yaml\n(.*?)```", text, re.DOTALL) if "repos:" in b)
    (repo,) = yaml.safe_load(block)["repos"]
    assert [hook["id"] for hook in repo["hooks"]] == list(HOOKS)


@pytest.mark.slow
@pytest.mark.installs
def test_hooks_pass_a_clean_project(hook_repo: Path, tmp_path: Path) -> None:
    project = write_project(tmp_path / "project", CLEAN)
    results = try_repo(hook_repo, project, tmp_path / "pre-commit-home")
    assert {hook: status for hook, (status, _) in results.items()} == dict.fromkeys(HOOKS, "Passed")
    assert "0 errors, 0 warnings, 0 infos in 4 files" in results["slipway-lint"][1]
    assert "2 migrations checked: 0 error(s)" in results["slipway-validate"][1]


@pytest.mark.slow
@pytest.mark.installs
def test_hooks_fail_on_their_hazards(hook_repo: Path, tmp_path: Path) -> None:
    project = write_project(tmp_path / "project", HAZARDS)
    results = try_repo(hook_repo, project, tmp_path / "pre-commit-home")
    assert {hook: status for hook, (status, _) in results.items()} == dict.fromkeys(HOOKS, "Failed")
    lint, validate = results["slipway-lint"][1], results["slipway-validate"][1]
    assert "db/migrations/0003_name.sql:1:1 error adding-required-field" in lint
    assert "error duplicate-version version 0002" in lint
    # validate finds the folder through slipway.toml, and checks layout, not locking.
    assert "error: duplicate version 0002" in validate
    assert "adding-required-field" not in validate
