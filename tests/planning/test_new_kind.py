"""A new kind is one ``Kind`` value: the differ and the compiler plan it from that alone.

``gadget`` exists only here: a toy kind hanging off a pod (phase 65, between pods
and IP ranges), registered in a copy of the registry that is passed to the differ
and the compiler. No table anywhere names it, and it plans: created after its pod
with the pod's id, updated in place, replaced, pruned before its pruned pod.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from plan_helpers import REPO

import specc
from specc.changes.differ import diff
from specc.cloud.kinds import KINDS
from specc.cloud.kinds.base import FieldSpec, Item, Kind, LiveIndex, Parent
from specc.cloud.kinds.normalise import norm_int
from specc.cloud.state import LiveState
from specc.core.ids import ResourceId
from specc.core.steps import ApiCall, Plan, Ref
from specc.execute.schedule import zone_of
from specc.graph.resources import DesiredResource
from specc.planning.compiler import assemble_plan

SPEC = REPO / "examples" / "nfs-baseline.yaml"
POD = ResourceId("pod", ("zone1", "pod1"))
GADGET_ID = ResourceId("gadget", ("zone1", "pod1", "g1"))


def _gadget_key(item: Item, index: LiveIndex) -> tuple[str, ...] | None:
    pod = index.pod_key(item.get("podid"))
    return None if pod is None else (*pod, str(item["name"]))


GADGET = Kind(
    name="gadget",
    list_command="listGadgets",
    key=_gadget_key,
    phase=65,
    parents=(Parent("pod", "podid"),),
    create_command="createGadget",
    update_command="updateGadget",
    delete_command="deleteGadget",
    fields=(
        FieldSpec(name="size", create="size", update="size", list_field="size", normalise=norm_int),
        FieldSpec(name="colour", create="colour", list_field="colour", mode="replace"),
    ),
)
REGISTRY = {**KINDS, GADGET.name: GADGET}
ZONE = {"id": "z-1", "name": "zone1", "allocationstate": "Enabled"}
POD_ITEM = {"id": "pod-1", "name": "pod1", "zoneid": "z-1", "zonename": "zone1"}


def _desired(path: Path = SPEC) -> dict[ResourceId, DesiredResource]:
    desired = dict(specc.build(specc.check(specc.load(path))))
    desired[GADGET_ID] = DesiredResource(
        GADGET_ID,
        {"name": "g1", "size": 3, "colour": "red"},
        depends_on=(POD,),
        parents={"podid": POD},
    )
    return desired


def _plan(live: LiveState, *, prune: bool = False, force: bool = False) -> Plan:
    desired = _desired()
    changes = diff(desired, live, REGISTRY, prune=prune, force=force)
    return assemble_plan(
        desired, live, changes, spec_hash="sha256:toy", force=force, kinds=REGISTRY
    )


def _live(**resources: list[dict[str, Any]]) -> LiveState:
    return LiveState("4.18.0.0", {k: tuple(v) for k, v in resources.items()})


def _step(plan: Plan, step_id: str) -> ApiCall:
    step = next(s for s in plan.steps if s.id == step_id)
    assert isinstance(step, ApiCall)
    return step


def test_a_new_kind_is_created_after_its_parent_in_its_phase() -> None:
    plan = _plan(_live())
    kinds = [c.resource.kind for c in plan.changes]
    assert kinds.index("pod") < kinds.index("gadget") < kinds.index("vlaniprange")
    change = next(c for c in plan.changes if c.resource == GADGET_ID)
    assert (change.action, change.reason) == ("create", "not in the live cloud")
    create = _step(plan, f"create:{GADGET_ID}")
    assert create.command == "createGadget"
    assert create.params == {
        "colour": "red",
        "name": "g1",
        "podid": Ref(f"create:{POD}"),
        "size": 3,
    }
    ids = [s.id for s in plan.steps]
    assert ids.index(f"create:{POD}") < ids.index(create.id)
    assert zone_of(GADGET_ID, REGISTRY) == "zone1"


@pytest.mark.parametrize(
    ("live_item", "action", "commands"),
    [
        ({"size": "3", "colour": "red"}, "noop", []),
        ({"size": "2", "colour": "red"}, "update", ["updateGadget"]),
        ({"size": "3", "colour": "blue"}, "replace", ["createGadget", "deleteGadget"]),
    ],
)
def test_a_new_kind_is_compared_by_its_field_table(
    live_item: dict[str, str], action: str, commands: list[str]
) -> None:
    gadget = {"id": "g-1", "name": "g1", "podid": "pod-1", **live_item}
    plan = _plan(_live(zone=[ZONE], pod=[POD_ITEM], gadget=[gadget]))
    change = next(c for c in plan.changes if c.resource == GADGET_ID)
    assert change.action == action
    steps = [s for s in plan.steps if isinstance(s, ApiCall) and s.resource == GADGET_ID]
    assert [s.command for s in steps] == commands
    if action == "update":
        assert steps[0].params == {"id": "g-1", "size": 3}
    if action == "replace":
        assert steps[0].params["podid"] == "pod-1"  # the live pod's id
        assert f"create:{GADGET_ID}" in steps[1].depends_on  # the old goes after the new


def test_a_pruned_new_kind_blocks_and_then_precedes_its_pruned_parent() -> None:
    other_pod = {"id": "pod-9", "name": "pod9", "zoneid": "z-1", "zonename": "zone1"}
    stray = {"id": "g-9", "name": "g9", "podid": "pod-9", "size": "1", "colour": "red"}
    live = _live(zone=[ZONE], pod=[POD_ITEM, other_pod], gadget=[stray])
    blocked = _plan(live, prune=True)
    deleted = {str(c.resource) for c in blocked.changes if c.action == "delete"}
    assert "gadget:zone1/pod9/g9" in deleted and "pod:zone1/pod9" not in deleted
    assert any("pod:zone1/pod9 not deleted" in n and "gadget g-9" in n for n in blocked.notes)
    forced = _plan(live, prune=True, force=True)
    pod_delete = _step(forced, "delete:pod:zone1/pod9")
    assert "delete:gadget:zone1/pod9/g9" in pod_delete.depends_on
    assert _step(forced, "delete:gadget:zone1/pod9/g9").params == {"id": "g-9"}
