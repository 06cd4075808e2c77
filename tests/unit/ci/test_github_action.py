"""action.yml, the composite GitHub Action: its scripts are valid bash that take inputs only
through `env:`, and its steps, run the way the runner runs them, install slipway from the
action's folder, write a SARIF log, print annotations and fail the job only after the upload.
The run installs slipway into a fresh virtualenv (in place of actions/setup-python's Python):
10-20 s with a warm pip cache."""

from __future__ import annotations

import json
import re
import subprocess
import venv
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import typer
import yaml
from ci_support import CLEAN, LINT_HAZARD, ROOT, clean_env, copy_tree, write_project

from slipway.cli.app import app

ACTION: dict[str, Any] = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
STEPS: list[dict[str, Any]] = ACTION["runs"]["steps"]
_EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")


def run_steps() -> list[dict[str, Any]]:
    return [step for step in STEPS if "run" in step]


def test_the_action_is_composite_with_the_documented_inputs() -> None:
    assert ACTION["runs"]["using"] == "composite"
    assert {"path", "python-version", "fail-on", "args"} <= set(ACTION["inputs"])
    root: Any = typer.main.get_command(app)
    lint = root.get_command(root.make_context("slipway", ["lint"], resilient_parsing=True), "lint")
    choices = {param.name: getattr(param.type, "choices", None) for param in lint.params}
    assert ACTION["inputs"]["fail-on"]["default"] in choices["fail_on"]
    assert {"sarif", "github"} <= set(choices["fmt"])


def test_every_input_is_documented() -> None:
    text = (ROOT / "docs" / "ci.md").read_text(encoding="utf-8")
    documented = re.findall(r"^\| `([\w-]+)` \|", text, re.MULTILINE)
    assert documented == list(ACTION["inputs"])


def test_scripts_are_bash_and_take_inputs_only_through_env(tmp_path: Path) -> None:
    for step in run_steps():
        assert step.get("shell") == "bash", step
        # An expression inside a script is spliced into its text: an input could inject code.
        assert "${{" not in step["run"], step["name"]
        script = tmp_path / "step.sh"
        script.write_text(step["run"], encoding="utf-8")
        check = subprocess.run(
            ["bash", "-n", str(script)], capture_output=True, text=True, check=False
        )
        assert check.returncode == 0, f"{step['name']}: {check.stderr}"


def test_used_actions_are_pinned_to_a_major_version() -> None:
    uses = [step["uses"] for step in STEPS if "uses" in step]
    assert uses and all(re.fullmatch(r"[\w.-]+/[\w./-]+@v\d+", u) for u in uses), uses
    upload = next(step for step in STEPS if "upload-sarif" in step.get("uses", ""))
    assert upload["with"]["sarif_file"] == "${{ steps.lint.outputs.sarif-file }}"


@dataclass
class Runner:
    """Runs the action's steps as GitHub's runner does: each `run:` script in `bash --noprofile
    --norc -eo pipefail`, its `env:` expressions (`inputs.X`, `steps.ID.outputs.X`) filled in,
    GITHUB_ACTION_PATH, GITHUB_OUTPUT and RUNNER_TEMP set, outputs collected per step id. A
    `uses:` step needs GitHub: it is recorded with its `with:` filled in, not run."""

    action_path: Path
    workspace: Path
    python_bin: Path
    inputs: dict[str, str]
    outputs: dict[str, dict[str, str]] = field(default_factory=dict)
    used: list[tuple[str, dict[str, str]]] = field(default_factory=list)

    def value(self, text: str) -> str:
        def one(match: re.Match[str]) -> str:
            parts = match[1].split(".")
            if parts[0] == "inputs" and len(parts) == 2:
                return self.inputs[parts[1]]
            if parts[0] == "steps" and len(parts) == 4 and parts[2] == "outputs":
                return self.outputs.get(parts[1], {}).get(parts[3], "")
            raise AssertionError(f"the test's runner does not know ${{{{ {match[1]} }}}}")

        return _EXPRESSION.sub(one, str(text))

    def condition(self, step: dict[str, Any]) -> bool:
        if "if" not in step:
            return True
        left, literal = re.fullmatch(r"(\S+) == '([^']*)'", step["if"]).groups()  # type: ignore[union-attr]
        return self.value("${{ " + left + " }}") == literal

    def run(self, step: dict[str, Any]) -> subprocess.CompletedProcess[str] | None:
        if not self.condition(step):
            return None
        if "uses" in step:
            with_ = {key: self.value(v) for key, v in step.get("with", {}).items()}
            self.used.append((step["uses"], with_))
            return None
        temp = self.workspace.with_name(f"{self.workspace.name}-temp")
        temp.mkdir(exist_ok=True)
        output_file = temp / f"output-{len(self.outputs)}"
        output_file.write_text("")
        script = temp / "step.sh"
        script.write_text(step["run"], encoding="utf-8")
        env = clean_env(
            PATH=f"{self.python_bin}:{clean_env()['PATH']}",
            GITHUB_ACTIONS="true",
            GITHUB_ACTION_PATH=str(self.action_path),
            GITHUB_WORKSPACE=str(self.workspace),
            GITHUB_OUTPUT=str(output_file),
            RUNNER_TEMP=str(temp),
            SLIPWAY_CACHE_DIR=str(temp / "lint-cache"),
            **{key: self.value(v) for key, v in step.get("env", {}).items()},
        )
        result = subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)],
            cwd=self.workspace, env=env, capture_output=True, text=True, timeout=900, check=False,
        )  # fmt: skip
        lines = output_file.read_text().splitlines()
        assert all("=" in line and "<<" not in line for line in lines), lines
        self.outputs[step.get("id", f"step{len(self.outputs)}")] = dict(
            line.split("=", 1) for line in lines
        )
        return result

    def run_all(self, steps: list[dict[str, Any]]) -> dict[str, subprocess.CompletedProcess[str]]:
        """The steps until one fails, as the runner stops there: {name: result} of each script
        that ran."""
        results: dict[str, subprocess.CompletedProcess[str]] = {}
        for step in steps:
            result = self.run(step)
            if result is not None:
                results[step["name"]] = result
                if result.returncode != 0:
                    break
        return results


def _sarif_findings(path: Path) -> list[tuple[str, str]]:
    """(rule name, file) of every result of a SARIF log."""
    log = json.loads(path.read_text(encoding="utf-8"))
    assert log["version"] == "2.1.0"
    (run,) = log["runs"]
    rules = run["tool"]["driver"]["rules"]
    return [
        (
            rules[result["ruleIndex"]]["name"],
            result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        )
        for result in run["results"]
    ]


@pytest.mark.slow
@pytest.mark.installs
def test_the_steps_lint_a_project_as_on_a_runner(tmp_path: Path) -> None:
    action_path = copy_tree(tmp_path / "action")  # a checkout of the action; pip builds in it
    venv.create(tmp_path / "python", with_pip=True)  # what actions/setup-python provides
    python_bin = tmp_path / "python" / "bin"
    defaults = {name: str(spec.get("default", "")) for name, spec in ACTION["inputs"].items()}
    projects = iter(range(100))

    def runner(files: dict[str, str], **inputs: str) -> Runner:
        workspace = write_project(tmp_path / f"workspace{next(projects)}", files)
        return Runner(action_path, workspace, python_bin, defaults | inputs)

    # Install once, then run the steps after it for each project.
    names = [step.get("name") for step in STEPS]
    after_install = STEPS[names.index("Install slipway") + 1 :]
    install = runner({}).run_all([STEPS[names.index("Install slipway")]])["Install slipway"]
    assert install.returncode == 0, install.stderr
    assert (python_bin / "slipway").exists()

    # An error finding: the SARIF log is written and uploaded, the annotations printed, and
    # only the last step fails the job.
    bad = runner(CLEAN | LINT_HAZARD)
    results = bad.run_all(after_install)
    assert [name for name, r in results.items() if r.returncode != 0] == ["Verdict"], results
    assert "::error title=slipway lint::" in results["Verdict"].stdout
    assert bad.outputs["lint"]["exit-code"] == "1"
    sarif = Path(bad.outputs["lint"]["sarif-file"])
    assert sarif.parent.name == f"{bad.workspace.name}-temp"  # RUNNER_TEMP, not the checkout
    assert _sarif_findings(sarif) == [("adding-required-field", "migrations/0003_name.sql")]
    assert results["slipway lint (annotations)"].stdout.startswith(
        "::error file=migrations/0003_name.sql,line=1,col=1,title=adding-required-field"
    )
    upload = (
        "github/codeql-action/upload-sarif@v4",
        {"sarif_file": str(sarif), "category": "slipway-lint"},
    )
    assert bad.used == [upload]

    # Clean, with inputs given: every step passes and the SARIF log has no results.
    clean = runner(CLEAN, path="migrations", **{"fail-on": "warning", "sarif-file": "out.sarif"})
    results = clean.run_all(after_install)
    assert all(r.returncode == 0 for r in results.values()), results
    assert list(results) == ["slipway lint (SARIF)", "slipway lint (annotations)", "Verdict"]
    assert clean.outputs["lint"] == {"sarif-file": "out.sarif", "exit-code": "0"}
    assert _sarif_findings(clean.workspace / "out.sarif") == []

    # Annotations and upload turned off: neither happens, the verdict still fails.
    off = runner(CLEAN | LINT_HAZARD, annotations="false", **{"upload-sarif": "false"})
    results = off.run_all(after_install)
    assert results["slipway lint (annotations)"].stdout == "" and off.used == []
    assert results["Verdict"].returncode == 1

    # A path with no migrations: the lint step fails with slipway's one-line error (exit 2),
    # and nothing after it runs.
    missing = runner(CLEAN, path="nowhere")
    results = missing.run_all(after_install)
    assert list(results) == ["slipway lint (SARIF)"] and missing.used == []
    assert results["slipway lint (SARIF)"].returncode == 2
    assert results["slipway lint (SARIF)"].stderr.strip().startswith("error: nowhere")
