"""The differ's and compiler's rules, each on a small hand-made live state."""

from __future__ import annotations

from typing import Any

import pytest

from specc.cloud.state import LiveState
from specc.core.steps import ApiCall, Plan
from specc.errors import PlanError
from specc.planning.compiler import compile_plan
from specc.spec.models import Spec


def _spec(zone_extra: dict[str, Any] | None = None, **extra: Any) -> Spec:
    data: dict[str, Any] = {
        "subnets": [
            {"name": "mgmt", "cidr": "10.0.0.0/24", "role": "management", "gateway": "10.0.0.1"}
        ],
        "backends": [
            {"name": "nfs", "type": "nfs", "server": "10.0.0.20", "export": "/p"},
            {
                "name": "sf",
                "type": "solidfire",
                "mvip": "10.0.0.30",
                "svip": "10.0.0.31",
                "admin_user": "admin",
                "admin_password": {"env": "SF_PASSWORD"},
                "default_min_iops": 100,
                "default_max_iops": 1000,
            },
        ],
        "zones": [
            {
                "name": "z1",
                "dns": ["10.0.0.2"],
                "internal_dns": ["10.0.0.2"],
                "primary_storage": [
                    {
                        "name": "p-nfs",
                        "backend": "nfs",
                        "scope": "zone",
                        "hypervisor": "KVM",
                        "tags": ["NFS"],
                    },
                    {
                        "name": "p-sf",
                        "backend": "sf",
                        "scope": "zone",
                        "hypervisor": "Any",
                        "tags": ["SF"],
                        "capacity_bytes": 1000000,
                        "capacity_iops": 5000,
                    },
                ],
            }
        ],
    }
    data["zones"][0].update(zone_extra or {})
    data.update(extra)
    return Spec.model_validate(data)


ZONE = {
    "id": "z-1",
    "name": "z1",
    "networktype": "Advanced",
    "dns1": "10.0.0.2",
    "internaldns1": "10.0.0.2",
    "allocationstate": "Enabled",
}
POOL_NFS = {
    "id": "sp-1",
    "name": "p-nfs",
    "zoneid": "z-1",
    "scope": "ZONE",
    "hypervisor": "KVM",
    "provider": "DefaultPrimary",
    "tags": "NFS",
}
POOL_SF = {
    "id": "sp-2",
    "name": "p-sf",
    "zoneid": "z-1",
    "scope": "ZONE",
    "hypervisor": "Any",
    "provider": "SolidFire",
    "tags": "SF",
    "capacityiops": 5000,
    "capacitybytes": 1,
    "managed": False,
}


def _plan(spec: Spec, version: str = "4.18.0.0", **resources: list[dict[str, Any]]) -> Plan:
    live = LiveState(version, {k: tuple(v) for k, v in resources.items()})
    return compile_plan(spec, live, spec_hash="sha256:test")


def _change(plan: Plan, resource: str) -> Any:
    return next(c for c in plan.changes if str(c.resource) == resource)


def test_in_sync_resources_are_noops_with_a_reason() -> None:
    plan = _plan(_spec(), zone=[ZONE], storagepool=[POOL_NFS, POOL_SF])
    assert _change(plan, "zone:z1").action == "noop"
    assert _change(plan, "zone:z1").reason == "in sync"
    assert _change(plan, "storagepool:z1/p-nfs").action == "noop"
    assert plan.steps == ()


def test_unreadable_fields_never_diff_on_418_but_are_noted_once() -> None:
    plan = _plan(_spec(), zone=[ZONE], storagepool=[POOL_NFS, POOL_SF])
    assert _change(plan, "storagepool:z1/p-sf").action == "noop"
    notes = [n for n in plan.notes if n.startswith("storagepool.capacitybytes")]
    assert len(notes) == 1 and "not verifiable" in notes[0]
    assert any(n.startswith("storagepool.url ") for n in plan.notes)


def test_capacityiops_diffs_on_418_newstoragepoolresponse() -> None:
    """4.18 reads capacityiops back: ``StoragePoolJoinDaoImpl.newStoragePoolResponse``
    sets it (apache/cloudstack 4.18.2.5), so drift in it is an update."""
    drifted = {**POOL_SF, "capacityiops": 1}
    plan = _plan(_spec(), zone=[ZONE], storagepool=[POOL_NFS, drifted])
    change = _change(plan, "storagepool:z1/p-sf")
    assert [(f.field, f.before, f.after) for f in change.fields] == [("capacityiops", 1, 5000)]
    assert not [n for n in plan.notes if n.startswith("storagepool.capacityiops")]
    (step,) = [s for s in plan.steps if isinstance(s, ApiCall)]
    assert step.command == "updateStoragePool"
    assert step.params == {"id": "sp-2", "capacityiops": 5000}


def test_same_fields_diff_on_422_where_they_are_readable() -> None:
    drifted = {**POOL_SF, "capacityiops": 1}
    plan = _plan(_spec(), "4.22.1.0", zone=[ZONE], storagepool=[POOL_NFS, drifted])
    change = _change(plan, "storagepool:z1/p-sf")
    fields = {f.field: f for f in change.fields}
    assert set(fields) == {"capacitybytes", "capacityiops", "managed"}
    assert fields["capacityiops"].before == 1 and fields["capacityiops"].after == 5000
    assert fields["managed"].mode == "impossible"
    (step,) = [s for s in plan.steps if isinstance(s, ApiCall)]
    assert step.command == "updateStoragePool"
    assert step.params == {"id": "sp-2", "capacitybytes": 1000000, "capacityiops": 5000}


def test_a_changed_tag_gives_exactly_that_field_and_one_update() -> None:
    pool = {**POOL_NFS, "tags": "NFS,OLD"}
    plan = _plan(_spec(), zone=[ZONE], storagepool=[pool, POOL_SF])
    change = _change(plan, "storagepool:z1/p-nfs")
    assert change.action == "update"
    assert [(f.field, f.before, f.after) for f in change.fields] == [("tags", "NFS,OLD", "NFS")]
    assert [(s.id, s.params) for s in plan.steps if isinstance(s, ApiCall)] == [
        ("update:storagepool:z1/p-nfs", {"id": "sp-1", "tags": "NFS"})
    ]


@pytest.mark.parametrize("version", ["4.18.0.0", "4.22.1.0"])
def test_traffic_type_label_drift_is_an_update_createtraffictyperesponse(version: str) -> None:
    """``listTrafficTypes`` returns the labels (``ApiResponseHelper.createTrafficTypeResponse``,
    apache/cloudstack 4.18.2.5 and 4.22.1.0): a drifted label is one ``updateTrafficType``
    with that label; a label the spec leaves out is not compared; the VLAN stays unreadable."""
    pn_spec = {
        "name": "pn",
        "traffic": [{"type": "Guest", "labels": {"kvm": "cloudbr1"}, "vlan": 100}],
        "providers": [],
    }
    spec = _spec({"physical_networks": [pn_spec]})
    pn = {
        "id": "pn-1",
        "name": "pn",
        "zoneid": "z-1",
        "isolationmethods": "VLAN",
        "state": "Enabled",
    }
    tt = {
        "id": "tt-1",
        "physicalnetworkid": "pn-1",
        "traffictype": "Guest",
        "kvmnetworklabel": "cloudbr9",
        "xennetworklabel": "GUEST",
    }
    plan = _plan(
        spec,
        version,
        zone=[ZONE],
        physicalnetwork=[pn],
        traffictype=[tt],
        storagepool=[
            POOL_NFS,
            {**POOL_SF, "capacityiops": 5000, "capacitybytes": 1000000, "managed": True},
        ],
    )
    change = _change(plan, "traffictype:z1/pn/Guest")
    assert change.action == "update"
    assert [(f.field, f.before, f.after) for f in change.fields] == [
        ("kvmnetworklabel", "cloudbr9", "cloudbr1")
    ]
    assert not [n for n in plan.notes if n.startswith("traffictype.kvmnetworklabel")]
    assert any(n.startswith("traffictype.vlan") for n in plan.notes)
    (step,) = [s for s in plan.steps if isinstance(s, ApiCall)]
    assert (step.command, step.params) == (
        "updateTrafficType",
        {"id": "tt-1", "kvmnetworklabel": "cloudbr1"},
    )
    in_sync = _plan(
        spec,
        version,
        zone=[ZONE],
        physicalnetwork=[pn],
        traffictype=[{**tt, "kvmnetworklabel": "cloudbr1"}],
        storagepool=[
            POOL_NFS,
            {**POOL_SF, "capacityiops": 5000, "capacitybytes": 1000000, "managed": True},
        ],
    )
    assert _change(in_sync, "traffictype:z1/pn/Guest").action == "noop"
    assert in_sync.steps == ()


def test_two_live_objects_with_one_key_name_both_uuids() -> None:
    twin = {**POOL_NFS, "id": "sp-9"}
    with pytest.raises(PlanError) as err:
        _plan(_spec(), zone=[ZONE], storagepool=[POOL_NFS, twin, POOL_SF])
    assert "sp-1" in err.value.message and "sp-9" in err.value.message


def test_live_objects_not_in_the_spec_are_unmanaged_and_left_alone() -> None:
    extra = {**POOL_NFS, "id": "sp-7", "name": "legacy"}
    plan = _plan(_spec(), zone=[ZONE], storagepool=[POOL_NFS, POOL_SF, extra])
    assert plan.unmanaged == ("storagepool:z1/legacy (sp-7)",)
    assert plan.steps == ()


def test_prune_deletes_only_without_dependents_unless_forced() -> None:
    extra = {**POOL_NFS, "id": "sp-7", "name": "legacy"}
    busy = {**POOL_NFS, "id": "sp-8", "name": "busy", "disksizeused": 1024}
    live = {"zone": [ZONE], "storagepool": [POOL_NFS, POOL_SF, extra, busy]}
    spec = _spec()
    pruned = compile_plan(
        spec,
        LiveState("4.18.0.0", {k: tuple(v) for k, v in live.items()}),
        spec_hash="h",
        prune=True,
    )
    deletes = [s for s in pruned.steps if isinstance(s, ApiCall)]
    # A pool is deleted only from Maintenance: enableStorageMaintenance comes first.
    assert [(s.command, s.params) for s in deletes] == [
        ("enableStorageMaintenance", {"id": "sp-7"}),
        ("deleteStoragePool", {"id": "sp-7"}),
    ]
    assert "storagepool:z1/busy (sp-8)" in pruned.unmanaged
    assert any("busy not deleted" in n and "--force" in n for n in pruned.notes)
    forced = compile_plan(
        spec,
        LiveState("4.18.0.0", {k: tuple(v) for k, v in live.items()}),
        spec_hash="h",
        prune=True,
        force=True,
    )
    calls = sorted(
        (s.params["id"], s.params.get("forced"))
        for s in forced.steps
        if isinstance(s, ApiCall) and s.command == "deleteStoragePool"
    )
    assert calls == [("sp-7", True), ("sp-8", True)]


def test_immutable_offering_is_created_anew_then_the_old_one_retired() -> None:
    spec = _spec(offerings={"disk": [{"name": "d50", "size_gb": 50}]})
    old = {
        "id": "do-1",
        "name": "d50",
        "displaytext": "d50",
        "disksize": 40,
        "storagetype": "shared",
        "provisioningtype": "thin",
    }
    plan = _plan(spec, zone=[ZONE], storagepool=[POOL_NFS, POOL_SF], diskoffering=[old])
    change = _change(plan, "diskoffering:d50")
    assert change.action == "replace"
    assert [(f.field, f.before, f.after, f.mode) for f in change.fields] == [
        ("disksize", 40, 50, "replace")
    ]
    assert change.warnings and "deleted afterwards" in change.warnings[0]
    ids = [s.id for s in plan.steps]
    assert ids == ["create:diskoffering:d50", "delete:diskoffering:d50"]
    delete = plan.steps[1]
    assert isinstance(delete, ApiCall) and delete.params == {"id": "do-1"}
    assert "create:diskoffering:d50" in delete.depends_on


def test_new_children_of_an_existing_parent_use_its_live_id() -> None:
    plan = _plan(_spec(), zone=[ZONE], storagepool=[POOL_SF])
    (step,) = plan.steps
    assert isinstance(step, ApiCall) and step.params["zoneid"] == "z-1"
    assert step.params["url"] == "nfs://10.0.0.20/p"


def test_secrets_stay_references_in_the_plan() -> None:
    from specc.planning.planfile import dump_plan

    text = dump_plan(_plan(_spec()))
    assert '"name": "SF_PASSWORD"' in text and '"source": "env"' in text
