"""The package imports only the standard library and what pyproject.toml declares.

A fresh ``pip install .`` installs exactly the declared dependencies; an import of
anything else works on a developer's machine and fails for a user.
"""

from __future__ import annotations

import ast
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def _declared() -> set[str]:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    names = set()
    for requirement in project["dependencies"]:
        name = requirement.split(";")[0]
        for stop in "<>=!~[ ":
            name = name.split(stop)[0]
        names.add(name.strip().lower().replace("_", "-"))
    return names


def _imported_top_levels() -> dict[str, str]:
    found: dict[str, str] = {}
    for path in sorted((REPO / "specc").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                found.setdefault(name.split(".")[0], str(path.relative_to(REPO)))
    return found


def test_every_import_is_stdlib_or_declared() -> None:
    declared = _declared()
    distributions = packages_distributions()
    undeclared = {}
    for top, where in _imported_top_levels().items():
        if top == "specc" or top in sys.stdlib_module_names:
            continue
        dists = {d.lower().replace("_", "-") for d in distributions.get(top, [])}
        if not dists & declared:
            undeclared[top] = (where, sorted(dists))
    assert not undeclared, f"imported but not declared in pyproject.toml: {undeclared}"
