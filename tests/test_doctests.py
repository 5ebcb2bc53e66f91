"""Every docstring example in the package runs and holds (one test per module)."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import specc

_SUBMODULES = pkgutil.walk_packages(specc.__path__, prefix="specc.")
# ``__main__`` modules run the CLI when imported: they hold no examples.
MODULES = [
    "specc",
    *sorted(m.name for m in _SUBMODULES if not m.ispkg and not m.name.endswith(".__main__")),
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0, f"{result.failed} doctest(s) failed in {name}"


def test_doctests_exist() -> None:
    """The collector finds the package's examples (guards against an empty walk)."""
    finder = doctest.DocTestFinder()
    total = sum(
        len(t.examples) for name in MODULES for t in finder.find(importlib.import_module(name))
    )
    assert total >= 10
