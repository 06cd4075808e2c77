"""`slipway lint` without typer (slipway.cli.fastlint) behaves exactly as the typer shell does.

Every argument list runs through the real entry point (slipway.cli.app.main: the fast path, or
typer when the fast parser declines) and through the typer shell alone (slipway.cli.root.main);
exit code, stdout and stderr must be equal, errors and help included, and again when the
entry point prints a stored output (slipway.lint.cache).
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from lint_support import write_project

from slipway.cli import app, fastlint, root

FILES = {
    "0001_a.sql": "CREATE INDEX i ON leads (s);",
    "0001_a.down.sql": "DROP INDEX i;",
    "0002_b.sql": "DROP DATABASE x; -- slipway-ignore ban-drop-database\nDROP TABLE t;",
    "0003_c.sql": "DROP DATABASE y;",
    "0003_c.down.sql": "SELECT 1;",
}
FAST = [
    ["lint"],
    ["lint", "--no-cache"],
    ["lint", "--format", "json"],
    ["lint", "-f", "JSON", "--fail-on=WARNING"],
    ["lint", "--fail-on", "warning", "-f", "sarif"],
    ["-q", "lint"],
    ["lint", "-q", "--no-cache"],
    ["lint", "--quiet", "-f", "github"],
    ["--migrations", "migrations", "lint", "-f", "md"],
    ["--migrations=migrations", "-q", "lint", "--format=html"],
    ["-m", "nowhere", "lint"],
    ["-m", "nowhere", "lint", "-m", "migrations"],
    ["-d", "postgresql://u@localhost/db", "lint", "migrations"],
    ["--database-url=postgresql://u@localhost/db", "lint", "migrations/0001_a.sql"],
    ["lint", "migrations/0002_b.sql", "migrations/0001_a.sql", "-f", "json"],
    ["lint", "--", "migrations/0001_a.sql"],
    ["lint", "--", "-x.sql"],
    ["lint", "nowhere.sql"],
    ["lint", "notes.txt"],
    ["lint", "--explain", "SW024"],
    ["lint", "--explain=nope"],
    ["lint", "--list"],
    ["lint", "--docs"],
    ["lint", "-"],
]
TYPER = [
    ["lint", "--help"],
    ["lint", "-h"],
    ["-h"],
    ["--version"],
    ["lint", "--format", "xml"],
    ["lint", "--format"],
    ["lint", "--format", "-q"],
    ["lint", "--nope"],
    ["lint", "-qf", "json"],
    ["lint", "-fjson"],
    ["lint", "--no-cache=1"],
    ["lint", ""],
    ["lint", "-d", "postgresql://u@localhost/db"],
    ["--nope", "lint"],
    ["-q"],
    ["doctor", "--help"],
]


def _outcome(
    main: Callable[[list[str]], None], argv: list[str], capsys: pytest.CaptureFixture[str]
) -> tuple[object, str, str]:
    try:
        main(argv)
        code: object = None  # returned: success
    except SystemExit as exc:
        code = exc.code
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("argv", FAST + TYPER, ids=" ".join)
def test_fast_path_and_typer_agree(
    argv: list[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(write_project(tmp_path, FILES))
    (tmp_path / "notes.txt").write_text("hello\n")
    monkeypatch.setattr(sys, "stdin", open(tmp_path / "migrations" / "0001_a.sql"))  # noqa: SIM115
    assert (fastlint.parse(argv) is not None) == (argv in FAST)
    typer_result = _outcome(root.main, argv, capsys)
    for _ in range(2):  # the second time from the output cache, when the first stored one
        monkeypatch.setattr(sys, "stdin", open(tmp_path / "migrations" / "0001_a.sql"))  # noqa: SIM115
        assert _outcome(app.main, argv, capsys) == typer_result
    assert typer_result[1] or typer_result[2]  # something was said


def test_fast_path_parses_like_the_command() -> None:
    args = fastlint.parse(["-q", "-m", "db", "lint", "a.sql", "-f", "Sarif", "--", "-b.sql"])
    assert args == fastlint.LintArgs(
        paths=["a.sql", "-b.sql"], fmt="sarif", root_migrations="db", root_quiet=True
    )


def test_slipway_lint_imports_no_typer(tmp_path: Path) -> None:
    """The real entry point lints, from the cache or not, without loading typer or click."""
    write_project(tmp_path, FILES)
    code = (
        "import sys\n"
        "from slipway.cli import app\n"
        "for argv in (['lint', '--no-cache'], ['lint'], ['lint', '-q'], ['lint', 'nowhere']):\n"
        "    try:\n"
        "        app.main(argv)\n"
        "    except SystemExit as exc:\n"
        "        print('EXIT', exc.code)\n"
        "loaded = [m for m in sys.modules if m.startswith(('typer', 'click', 'slipway.cli.root'))]\n"
        "print('LOADED', sorted(loaded))\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert proc.stdout.count("EXIT 1") == 3 and "EXIT 2" in proc.stdout, proc.stderr
    assert "no such file or folder" in proc.stderr
    assert proc.stdout.rstrip().endswith("LOADED []"), proc.stdout[-300:]


def test_warm_lint_imports_only_the_cache(tmp_path: Path) -> None:
    """A command line run again on unchanged files stats them, reads one cache entry and
    prints: no settings, engine, renderer, typing or json; a changed file or config file is
    linted again."""
    write_project(tmp_path, FILES)
    code = (
        "import sys\n"
        "before = set(sys.modules)\n"
        "from slipway.cli import app\n"
        "try:\n"
        "    app.main(['lint', '-f', 'github'])\n"
        "except SystemExit as exc:\n"
        "    print('EXIT', exc.code)\n"
        "print('LOADED', sorted(set(sys.modules) - before))\n"
    )

    def lint() -> tuple[str, list[str]]:
        proc = subprocess.run(
            [sys.executable, "-c", code],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )
        out, loaded = proc.stdout.split("LOADED ")
        return out, eval(loaded)  # a list of module names

    cold, cold_modules = lint()
    assert "slipway.lint.engine" in cold_modules and "EXIT 1" in cold
    warm, warm_modules = lint()
    assert warm == cold
    assert set(warm_modules) == {
        "slipway", "slipway.version", "slipway.errors", "slipway.cli", "slipway.cli.app",
        "slipway.cli.commands", "slipway.cli.fastlint",
        "slipway.lint", "slipway.lint.run", "slipway.lint.cache", "slipway.report",
        "slipway.report.terminal", "_blake2", "__future__",
    }  # fmt: skip
    (tmp_path / "migrations" / "0003_c.sql").write_text("SELECT 1;\n")
    edited, edited_modules = lint()
    assert "slipway.lint.engine" in edited_modules and "EXIT" not in edited
    assert "ban-drop-table" in edited
    (tmp_path / "slipway.toml").write_text('[lint]\ndisable = ["ban-drop-table"]\n')
    configured, _ = lint()
    assert "ban-drop-table" not in configured and lint()[0] == configured


def test_the_process_ends_with_its_output_and_exit_code(tmp_path: Path) -> None:
    """`python -m slipway lint` ends the process itself (slipway.cli.fastlint.exit_process):
    everything printed is flushed first, and the exit code is the lint's."""
    many = {f"{n:04d}_t.sql": f"DROP DATABASE d{n};" for n in range(1, 400)}
    write_project(tmp_path, many)

    def slipway(*argv: str) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-m", "slipway", "lint", *argv]
        return subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, check=False)

    for flags in (["--no-cache"], [], []):  # cold, cold storing its output, replayed
        found = slipway("-f", "json", *flags)
        assert found.returncode == 1 and found.stderr == ""
        assert len(json.loads(found.stdout)["findings"]) >= 399  # > 64 KiB: over a pipe buffer
    missing = slipway("nowhere")
    assert missing.returncode == 2 and missing.stderr == "error: nowhere: no such file or folder\n"


def test_fast_path_knows_the_lint_command_as_typer_declares_it() -> None:
    """The fast path's option tables, choices and defaults are the typer command's: an option
    added to `slipway lint` (or a default changed) cannot be read differently by the two."""
    import typer.main

    from slipway.cli import app as entry

    root = typer.main.get_command(entry.app)
    lint = root.get_command(root.context_class(root), "lint")
    assert lint is not None
    defaults = fastlint.LintArgs()
    valued, flags = {}, {}
    for param in lint.params:
        if param.param_type_name != "option":  # the paths argument
            continue
        table = flags if param.is_flag else valued
        table.update(dict.fromkeys(param.opts, param.name))
        default = param.default.value if hasattr(param.default, "value") else param.default
        assert getattr(defaults, str(param.name)) == default, param.name
        if hasattr(param.type, "choices"):
            assert tuple(param.type.choices) == fastlint._CHOICES[str(param.name)]
    assert valued == fastlint._LINT_VALUED
    assert flags == fastlint._LINT_FLAGS
    root_valued = {
        opt: p.name
        for p in root.params
        if p.param_type_name == "option" and p.name in ("database_url", "migrations")
        for opt in p.opts
    }
    assert root_valued == fastlint._ROOT_VALUED
