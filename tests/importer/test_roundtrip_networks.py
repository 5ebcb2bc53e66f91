"""The import round trip of shared networks and pod guest ranges (issue 13).

The three zone-model examples (a Basic zone, an Advanced zone with security groups,
several tagged physical networks) are applied to the simulator on 4.18 and 4.22,
imported, filled and planned again: no change, and nothing left unmanaged (before
``specc.importer.networks`` the shared networks and their ranges came back
unmanaged). Two clouds specc did not build: the Basic zone of the Ansible test
container's ``zones.cfg`` as Marvin's ``deployDataCenter.py`` builds it, and an
Advanced zone with security groups made with plain ``cs`` calls in another order,
with the server's defaults left out.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from cs import CloudStack
from import_helpers import changes_of, round_trip, write
from mini_cloud import client, execute, read
from plan_helpers import EXAMPLES, plan_for
from test_roundtrip_sim import _Secrets

import specc
from specc.core.steps import Plan
from specc.importer import import_live
from specc.sim import running

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "conformance"))
import marvin_dc

ZONE_MODELS = ("basic-zone.yaml", "advanced-sg.yaml", "multi-physnet.yaml")
NET_KINDS = ("network", "vlaniprange")


def _keys(plan: Plan, kind: str) -> set[str]:
    return {"/".join(c.resource.key) for c in plan.changes if c.resource.kind == kind}


@pytest.mark.parametrize("version", ["4.18", "4.22"])
@pytest.mark.parametrize("name", ZONE_MODELS)
def test_zone_model_examples_round_trip(name: str, version: str, tmp_path: Path) -> None:
    example = next(p for p in EXAMPLES if p.name == name)
    with running(api_version=version) as sim:
        api = client(sim)
        execute(plan_for(example, read(api), scripts=False), api, _Secrets())
        live = read(api)
    plan = round_trip(live, tmp_path / "spec")
    assert changes_of(plan) == []
    assert plan.steps == ()
    assert plan.unmanaged == ()  # the shared networks and their ranges are imported
    text = (tmp_path / "spec" / "spec.yaml").read_text()
    assert import_live(live).files == import_live(live).files  # the same bytes again
    if name == "basic-zone.yaml":
        assert _keys(plan, "network") == {"basic1/guestNetworkForBasicZone"}
        assert _keys(plan, "vlaniprange") == {"basic1/60.147.41.2-60.147.41.254"}
        assert "    shared_networks:\n      - name: guestNetworkForBasicZone\n" in text
        assert (
            "        guest_ranges:\n          - subnet: basic1-guest\n"
            "            start: 60.147.41.2\n            end: 60.147.41.254\n"
            "        clusters:\n"
        ) in text
        assert "security_groups" not in text  # a Basic zone has them: left out
    elif name == "advanced-sg.yaml":
        assert _keys(plan, "network") == {"sg1/shared-sg"}
        assert _keys(plan, "vlaniprange") == {
            "sg1/10.147.31.150-10.147.31.159",
            "sg1/10.147.31.200-10.147.31.219",
        }
        assert (
            "      - name: shared-sg\n"
            "        display_text: Shared SG enabled network\n"
            "        offering: DefaultSharedNetworkOfferingWithSGService\n"
            "        subnet: sg1-guest\n"
            "        ranges:\n"
        ) in text
        assert (
            "  - name: sg1-guest\n    cidr: 10.147.31.0/24\n    role: guest\n"
            "    gateway: 10.147.31.1\n    vlan: 31\n"
        ) in text
        split = import_live(live, split=True).files  # the guest subnet goes with its zone
        assert "name: sg1-guest" in split["zone-sg1.yaml"]
        assert "sg1-guest" not in split["cloud.yaml"]
        folder = write(import_live(live, split=True), tmp_path / "split")
        validated = specc.check(specc.load(folder), strict=True)
        assert validated.ok, [d.message for d in validated.diagnostics]
        again = specc.plan(validated, live, scripts=False)
        assert changes_of(again) == [] and again.unmanaged == ()
    else:
        assert _keys(plan, "network") == set()
        assert "      - name: pn-guest\n        vlan_ranges: [1000-1999]\n" in text


def test_marvin_basic_zone_round_trips(tmp_path: Path) -> None:
    with running() as sim:
        api = client(sim)
        marvin_dc.deploy_zone(api, marvin_dc.ZONES[0])
        live = read(api)
    # SPC316 is about the cloud: the simulator's hosts take addresses of the pod's range.
    plan = round_trip(live, tmp_path / "spec", cloud_findings=frozenset({"SPC316"}))
    assert changes_of(plan) == []
    assert not [u for u in plan.unmanaged if u.split(":")[0] in NET_KINDS]
    zone = "Sandbox-simulator-basic"
    assert _keys(plan, "network") == {f"{zone}/guestNetworkForBasicZone"}
    assert _keys(plan, "vlaniprange") == {f"{zone}/60.147.41.2-60.147.41.254"}
    text = (tmp_path / "spec" / "spec.yaml").read_text()
    assert "guest_ranges:\n          - subnet: Sandbox-simulator-basic-guest\n" in text


def _offering(api: CloudStack) -> str:
    found = api.listNetworkOfferings(name="DefaultSharedNetworkOfferingWithSGService")
    return str(found["networkoffering"][0]["id"])


def _sg_zone_by_hand(api: CloudStack) -> None:
    """An Advanced zone with security groups and two tagged physical networks with Guest
    traffic; the networks before the pod, a range before the other network, ranges
    without their VLAN (the server gives them the network's:
    ``ConfigurationManagerImpl.createVlanAndPublicIpRange``), one network without a
    display text, a network domain given once as the server would derive it and once
    not."""
    zone = api.createZone(
        name="hand-sg",
        dns1="10.9.0.2",
        internaldns1="10.9.0.2",
        networktype="Advanced",
        securitygroupenabled="true",
    )["zone"]
    pnets = {}
    for name, tag, traffic in (
        ("pn-web", "web", ("Guest",)),
        ("pn-core", "core", ("Management", "Guest")),
    ):
        pnet = api.createPhysicalNetwork(zoneid=zone["id"], name=name, tags=tag)["physicalnetwork"]
        for kind in traffic:
            api.addTrafficType(physicalnetworkid=pnet["id"], traffictype=kind)
        for provider in ("VirtualRouter", "SecurityGroupProvider"):
            nsp = api.listNetworkServiceProviders(physicalnetworkid=pnet["id"], name=provider)
            nsp_id = nsp["networkserviceprovider"][0]["id"]
            if provider == "VirtualRouter":
                element = api.listVirtualRouterElements(nspid=nsp_id)["virtualrouterelement"][0]
                api.configureVirtualRouterElement(id=element["id"], enabled="true")
            api.updateNetworkServiceProvider(id=nsp_id, state="Enabled")
        api.updatePhysicalNetwork(id=pnet["id"], state="Enabled")
        pnets[name] = pnet["id"]
    offering = _offering(api)
    db = api.createNetwork(
        zoneid=zone["id"],
        name="db",
        displaytext="Databases",
        networkofferingid=offering,
        physicalnetworkid=pnets["pn-core"],
        gateway="10.21.0.1",
        netmask="255.255.255.0",
        vlan="201",
        networkdomain="cs2cloud.internal",
    )["network"]
    api.createVlanIpRange(
        zoneid=zone["id"],
        networkid=db["id"],
        forvirtualnetwork="false",
        gateway="10.21.0.1",
        netmask="255.255.255.0",
        startip="10.21.0.100",
        endip="10.21.0.199",
    )
    web = api.createNetwork(
        zoneid=zone["id"],
        name="web",
        networkofferingid=offering,
        physicalnetworkid=pnets["pn-web"],
        gateway="10.20.0.1",
        netmask="255.255.255.0",
        vlan="200",
        networkdomain="web.example",
    )["network"]
    for start, end in (("10.20.0.200", "10.20.0.250"), ("10.20.0.10", "10.20.0.50")):
        api.createVlanIpRange(
            zoneid=zone["id"],
            networkid=web["id"],
            forvirtualnetwork="false",
            gateway="10.20.0.1",
            netmask="255.255.255.0",
            startip=start,
            endip=end,
            vlan="200",
        )
    api.createPod(
        zoneid=zone["id"],
        name="pod1",
        gateway="10.9.0.1",
        netmask="255.255.255.0",
        startip="10.9.0.100",
        endip="10.9.0.150",
    )
    api.addImageStore(
        name="secondary1", provider="NFS", zoneid=zone["id"], url="nfs://10.9.0.21/export/secondary"
    )


@pytest.mark.parametrize("version", ["4.18", "4.22"])
def test_sg_zone_made_by_hand_round_trips(version: str, tmp_path: Path) -> None:
    with running(api_version=version) as sim:
        api = client(sim)
        _sg_zone_by_hand(api)
        live = read(api)
    plan = round_trip(live, tmp_path / "spec")
    assert changes_of(plan) == []
    assert not [u for u in plan.unmanaged if u.split(":")[0] in NET_KINDS]
    assert _keys(plan, "network") == {"hand-sg/db", "hand-sg/web"}
    assert _keys(plan, "vlaniprange") == {
        "hand-sg/10.21.0.100-10.21.0.199",
        "hand-sg/10.20.0.10-10.20.0.50",
        "hand-sg/10.20.0.200-10.20.0.250",
    }
    text = (tmp_path / "spec" / "spec.yaml").read_text()
    assert (
        "    shared_networks:\n"
        "      - name: db\n"
        "        display_text: Databases\n"
        "        offering: DefaultSharedNetworkOfferingWithSGService\n"
        "        physical_network: pn-core\n"
        "        subnet: hand-sg-guest-2\n"
        "        ranges:\n"
        "          - subnet: hand-sg-guest-2\n"
        "            start: 10.21.0.100\n"
        "            end: 10.21.0.199\n"
        "      - name: web\n"
        "        offering: DefaultSharedNetworkOfferingWithSGService\n"
        "        physical_network: pn-web\n"
        "        subnet: hand-sg-guest\n"
        "        network_domain: web.example\n"
        "        ranges:\n"
        "          - subnet: hand-sg-guest\n"
        "            start: 10.20.0.10\n"
    ) in text
    assert (  # the range without a VLAN took its network's: the subnet has it
        "  - name: hand-sg-guest-2\n    cidr: 10.21.0.0/24\n    role: guest\n"
        "    gateway: 10.21.0.1\n    vlan: 201\n"
    ) in text
    assert "network_domain: cs2cloud.internal" not in text  # what the server derives
