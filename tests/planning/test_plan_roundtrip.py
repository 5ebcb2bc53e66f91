"""The round trip on the simulator: plan, execute, plan again -> no changes; and drift.

Every example is planned against an empty simulator, its API steps are executed by
the minimal executor (real ``cs`` client, real HTTP), the live state is read again
and planned again: the second plan must have no changes and no steps. A perpetual
diff is a bug. Drift: a field changed behind specc's back shows up as exactly that
field.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from mini_cloud import client, execute, read
from plan_helpers import REPO, load_spec, plan_for

from specc.cloud.state import LiveState
from specc.core.steps import ApiCall, Plan
from specc.planning.compiler import compile_plan
from specc.render._common import has_changes
from specc.sim import running
from specc.spec.models import Spec

SECRETS = {
    name: "AQBb+x/yZ9kQ==" + name
    for name in (
        "CEPH_A_CLOUDSTACK_KEY",
        "CEPH_KEY",
        "CEPH_CLOUDSTACK_KEY",
        "KVM_ROOT_PASSWORD",
        "SF_PASSWORD",
        "SF_ADMIN_PASSWORD",
        "VCENTER_PASSWORD",
        "VCENTER_A_PASSWORD",
        "XEN_ROOT_PASSWORD",
    )
}


class _Secrets(dict[str, str]):
    """Any secret a spec names resolves to a fixed test value (never printed).

    The listed ones hold ``+``, ``/`` and ``=`` on purpose (a Ceph key is base64 and
    goes into a url). Any other is a plain value: it belongs to a backend this test
    knows nothing about, whose secrets may not hold every character (the StorPool
    plug-in, for one, splits its url on ``=`` and ``;``).
    """

    def __missing__(self, key: str) -> str:
        return "test-secret-" + key.replace("/", "_")


def _plan(spec: Spec, live: LiveState) -> Plan:
    return compile_plan(spec, live, spec_hash="sha256:roundtrip")


def _round_trip(example: Path, version: str) -> None:
    spec = load_spec(example)[0]
    with running(api_version=version) as sim:
        api = client(sim)
        first = _plan(spec, read(api))
        assert not [w for c in first.changes for w in c.warnings if "does not list" in w]
        assert has_changes(first)
        ran = execute(first, api, _Secrets(SECRETS))
        assert ran
        second = _plan(spec, read(api))
        changed = [
            (str(c.resource), c.action, c.fields) for c in second.changes if c.action != "noop"
        ]
        assert not changed, f"perpetual diff after apply: {changed}"
        assert second.steps == ()
        assert all(c.reason == "in sync" for c in second.changes)


@pytest.mark.parametrize("version", ["4.18", "4.22"])
def test_round_trip_converges(example: Path, version: str) -> None:
    _round_trip(example, version)


def test_drift_shows_exactly_the_tampered_field() -> None:
    example = REPO / "examples" / "nfs-baseline.yaml"
    with running() as sim:
        api = client(sim)
        execute(plan_for(example, read(api), scripts=False), api, _Secrets())
        live = read(api)
        pool = next(p for p in live.items("storagepool") if p["name"] == "nfs-primary-1")
        sim.tamper("storagepool", pool["id"], tags="NFS,DRIFT")
        drifted = plan_for(example, read(api), scripts=False)
        changed = [c for c in drifted.changes if c.action != "noop"]
        assert [
            (str(c.resource), [(f.field, f.before, f.after) for f in c.fields]) for c in changed
        ] == [("storagepool:zone1/nfs-primary-1", [("tags", "DRIFT,NFS", "NFS")])]
        (step,) = drifted.steps
        assert isinstance(step, ApiCall) and step.command == "updateStoragePool"
        execute(drifted, api, _Secrets())
        assert not has_changes(plan_for(example, read(api), scripts=False))


@pytest.mark.parametrize("version", ["4.18", "4.22"])
def test_drift_in_a_field_only_422_reads_back(version: str) -> None:
    example = REPO / "examples" / "solidfire-kvm.yaml"
    spec = load_spec(example)[0]
    with running(api_version=version) as sim:
        api = client(sim)
        execute(_plan(spec, read(api)), api, _Secrets())
        pool = next(p for p in read(api).items("storagepool") if p["name"] == "sf-zone")
        sim.tamper("storagepool", pool["id"], capacitybytes=1099511627776)
        drifted = _plan(spec, read(api))
    changed = [
        (str(c.resource), [(f.field, f.before, f.after) for f in c.fields])
        for c in drifted.changes
        if c.action != "noop"
    ]
    if version == "4.18":
        assert changed == []
        assert any(n.startswith("storagepool.capacitybytes is not readable") for n in drifted.notes)
    else:
        assert changed == [
            (
                "storagepool:zone-kvm-sf/sf-zone",
                [("capacitybytes", 1099511627776, 10995116277760)],
            )
        ]


@pytest.mark.parametrize("version", ["4.18", "4.22"])
def test_capacityiops_and_label_drift_are_reported_on_both_releases(version: str) -> None:
    """Issue 10.6: ``listStoragePools`` returns ``capacityiops``
    (``StoragePoolJoinDaoImpl.newStoragePoolResponse``) and ``listTrafficTypes`` the
    hypervisor labels (``ApiResponseHelper.createTrafficTypeResponse``) on 4.18.2.5 and
    4.22.1.0. A label changed through ``updateTrafficType`` and a pool's IOPS changed
    behind specc's back each show as exactly that field; applying puts both back."""
    example = REPO / "examples" / "solidfire-kvm.yaml"
    spec = load_spec(example)[0]
    with running(api_version=version) as sim:
        api = client(sim)
        execute(_plan(spec, read(api)), api, _Secrets())
        live = read(api)
        pool = next(p for p in live.items("storagepool") if p["name"] == "sf-zone")
        guest = next(t for t in live.items("traffictype") if t["traffictype"] == "Guest")
        assert guest["kvmnetworklabel"] == "cloudbr1"
        sim.tamper("storagepool", pool["id"], capacityiops=99999)
        api.updateTrafficType(id=guest["id"], kvmnetworklabel="cloudbr7")
        drifted = _plan(spec, read(api))
        changed = [
            (str(c.resource), [(f.field, f.before, f.after) for f in c.fields])
            for c in drifted.changes
            if c.action != "noop"
        ]
        assert sorted(changed) == [
            ("storagepool:zone-kvm-sf/sf-zone", [("capacityiops", 99999, 150000)]),
            (
                "traffictype:zone-kvm-sf/physnet1/Guest",
                [("kvmnetworklabel", "cloudbr7", "cloudbr1")],
            ),
        ]
        assert not [n for n in drifted.notes if "networklabel" in n or "capacityiops" in n]
        calls = sorted(
            (s.command, tuple(sorted(s.params))) for s in drifted.steps if isinstance(s, ApiCall)
        )
        assert calls == [
            ("updateStoragePool", ("capacityiops", "id")),
            ("updateTrafficType", ("id", "kvmnetworklabel")),
        ]
        execute(drifted, api, _Secrets())
        assert not has_changes(_plan(spec, read(api)))


def test_a_new_host_gets_its_scripts_right_before_add_host() -> None:
    from specc.core.steps import HostScript
    from specc.hosts.collect import host_scripts

    full = load_spec(REPO / "examples" / "ceph-rbd-kvm.yaml")[0]
    data = full.model_dump(mode="json", exclude_none=True)
    hosts = data["zones"][0]["pods"][0]["clusters"][0]["hosts"]
    newcomer = hosts.pop()["name"]
    fewer = Spec.model_validate(data)
    with running() as sim:
        api = client(sim)
        execute(_plan(fewer, read(api)), api, _Secrets())
        plan = compile_plan(
            full, read(api), spec_hash="sha256:grow", host_scripts=host_scripts(full)
        )
    ids = [s.id for s in plan.steps]
    add = next(i for i in ids if i.startswith("create:host:") and i.endswith("/" + newcomer))
    scripts = [s for s in plan.steps if isinstance(s, HostScript)]
    assert scripts and all(s.host == newcomer for s in scripts)
    for s in scripts:
        assert ids.index(s.id) < ids.index(add) and add in s.needed_by
    assert any("host script(s) left out" in n for n in plan.notes)


def test_replace_and_prune_converge_on_the_simulator() -> None:
    spec = load_spec(REPO / "examples" / "nfs-baseline.yaml")[0]
    with running() as sim:
        api = client(sim)
        execute(_plan(spec, read(api)), api, _Secrets())
        data = spec.model_dump(mode="json", exclude_none=True)
        data["offerings"]["disk"][0]["size_gb"] = 60  # nfs-50g grows: immutable, replaced
        data["offerings"]["disk"].pop(1)  # nfs-custom leaves the spec
        changed = Spec.model_validate(data)
        plan = compile_plan(changed, read(api), spec_hash="sha256:x", prune=True)
        actions = {str(c.resource): c.action for c in plan.changes if c.action != "noop"}
        assert actions["diskoffering:nfs-50g"] == "replace"
        assert actions["diskoffering:nfs-custom"] == "delete"
        ids = [s.id for s in plan.steps]
        assert ids.index("create:diskoffering:nfs-50g") < ids.index("delete:diskoffering:nfs-50g")
        execute(plan, api, _Secrets())
        after = compile_plan(changed, read(api), spec_hash="sha256:x", prune=True)
    assert not has_changes(after)
    assert not [u for u in after.unmanaged if u.startswith("diskoffering:nfs")]
