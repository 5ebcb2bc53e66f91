"""The step order: dependencies first, ties by key, cycles refused."""

from __future__ import annotations

import pytest

from specc.core.steps import Check
from specc.errors import PlanError
from specc.planning.order import order_steps


def _check(step_id: str, *deps: str) -> Check:
    return Check(step_id, step_id, "true", depends_on=deps)


def test_dependencies_first_then_the_smallest_key() -> None:
    steps = {s.id: s for s in (_check("a", "c"), _check("b"), _check("c"))}
    keys = {"a": (1, 1, "a", 1), "b": (2, 1, "b", 1), "c": (3, 1, "c", 1)}
    assert [s.id for s in order_steps(steps, keys)] == ["b", "c", "a"]


def test_a_cycle_is_a_plan_error() -> None:
    steps = {s.id: s for s in (_check("a", "b"), _check("b", "a"))}
    keys = {"a": (1, 1, "a", 1), "b": (1, 1, "b", 1)}
    with pytest.raises(PlanError, match="cycle"):
        order_steps(steps, keys)
