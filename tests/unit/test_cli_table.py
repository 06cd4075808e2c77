"""The root's static command table matches what the command modules really register."""

from __future__ import annotations

import subprocess
import sys

from slipway.cli.app import COMMANDS, build_module


def test_every_table_entry_is_registered_by_its_module() -> None:
    by_module: dict[str, set[str]] = {}
    for name, (module, short) in COMMANDS.items():
        by_module.setdefault(module, set()).add(name)
        assert short and len(short) <= 80 and short.endswith("."), name
    for module, names in by_module.items():
        registered = set(build_module(module))
        assert registered == names, f"slipway.cli.{module} registers {sorted(registered)}"


def test_help_lists_every_command_without_loading_them() -> None:
    code = (
        "import sys, slipway.cli.app as a\n"
        "try:\n    a.main(['--help'])\nexcept SystemExit:\n    pass\n"
        "print('LOADED', sorted(m for m in sys.modules if m.startswith('slipway.cli.')))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    for name in COMMANDS:
        assert f"  {name} " in out
    loaded = out.split("LOADED", 1)[1]
    for module in {m for m, _ in COMMANDS.values()}:
        assert f"slipway.cli.{module}'" not in loaded
