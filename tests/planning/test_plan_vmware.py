"""A zone's VMware datacenter in the plan: before the VMware clusters, keyed by the zone.

CloudStack adds no VMware cluster to a zone before the zone maps to a vCenter
datacenter (apache/cloudstack 4.18.2.5 / 4.22.1.0 ``VmwareServerDiscoverer.find``),
refuses ``removeVmwareDc`` while the zone has VMware clusters
(``VmwareManagerImpl.removeVmwareDatacenter``), and names the zone, never the
datacenter's id, in ``updateVmwareDc``/``removeVmwareDc``.
"""

from __future__ import annotations

from typing import Any

from specc.cloud.state import LiveState
from specc.core.steps import ApiCall, Plan
from specc.execute.schedule import dependencies
from specc.planning.compiler import compile_plan
from specc.spec.models import Spec

VCENTER = {
    "host": "vc.example.internal",
    "datacenter": "DC1",
    "username": "administrator@vsphere.local",
    "password": {"env": "VC_PASSWORD"},
}
ZONE = {"id": "z-1", "name": "z1", "networktype": "Advanced", "dns1": "10.0.0.2"}
POD = {"id": "p-1", "name": "p1", "zoneid": "z-1", "zonename": "z1"}
DC = {"id": "dc-1", "zoneid": 7, "name": "DC1", "vcenter": "vc.example.internal", "_zoneid": "z-1"}
VMW = {
    "id": "c-1",
    "name": "vmw1",
    "podid": "p-1",
    "zoneid": "z-1",
    "hypervisortype": "VMware",
    "clustertype": "ExternalManaged",
}


def _spec(vcenter: dict[str, Any] | None = VCENTER, clusters: bool = True) -> Spec:
    zone: dict[str, Any] = {
        "name": "z1",
        "dns": ["10.0.0.2"],
        "internal_dns": ["10.0.0.2"],
        "pods": [
            {
                "name": "p1",
                "subnet": "mgmt",
                "start_ip": "10.0.0.100",
                "end_ip": "10.0.0.150",
                "clusters": [
                    {"name": "kvm1", "hypervisor": "KVM"},
                    {"name": "vmw1", "hypervisor": "VMware"},
                ]
                if clusters
                else [],
            }
        ],
    }
    if vcenter is not None:
        zone["vcenter"] = vcenter
    return Spec.model_validate(
        {
            "subnets": [
                {"name": "mgmt", "cidr": "10.0.0.0/24", "role": "management", "gateway": "10.0.0.1"}
            ],
            "zones": [zone],
        }
    )


def _plan(spec: Spec, **resources: list[dict[str, Any]]) -> Plan:
    live = LiveState("4.18.0.0", {k: tuple(v) for k, v in resources.items()})
    return compile_plan(spec, live, spec_hash="sha256:test")


def _calls(plan: Plan) -> list[ApiCall]:
    return [s for s in plan.steps if isinstance(s, ApiCall)]


def _step(plan: Plan, step_id: str) -> ApiCall:
    return next(s for s in _calls(plan) if s.id == step_id)


def _prerequisites(plan: Plan, step_id: str) -> set[str]:
    """Every step the executor finishes before *step_id* (edges and per-zone stages)."""
    direct = dependencies(plan)
    seen: set[str] = set()
    todo = list(direct[step_id])
    while todo:
        dep = todo.pop()
        if dep not in seen:
            seen.add(dep)
            todo.extend(direct[dep])
    return seen


def test_add_vmware_dc_precedes_add_cluster() -> None:
    plan = _plan(_spec())
    ids = [s.id for s in plan.steps]
    dc = "create:vmwaredc:z1"
    assert ids.index(dc) < ids.index("create:cluster:z1/p1/vmw1")
    assert dc in _prerequisites(plan, "create:cluster:z1/p1/vmw1")
    step = _step(plan, dc)
    assert step.command == "addVmwareDc"
    assert {k: str(v) for k, v in step.params.items() if k != "zoneid"} == {
        "name": "DC1",
        "vcenter": "vc.example.internal",
        "username": "administrator@vsphere.local",
        "password": "SecretParam(source='env', name='VC_PASSWORD', encoding='none')",
    }


def test_a_vmware_cluster_names_the_zone_datacenter_and_no_login() -> None:
    """Without username/password addCluster takes the datacenter's (find)."""
    params = _step(_plan(_spec()), "create:cluster:z1/p1/vmw1").params
    assert params["url"] == "http://vc.example.internal/DC1/vmw1"
    assert "username" not in params and "password" not in params
    kvm = _step(_plan(_spec()), "create:cluster:z1/p1/kvm1").params
    assert "url" not in kvm


def test_a_zone_without_vcenter_has_no_datacenter() -> None:
    spec = _spec(vcenter=None, clusters=False)
    assert not [s for s in _calls(_plan(spec)) if s.resource.kind == "vmwaredc"]


def test_a_zone_vcenter_without_vmware_clusters_is_still_mapped() -> None:
    plan = _plan(_spec(clusters=False))
    assert [s.command for s in _calls(plan) if s.resource.kind == "vmwaredc"] == ["addVmwareDc"]


def test_a_mapped_datacenter_is_in_sync_by_its_zone() -> None:
    plan = _plan(_spec(clusters=False), zone=[ZONE], pod=[POD], vmwaredc=[DC])
    (change,) = [c for c in plan.changes if c.resource.kind == "vmwaredc"]
    assert (change.action, change.reason) == ("noop", "in sync")
    assert not [s for s in _calls(plan) if s.resource.kind == "vmwaredc"]


def test_a_changed_vcenter_is_one_update_naming_the_zone() -> None:
    moved = {**VCENTER, "host": "vc2.example.internal"}
    plan = _plan(_spec(vcenter=moved, clusters=False), zone=[ZONE], pod=[POD], vmwaredc=[DC])
    (step,) = [s for s in _calls(plan) if s.resource.kind == "vmwaredc"]
    assert step.command == "updateVmwareDc"
    assert step.params == {"zoneid": "z-1", "vcenter": "vc2.example.internal"}


def test_prune_removes_the_datacenter_after_the_vmware_clusters() -> None:
    spec = _spec(vcenter=None, clusters=False)
    live = LiveState(
        "4.18.0.0",
        {"zone": (ZONE,), "pod": (POD,), "cluster": (VMW,), "vmwaredc": (DC,)},
    )
    plan = compile_plan(spec, live, spec_hash="sha256:test", prune=True)
    remove = _step(plan, "delete:vmwaredc:z1")
    assert (remove.command, remove.params) == ("removeVmwareDc", {"zoneid": "z-1"})
    assert "delete:cluster:z1/p1/vmw1" in _prerequisites(plan, remove.id)


def test_the_reader_stamps_each_datacenter_with_the_zone_it_listed() -> None:
    """listVmwareDcs gives the zone's database id; the reader keys it by the zone's uuid."""
    from mini_cloud import client, read

    from specc.cloud.kinds import KINDS
    from specc.cloud.kinds.base import LiveIndex
    from specc.sim import running

    with running() as sim:
        api = client(sim)
        for name in ("za", "zb"):
            zone = api.createZone(
                name=name, dns1="8.8.8.8", internaldns1="10.0.0.1", networktype="Advanced"
            )["zone"]
            if name == "zb":
                api.addVmwareDc(
                    zoneid=zone["id"], name="DC1", vcenter="vc", username="u", password="p"
                )
        live = read(api)
    (dc,) = live.items("vmwaredc")
    zb = next(z for z in live.items("zone") if z["name"] == "zb")
    assert dc["_zoneid"] == zb["id"] and isinstance(dc["zoneid"], int)
    assert KINDS["vmwaredc"].key(dc, LiveIndex(live.resources)) == ("zb",)
