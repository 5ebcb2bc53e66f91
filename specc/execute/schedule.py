"""Which steps must finish before which: the plan's edges plus per-zone stages.

A plan lists its steps in a stable topological order, with explicit edges
(``depends_on``: references to earlier outputs, host scripts before the steps that
need them). Its order also carries the phases of a CloudStack build (a zone is
enabled after its hosts and storage; storage is added after hosts), which are not
all edges. So the executor adds, per zone, a *stage* order: consecutive steps of one
zone that do the same command on the same kind form a stage, and a stage starts
after the stage before it in that zone. Zones are independent of each other, and
steps without a zone (offerings, settings) follow only their edges; so do host
scripts and checks. A cross-zone image (zone ``*``) waits for the latest stage of
every zone before it (it needs their image stores). Steps of one stage run in parallel.
"""

from __future__ import annotations

from collections.abc import Mapping

from specc.cloud.kinds import KINDS
from specc.cloud.kinds.base import Kind
from specc.core.ids import ResourceId
from specc.core.steps import ApiCall, Plan, Step, Wait


def zone_of(rid: ResourceId, kinds: Mapping[str, Kind] = KINDS) -> str | None:
    """The zone a resource belongs to: its kind's ``zone_at`` key part (None: global).

    >>> [zone_of(ResourceId.parse(r)) for r in ("pod:zone1/pod1", "template:t/zone2/KVM",
    ...  "diskoffering:d")]
    ['zone1', 'zone2', None]
    """
    kind = kinds.get(rid.kind)
    at = 0 if kind is None else kind.zone_at
    if at is None:
        return None
    return rid.key[at] if len(rid.key) > at else None


def _stage(step: Step, kinds: Mapping[str, Kind]) -> tuple[str, str] | None:
    if isinstance(step, ApiCall | Wait):
        zone = zone_of(step.resource, kinds)
        if zone is None:
            return None
        return (zone, f"{step.resource.kind}:{step.command}")
    return None


def dependencies(plan: Plan, kinds: Mapping[str, Kind] = KINDS) -> dict[str, tuple[str, ...]]:
    """Every step's prerequisites (step ids), in plan order."""
    ids = {s.id for s in plan.steps}
    deps: dict[str, set[str]] = {s.id: {d for d in s.depends_on if d in ids} for s in plan.steps}
    # per zone: the current stage's label and members, and the previous stage's members
    current: dict[str, tuple[str, list[str]]] = {}
    previous: dict[str, list[str]] = {}
    for step in plan.steps:
        stage = _stage(step, kinds)
        if stage is None:
            continue
        zone, label = stage
        cur = current.get(zone)
        if cur is None or cur[0] != label:
            if cur is not None:
                previous[zone] = cur[1]
            current[zone] = (label, [])
        deps[step.id].update(previous.get(zone, ()))
        if zone == "*":  # a cross-zone image needs every zone built as far as it goes
            for other, (_, members) in current.items():
                if other != "*":
                    deps[step.id].update(members)
        current[zone][1].append(step.id)
    return {k: tuple(sorted(v)) for k, v in deps.items()}


def critical_path(deps: Mapping[str, tuple[str, ...]], order: list[str]) -> int:
    """The number of steps on the longest dependency chain (*order*: topological)."""
    depth: dict[str, int] = {}
    for step_id in order:
        depth[step_id] = 1 + max((depth.get(d, 0) for d in deps.get(step_id, ())), default=0)
    return max(depth.values(), default=0)
