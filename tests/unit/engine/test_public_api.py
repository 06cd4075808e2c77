"""The engine's modules say what they export, and everything they export says what it is."""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
from types import ModuleType

import pytest

import slipway.migrations

MODULES = [
    importlib.import_module(f"slipway.migrations.{m.name}")
    for m in pkgutil.iter_modules(slipway.migrations.__path__)
]


def _defined_here(module: ModuleType) -> list[str]:
    return [
        name
        for name, value in vars(module).items()
        if not name.startswith("_")
        and (inspect.isfunction(value) or inspect.isclass(value))
        and value.__module__ == module.__name__
    ]


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.__name__)
def test_module_declares_its_exports(module: ModuleType) -> None:
    exported = getattr(module, "__all__", None)
    assert exported is not None, f"{module.__name__} has no __all__"
    assert all(hasattr(module, name) for name in exported)
    missing = set(_defined_here(module)) - set(exported)
    assert not missing, f"{module.__name__}.__all__ leaves out {sorted(missing)}"


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.__name__)
def test_public_functions_classes_and_methods_have_a_docstring(module: ModuleType) -> None:
    # Read from the source: a dataclass without a docstring gets its signature as __doc__.
    tree = ast.parse(inspect.getsource(module))
    defs = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
    undocumented = []
    for node in tree.body:
        if not isinstance(node, defs) or node.name.startswith("_"):
            continue
        if ast.get_docstring(node) is None:
            undocumented.append(node.name)
        if isinstance(node, ast.ClassDef):
            undocumented += [
                f"{node.name}.{m.name}"
                for m in node.body
                if isinstance(m, defs)
                and not m.name.startswith("_")
                and ast.get_docstring(m) is None
            ]
    assert not undocumented, f"{module.__name__}: no docstring on {undocumented}"
