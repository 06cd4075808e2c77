"""Every `slipway ...` command that slipway suggests exists: in an output or hint string of the
source, a template, README.md or docs/*.md. Each is parsed by the real CLI's parser (commands,
subcommands, options, the number of arguments) without running it."""

from __future__ import annotations

import ast
import itertools
import re
import shlex
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import typer

from slipway.cli.app import COMMANDS, app

ROOT = Path(__file__).resolve().parents[2]
SRC = ROOT / "src" / "slipway"
_QUOTED = re.compile(r"`(slipway [^`]+)`")
_BARE = re.compile(r"(?<![\w.`/-])slipway ([a-z][a-z-]*)(?: ([a-z][a-z-]*))?")
_TEMPLATE = re.compile(r"\{\{.*?\}\}|\{[^{}\s]*\}")  # jinja and f-string holes
_TAG = re.compile(r"\{%.*?%\}")  # a jinja statement prints nothing (`{% endif %}```mermaid`)


def _python_strings(path: Path) -> Iterator[str]:
    """Every string constant of a module; an f-string with its holes as `X`."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    inside: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            inside.update(id(v) for v in node.values)
            yield "".join(v.value if isinstance(v, ast.Constant) else "X" for v in node.values)
        elif (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and id(node) not in inside
        ):
            yield node.value


# A command inside a fenced line that does not start with it: a YAML `run:` or list item, after
# `&&`, `||` or `;`, in a quoted `sh -c` string, or after `docker run`'s options (the image is
# named slipway). Its words run to a comment, a pipe, a redirection or the string's end.
_EMBEDDED = re.compile(
    r"""(?:^\s*(?:-\s+)?(?:run:\s+)?|(?:&&|\|\||;)\s+|"|\bdocker\s+run\s[^#]*?)"""
    r"""(slipway(?:\s+(?:"[^"]*"|'[^']*'|[^\s#;&|>"']+))+)"""
)


_OUTPUT = re.compile(r"slipway [\w-]+: ")


def _markdown_commands(text: str) -> Iterator[str]:
    """Command lines in fenced code blocks (`slipway ...  # comment`), and commands inside
    their other lines (`- run: slipway lint`, `pip install . && slipway demo`)."""
    fenced = False
    for line in text.splitlines():
        if line.startswith("```"):
            fenced = not fenced
        elif fenced and _OUTPUT.match(line.strip()):
            continue  # a message slipway prints (`slipway serve: stopped`), not a command
        elif fenced and line.strip().startswith("slipway "):
            yield line.strip().split("  #", 1)[0].split(" && ", 1)[0].strip()
        elif fenced:
            yield from (match[1] for match in _EMBEDDED.finditer(line))


def sources() -> Iterator[tuple[str, str]]:
    """(where, text) of everything that may suggest a command."""
    for path in sorted(SRC.rglob("*.py")):
        for text in _python_strings(path):
            yield str(path.relative_to(ROOT)), text
    docs = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
    docs += sorted(SRC.rglob("*.md")) + sorted(SRC.rglob("*.j2"))
    for path in docs:
        yield str(path.relative_to(ROOT)), path.read_text(encoding="utf-8")


def suggestions() -> list[tuple[str, str, bool]]:
    """(where, command, whole): `whole` commands are parsed in full; a bare mention in prose
    ("run slipway up first") only names its command (and subcommand)."""
    found: dict[tuple[str, bool], str] = {}
    for where, text in sources():
        text = _TEMPLATE.sub("X", _TAG.sub("", text))
        for command in [*_QUOTED.findall(text), *_markdown_commands(text)]:
            found.setdefault((command.strip(), True), where)
        for first, second in _BARE.findall(_QUOTED.sub("", text)):
            if first in COMMANDS:
                found.setdefault((f"slipway {first} {second}".strip(), False), where)
    return sorted((where, cmd, whole) for (cmd, whole), where in found.items())


def expand(command: str) -> Iterator[list[str]]:
    """Each concrete command a synopsis stands for: `[a | b]`, `a|b` and `a \\| b` are
    alternatives, `[x]` is included."""
    command = re.sub(r"\s*\\?\|\s*", "|", command.replace("...", "X"))
    parts = re.findall(r'"[^"]*"|\'[^\']*\'|\[[^\]]*\]|\S+', command)
    choices = []
    for part in parts:
        if part.startswith("["):
            choices.append(part[1:-1].split("|"))
        elif "|" in part and not part.startswith(("'", '"')):
            choices.append(part.split("|"))
        else:
            choices.append([part])
    for combo in itertools.product(*choices):
        yield shlex.split(" ".join(combo))[1:]


def _wrong_choice(exc: Exception) -> bool:
    """A spelled-out value that is not one of a choice option's (`--fail-on warnin`); a
    placeholder (`--format FMT`) is in capitals and lenient."""
    choices = getattr(getattr(getattr(exc, "param", None), "type", None), "choices", None)
    value = re.search(r"'([^']*)' is not one of", str(exc))
    return bool(choices and value and value[1] != value[1].upper())


def parse(args: list[str], whole: bool) -> None:
    """Resolve `args` as click would, without invoking anything; raise on a usage error.
    A missing or mistyped value (a placeholder like VERSION or N) is not a usage error."""
    command: Any = typer.main.get_command(app)
    ctx: Any = None
    name = "slipway"
    while True:
        try:
            ctx = command.make_context(name, list(args), parent=ctx, resilient_parsing=not whole)
        except Exception as exc:  # typer vendors click's exceptions
            lenient = ("MissingParameter", "BadParameter", "NoArgsIsHelpError")
            if type(exc).__name__ in lenient and not _wrong_choice(exc):  # typer vendors click
                return
            if type(exc).__name__ == "Exit" and getattr(exc, "exit_code", None) == 0:
                return  # an eager option (--version, --show-completion bash) did its job
            raise
        if not hasattr(command, "resolve_command"):
            return
        rest = [*getattr(ctx, "_protected_args", []), *ctx.args]
        if not rest:
            return
        name, command, args = command.resolve_command(ctx, rest)
        if command is None:
            raise LookupError(f"no such command {name}")
        if not whole and not hasattr(command, "resolve_command"):
            return


def test_some_suggestions_are_found() -> None:
    commands = {cmd for _, cmd, _ in suggestions()}
    assert "slipway lint --explain RULE" in commands or any("--explain" in c for c in commands)
    assert len(commands) > 40


@pytest.mark.parametrize(("where", "command", "whole"), suggestions())
def test_each_suggested_command_parses(
    where: str, command: str, whole: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Eager options run while parsing: `--install-completion bash` writes to a throwaway home.
    monkeypatch.setenv("HOME", str(tmp_path))
    for args in expand(command):
        try:
            parse(args, whole)
        except Exception as exc:  # noqa: BLE001 - any parse failure is the finding
            pytest.fail(f"{where}: `{command}` does not parse: {exc}")


def test_every_command_of_the_ci_recipes_is_checked() -> None:
    """docs/ci.md's YAML and shell hold commands in every position; each mention of a slipway
    command in its code blocks is among those parsed above."""
    text = (ROOT / "docs" / "ci.md").read_text(encoding="utf-8")
    blocks = "\n".join(re.findall(r"^```\w*\n(.*?)^```", text, re.DOTALL | re.MULTILINE))
    mentioned = re.findall(r"\bslipway ([a-z][a-z-]*)", blocks)
    found = list(_markdown_commands(text))
    assert len(found) == len([m for m in mentioned if m in COMMANDS]) > 15, found
    assert {"lint", "verify", "validate", "up", "wait"} <= {cmd.split()[1] for cmd in found}
