"""The root's own options: --version and shell completion, run as a separate process without a
terminal (stdin from /dev/null, output to pipes), as in a Dockerfile or CI."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import pytest

import slipway


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "slipway", *args], env={**os.environ, **(env or {})},
        stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip


def test_version_is_the_package_metadata() -> None:
    try:
        expected = version("slipway")
    except PackageNotFoundError:
        expected = slipway.__version__
    result = run("--version")
    assert (result.returncode, result.stdout, result.stderr) == (0, f"slipway {expected}\n", "")


@pytest.mark.parametrize(("shell", "marker"), [
    ("bash", "complete -o default -F _slipway_completion slipway"),
    ("zsh", "compdef _slipway_completion slipway"),
    ("fish", "complete --command slipway"),
])  # fmt: skip
def test_show_completion_for_a_named_shell(shell: str, marker: str) -> None:
    result = run("--show-completion", shell)
    assert result.returncode == 0, result.stderr
    assert marker in result.stdout and f"_SLIPWAY_COMPLETE=complete_{shell}" in result.stdout
    assert run(f"--show-completion={shell}").stdout == result.stdout


def test_unknown_shell_is_one_line_exit_2() -> None:
    result = run("--show-completion", "tcsh")
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.strip().splitlines() == [
        "error: unknown shell 'tcsh': name one of bash, zsh, fish, powershell, pwsh"
    ]


def test_completion_protocol_lists_commands_subcommands_and_options() -> None:
    def complete(words: str, cword: int) -> list[str]:
        env = {"_SLIPWAY_COMPLETE": "complete_bash", "COMP_WORDS": words, "COMP_CWORD": str(cword)}
        result = run(env=env)
        assert result.returncode == 0, result.stderr
        return result.stdout.split()

    assert complete("slipway wa", 1) == ["wait"]
    assert complete("slipway db ", 2) == ["url", "start", "stop"]
    assert "--timeout" in complete("slipway wait --", 2)
    assert "--version" in complete("slipway --", 1)
    zsh = run(env={"_SLIPWAY_COMPLETE": "complete_zsh", "_TYPER_COMPLETE_ARGS": "slipway wai"})
    assert '"wait":' in zsh.stdout


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_the_bash_script_completes_in_a_real_bash(tmp_path: Path) -> None:
    """The printed script, sourced by bash, calls `slipway` back and fills COMPREPLY."""
    launcher = tmp_path / "bin" / "slipway"
    launcher.parent.mkdir()
    launcher.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m slipway "$@"\n')
    launcher.chmod(0o755)
    script = (
        "source <(slipway --show-completion bash)\n"
        "COMP_WORDS=(slipway sta); COMP_CWORD=1; _slipway_completion slipway\n"
        'echo "${COMPREPLY[@]}"\n'
    )
    env = {**os.environ, "PATH": f"{launcher.parent}{os.pathsep}{os.environ['PATH']}"}
    result = subprocess.run(
        ["bash", "-c", script],
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.stdout.split() == ["status"], result.stderr


def test_install_completion_for_bash_writes_the_startup_files(tmp_path: Path) -> None:
    result = run("--install-completion", "bash", env={"HOME": str(tmp_path)})
    assert result.returncode == 0, result.stderr
    assert "bash completion for slipway installed in" in result.stdout
    script = tmp_path / ".bash_completions" / "slipway.sh"
    assert "_SLIPWAY_COMPLETE=complete_bash" in script.read_text()
    assert f"source '{script}'" in (tmp_path / ".bashrc").read_text()


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_without_a_shell_name_the_calling_shell_is_detected() -> None:
    result = subprocess.run(
        ["bash", "-c", f'"{sys.executable}" -m slipway --show-completion; echo "rc=$?"'],
        stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert "complete -o default -F _slipway_completion slipway" in result.stdout, result.stderr
    assert result.stdout.rstrip().endswith("rc=0")
