"""Every domain rule, in the order the checker runs them.

References first (a dangling name makes later rules skip the object), then the
network rules, then each storage backend's own rules (in registry order, from
:data:`specc.backends.BACKENDS`), then the other cross-cutting modules. Each module
owns its codes: references SPC2xx, network SPC30x-31x, offerings SPC36x, templates
SPC37x, hosts SPC38x, zones SPC39x, settings SPC45x, zone types and shared networks
SPC47x; each backend module names its own range in its docstring (the first backends
took SPC32x-35x, SPC224 and SPC385-387; SPC3xx is full, so a new backend takes a free
ten from SPC400 on, SPC45x and SPC47x excepted). No two modules share a code
(tests/backends/test_plugins.py). The checker sorts the diagnostics by location, so
this order decides nothing a user sees.
"""

from __future__ import annotations

from specc.backends import BACKENDS
from specc.spec.rules import (
    Rule,
    hosts,
    network,
    offerings,
    references,
    settings,
    templates,
    zones,
    zonetypes,
)

BACKEND_RULES: tuple[Rule, ...] = tuple(r for p in BACKENDS.values() for r in p.rules)
"""The rules of every registered backend, in registry order."""

ALL_RULES: tuple[Rule, ...] = (
    *references.RULES,
    *network.RULES,
    *BACKEND_RULES,
    *offerings.RULES,
    *templates.RULES,
    *hosts.RULES,
    *zones.RULES,
    *zonetypes.RULES,
    *settings.RULES,
)
