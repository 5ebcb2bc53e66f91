"""The spec: load YAML with a source map, validate it, and the model it builds.

``load`` returns everything (the spec, its diagnostics, hash and source map);
``require`` insists it is valid. Both live in :mod:`specc.spec.validate` and load
lazily, so importing a spec submodule (``specc.spec.types``, the backends' models)
does not pull in the validator.

>>> from specc.spec import load, require
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from specc.spec.sourcemap import SourceMap
    from specc.spec.validate import Validated, load, require, spec_hash

_LAZY = {
    "load": "specc.spec.validate",
    "require": "specc.spec.validate",
    "spec_hash": "specc.spec.validate",
    "Validated": "specc.spec.validate",
    "SourceMap": "specc.spec.sourcemap",
}

__all__ = ["SourceMap", "Validated", "load", "require", "spec_hash"]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(name)
