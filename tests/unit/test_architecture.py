"""The tree keeps its shape: the window and the ops API import nothing from each other, the saga
runtime names no one-thing, and nothing outside ``services/`` and ``contracts/`` imports a
one-thing's package."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ONE_THINGS = sorted(p.name for p in (ROOT / "services").iterdir() if (p / "__init__.py").exists())


def imports_of(package: str) -> dict[str, set[str]]:
    """Module path → the top two levels of every module it imports."""
    found: dict[str, set[str]] = {}
    for path in (ROOT / package).rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names: set[str] = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names |= {alias.name for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names.add(node.module)
        found[str(path.relative_to(ROOT))] = {".".join(n.split(".")[:2]) for n in names}
    return found


@pytest.mark.parametrize(("package", "other"), [("window", "ops"), ("ops", "window")])
def test_the_window_and_the_ops_api_import_nothing_from_each_other(
    package: str, other: str
) -> None:
    crossing = {
        module: sorted(n for n in names if n.split(".")[0] == other)
        for module, names in imports_of(package).items()
    }
    assert {} == {module: names for module, names in crossing.items() if names}


@pytest.mark.parametrize("package", ["saga", "window", "ops", "onething", "departments", "deploy"])
def test_no_platform_package_imports_a_one_thing(package: str) -> None:
    named = {f"services.{thing}" for thing in ONE_THINGS}
    found = {
        module: sorted(names & named)
        for module, names in imports_of(package).items()
        if names & named
    }
    assert {} == found
