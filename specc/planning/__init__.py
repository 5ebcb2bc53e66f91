"""The plan: its data (``steps``), the compiler and the plan file.

The public functions load lazily, so ``specc.core.steps`` can be imported by every
stage without pulling in the compiler.

>>> from specc.planning import compile_plan, dump_plan, load_plan
"""

from __future__ import annotations

import importlib
from typing import Any

_LAZY = {
    "compile_plan": "specc.planning.compiler",
    "dump_plan": "specc.planning.planfile",
    "load_plan": "specc.planning.planfile",
}

__all__ = ["compile_plan", "dump_plan", "load_plan"]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(name)
