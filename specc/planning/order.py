"""A stable topological order of plan steps (graphlib, ties broken by a sort key).

The same steps always come out in the same order, byte for byte: among the steps
whose dependencies are done, the one with the smallest key goes first.
"""

from __future__ import annotations

import heapq
from collections.abc import Mapping
from graphlib import CycleError, TopologicalSorter

from specc.core.steps import Step
from specc.errors import PlanError

SortKey = tuple[int, int, str, int]


def order_steps(steps: Mapping[str, Step], phase: Mapping[str, SortKey]) -> tuple[Step, ...]:
    """A stable topological order: dependencies first, then the sort key, then id.

    A step's key is (phase, sub-rank, anchor, rank): a host script takes the key of
    the first step that needs it with a lower rank, so it lands right before it.

    Raises:
        PlanError: the steps depend on each other in a cycle.
    """
    sorter: TopologicalSorter[str] = TopologicalSorter()
    for step_id, step in steps.items():
        sorter.add(step_id, *(d for d in step.depends_on if d in steps))
    try:
        sorter.prepare()
    except CycleError as exc:
        raise PlanError(
            f"the plan's steps depend on each other in a cycle: {exc.args[1]}"
        ) from None
    ready: list[tuple[SortKey, str]] = []
    out: list[Step] = []
    while sorter.is_active():
        for step_id in sorter.get_ready():
            heapq.heappush(ready, (phase[step_id], step_id))
        _, step_id = heapq.heappop(ready)
        out.append(steps[step_id])
        sorter.done(step_id)
    return tuple(out)
