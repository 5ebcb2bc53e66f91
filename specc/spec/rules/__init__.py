"""Domain rules: pure functions from a Spec to Findings.

A rule module exports ``RULES``, a tuple of functions ``(spec) -> Iterable[Finding]``.
A Finding names the offending value by its JSON path inside the spec document
(``("zones", 0, "pods", 1, "start_ip")``); the checker turns that path into a
``file:line:col`` through the source map, so rules never see files or lines.
Each rule has its own stable code (``SPC###``) and a test case file.

The rules of one storage backend live with it (:mod:`specc.backends`); the modules
here hold the cross-cutting ones, which ask a backend's plug-in what they need.
:mod:`specc.spec.rules.registry` gathers both.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from specc.errors import Severity

if TYPE_CHECKING:  # the model imports the backends, whose rules import this module
    from specc.spec.models import Spec

JsonPath = tuple[str | int, ...]


@dataclass(frozen=True)
class Finding:
    """What a rule found, before it is located in a file."""

    code: str
    severity: Severity
    path: JsonPath
    message: str
    hint: str = ""


Rule = Callable[["Spec"], Iterable[Finding]]
