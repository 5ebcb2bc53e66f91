"""No module outside ``specc/backends/`` knows a storage backend by name.

The backends' spec model classes (and the models nested in them), ``isinstance``
tests on a backend, and comparisons of a backend's ``type`` with a registered key
appear only under ``specc/backends/``: everything else asks the registry. The
names are read from the registry and the backend modules, so a new backend is
covered as soon as it is registered.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
from pathlib import Path

from pydantic import BaseModel

import specc.backends
from specc.backends import BACKENDS

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "specc"
HOME = PACKAGE / "backends"


def _model_names() -> set[str]:
    """Every pydantic model class a backend module defines (not the common base)."""
    names = {p.model.__name__ for p in BACKENDS.values()}
    for info in pkgutil.iter_modules(specc.backends.__path__):
        if info.name == "base":
            continue
        module = importlib.import_module(f"specc.backends.{info.name}")
        for name, obj in vars(module).items():
            if (
                inspect.isclass(obj)
                and issubclass(obj, BaseModel)
                and obj.__module__ == module.__name__
            ):
                names.add(name)
    return names


def _outside() -> list[Path]:
    return [p for p in sorted(PACKAGE.rglob("*.py")) if HOME not in p.parents]


def test_the_backend_models_are_found() -> None:
    names = _model_names()
    assert {"NfsBackend", "CephBackend", "CephPool", "IscsiBackend"} <= names
    assert "BackendModel" not in names  # the common base may be named anywhere


def test_no_backend_model_class_outside_backends() -> None:
    pattern = re.compile(r"\b(" + "|".join(sorted(_model_names())) + r")\b")
    found = [
        f"{path.relative_to(ROOT)}:{n}: {line.strip()}"
        for path in _outside()
        for n, line in enumerate(path.read_text("utf-8").splitlines(), 1)
        if pattern.search(line)
    ]
    assert found == []


def test_no_isinstance_of_a_backend_outside_backends() -> None:
    pattern = re.compile(r"isinstance\([^)]*Backend\b")  # any class named ...Backend
    found = [
        f"{path.relative_to(ROOT)}: {m.group(0)}"
        for path in _outside()
        for m in pattern.finditer(path.read_text("utf-8"))
    ]
    assert found == []


def test_no_backend_type_comparison_outside_backends() -> None:
    keys = "|".join(re.escape(k) for k in sorted(BACKENDS))
    pattern = re.compile(
        r"\.type\s*(?:==|!=|\bin\b|\bnot in\b)\s*[\(\[{]?\s*[\"'](" + keys + r")[\"']"
    )
    found = [
        f"{path.relative_to(ROOT)}: {m.group(0)}"
        for path in _outside()
        for m in pattern.finditer(path.read_text("utf-8"))
    ]
    assert found == []
