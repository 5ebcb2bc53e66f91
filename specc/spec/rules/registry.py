"""Every domain rule, in the order the checker runs them."""

from __future__ import annotations

from specc.spec.rules import Rule

ALL_RULES: tuple[Rule, ...] = ()
