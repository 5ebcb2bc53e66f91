"""``--prune`` of shared networks: their IP ranges go with ``deleteNetwork``.

apache/cloudstack 4.18.2.5 and 4.22.1.0, ``NetworkOrchestrator.destroyNetwork`` deletes
the network's ranges itself (``deleteVlansInNetwork`` ->
``ConfigurationManagerImpl.deleteVlanAndPublicIpRange``): a pruned network's ranges are
not deleted on their own and do not keep it from being pruned. The zone's own link to
a range is unchanged: a range still counts as a dependent of its zone.
"""

from __future__ import annotations

from typing import Any

from specc.changes.differ import diff
from specc.cloud.state import LiveState
from specc.core.steps import ApiCall
from specc.planning.compiler import assemble_plan

ZONE = {"id": "z-1", "name": "z1", "networktype": "Advanced"}
NETWORK = {
    "id": "n-1",
    "name": "shared",
    "type": "Shared",
    "zoneid": "z-1",
    "zonename": "z1",
    "displaytext": "shared",
}
RANGES = (
    {
        "id": "r-1",
        "zoneid": "z-1",
        "networkid": "n-1",
        "startip": "10.1.0.10",
        "endip": "10.1.0.19",
    },
    {
        "id": "r-2",
        "zoneid": "z-1",
        "networkid": "n-1",
        "startip": "10.1.0.30",
        "endip": "10.1.0.39",
    },
)
PUBLIC = {
    "id": "r-3",
    "zoneid": "z-1",
    "networkid": "pub-1",
    "startip": "1.2.3.4",
    "endip": "1.2.3.9",
}


def _calls(*, force: bool) -> tuple[list[ApiCall], Any]:
    live = LiveState(
        "4.18.0.0",
        {"zone": (ZONE,), "network": (NETWORK,), "vlaniprange": (*RANGES, PUBLIC)},
    )
    cs = diff({}, live, prune=True, force=force)
    plan = assemble_plan({}, live, cs, spec_hash="sha256:test", force=force)
    return [s for s in plan.steps if isinstance(s, ApiCall)], plan


def test_a_pruned_network_takes_its_ranges_and_needs_no_force() -> None:
    calls, plan = _calls(force=False)
    assert [(c.command, c.params) for c in calls] == [
        ("deleteVlanIpRange", {"id": "r-3"}),
        ("deleteNetwork", {"id": "n-1"}),
    ]
    delete = next(c for c in calls if c.command == "deleteNetwork")
    assert delete.is_async
    assert "vlaniprange:z1/10.1.0.10-10.1.0.19 (r-1) goes with the delete of its network (n-1)" in (
        plan.notes
    )
    # the zone keeps its rule: its network and ranges are dependents
    assert "zone:z1 (z-1)" in plan.unmanaged
    assert any(
        n.startswith("zone:z1 not deleted: it still has dependents (network n-1")
        for n in plan.notes
    )


def test_with_force_the_network_is_forced_and_deleted_before_its_zone() -> None:
    calls, _ = _calls(force=True)
    by_command = {c.command: c for c in calls}
    assert sorted(by_command) == ["deleteNetwork", "deleteVlanIpRange", "deleteZone"]
    assert by_command["deleteNetwork"].params == {"id": "n-1", "forced": True}
    assert "delete:network:z1/shared" in by_command["deleteZone"].depends_on
    order = [c.command for c in calls]
    assert order.index("deleteNetwork") < order.index("deleteZone")
