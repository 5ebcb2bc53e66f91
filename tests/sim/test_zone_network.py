"""Zone, physical network and pod behaviour that a plan must expect from the server."""

from __future__ import annotations

import pytest
from cs import CloudStack, CloudStackApiException
from simhelp import ZONE


def test_a_zone_starts_disabled_and_needs_its_traffic_to_be_enabled(cs: CloudStack) -> None:
    zone = cs.createZone(**ZONE)["zone"]
    assert zone["allocationstate"] == "Disabled"
    with pytest.raises(CloudStackApiException) as err:
        cs.updateZone(id=zone["id"], allocationstate="Enabled")
    assert err.value.error["errortext"] == (
        "Cannot enable this Zone since: Unable to find the default physical network with "
        "traffic=Management in the specified zone id"
    )
    pn = cs.createPhysicalNetwork(zoneid=zone["id"], name="pn")["physicalnetwork"]
    cs.addTrafficType(
        physicalnetworkid=pn["id"], traffictype="Management", kvmnetworklabel="cloudbr0"
    )
    cs.addTrafficType(physicalnetworkid=pn["id"], traffictype="Public")
    enabled = cs.updateZone(id=zone["id"], allocationstate="Enabled")["zone"]
    assert enabled["allocationstate"] == "Enabled"
    # the server adds Storage traffic beside Management when the zone has none
    types = {
        t["traffictype"] for t in cs.listTrafficTypes(physicalnetworkid=pn["id"])["traffictype"]
    }
    assert types == {"Management", "Public", "Storage"}


def test_zone_parameters_are_checked(cs: CloudStack) -> None:
    cs.createZone(**ZONE)
    for bad, text in (
        (
            {"name": ZONE["name"]},
            "A zone with that name already exists. Please specify a unique zone name.",
        ),
        ({"name": "b", "dns1": "not-an-ip"}, "Please enter a valid IP address for DNS1"),
        (
            {"name": "c", "networktype": "Fancy"},
            "Invalid zone type; only Advanced and Basic values are supported",
        ),
        (
            {"name": "d", "allocationstate": "Maybe"},
            "Unable to resolve Allocation State 'Maybe' to a supported state",
        ),
        (
            {"name": "e", "networktype": "Basic", "guestcidraddress": "10.0.0.0/8"},
            "guestCidrAddress parameter is not supported for Basic zone",
        ),
    ):
        with pytest.raises(CloudStackApiException) as err:
            cs.createZone(**{**ZONE, **bad})
        assert err.value.error["errorcode"] == 431
        assert err.value.error["errortext"] == text
    basic = cs.createZone(**{**ZONE, "name": "basic", "networktype": "basic"})["zone"]
    assert (basic["networktype"], basic["securitygroupsenabled"]) == ("Basic", True)


def test_create_physical_network_adds_disabled_default_providers(cs: CloudStack) -> None:
    zone = cs.createZone(**ZONE)["zone"]
    pn = cs.createPhysicalNetwork(zoneid=zone["id"], name="pn")["physicalnetwork"]
    providers = cs.listNetworkServiceProviders(physicalnetworkid=pn["id"])["networkserviceprovider"]
    assert {p["name"] for p in providers} >= {
        "VirtualRouter",
        "VpcVirtualRouter",
        "InternalLbVm",
        "ConfigDrive",
    }
    assert {p["state"] for p in providers} == {"Disabled"}
    assert (
        cs.listNetworkServiceProviders(physicalnetworkid=pn["id"], name="VirtualRouter")["count"]
        == 1
    )
    elements = cs.listVirtualRouterElements()["virtualrouterelement"]
    assert len(elements) == 2 and not any(e["enabled"] for e in elements)
    cs.deletePhysicalNetwork(id=pn["id"])
    assert cs.listNetworkServiceProviders() == {}
    assert cs.listVirtualRouterElements() == {}


def test_pod_ranges_and_dependents(cs: CloudStack) -> None:
    zone = cs.createZone(**ZONE)["zone"]
    with pytest.raises(CloudStackApiException) as err:
        cs.createPod(
            zoneid=zone["id"],
            name="p",
            gateway="10.0.0.1",
            netmask="255.255.255.0",
            startip="10.0.1.5",
        )
    assert (
        err.value.error["errortext"]
        == "The start address of the IP range is not in the CIDR subnet."
    )
    pod = cs.createPod(
        zoneid=zone["id"],
        name="p",
        gateway="10.0.0.1",
        netmask="255.255.255.0",
        startip="10.0.0.5",
        endip="10.0.0.9",
    )["pod"]
    assert (pod["startip"], pod["endip"]) == (["10.0.0.5"], ["10.0.0.9"])
    with pytest.raises(CloudStackApiException) as err:
        cs.createPod(zoneid=zone["id"], name="p", gateway="10.0.0.1", netmask="255.255.255.0")
    assert err.value.error["errorcode"] == 431
    cs.createStorageNetworkIpRange(
        podid=pod["id"],
        gateway="10.2.0.1",
        netmask="255.255.255.0",
        startip="10.2.0.10",
        endip="10.2.0.20",
    )
    with pytest.raises(CloudStackApiException) as err:  # overlapping range: the job fails
        cs.createStorageNetworkIpRange(
            podid=pod["id"],
            gateway="10.2.0.1",
            netmask="255.255.255.0",
            startip="10.2.0.15",
            endip="10.2.0.30",
        )
    assert err.value.error == {
        "errorcode": 431,
        "errortext": "The Storage network Start IP and endIP address range overlap with "
        "private IP :10.2.0.10 - 10.2.0.20",
    }
    with pytest.raises(CloudStackApiException) as err:  # inside the pod's management range
        cs.createStorageNetworkIpRange(
            podid=pod["id"], gateway="10.0.0.1", netmask="255.255.255.0", startip="10.0.0.8"
        )
    assert err.value.error["errortext"].endswith("overlap with private IP :10.0.0.5:10.0.0.9")
    assert cs.listStorageNetworkIpRange(zoneid=zone["id"])["count"] == 1
    cs.deletePod(id=pod["id"])  # its ranges go with it
    assert cs.listStorageNetworkIpRange() == {}


def test_physical_network_rules(cs: CloudStack) -> None:
    zone = cs.createZone(**ZONE)["zone"]
    pn = cs.createPhysicalNetwork(zoneid=zone["id"], name="pnet-a", vlan="300-310,100-200,201-205")
    assert pn["physicalnetwork"]["vlan"] == "100-205,300-310"
    with pytest.raises(CloudStackApiException) as err:
        cs.createPhysicalNetwork(zoneid=zone["id"], name="bad", vlan="100-5000")
    assert err.value.error["errortext"] == "Vnet range has to be between 0 and 4095"
    pn_id = pn["physicalnetwork"]["id"]
    updated = cs.updatePhysicalNetwork(id=pn_id, vlan="500-600")["physicalnetwork"]
    assert updated["vlan"] == "500-600"  # replaces, does not add
    cs.addTrafficType(physicalnetworkid=pn_id, traffictype="Guest")
    other = cs.createPhysicalNetwork(zoneid=zone["id"], name="pnet-b")["physicalnetwork"]
    with pytest.raises(CloudStackApiException) as err:  # two untagged Guest networks
        cs.addTrafficType(physicalnetworkid=other["id"], traffictype="Guest")
    assert err.value.error["errortext"].startswith(
        "There are more than 1 physical network without tags in the zone"
    )
    with pytest.raises(CloudStackApiException) as err:
        cs.addTrafficType(physicalnetworkid=other["id"], traffictype="guest")
    assert err.value.error["errorcode"] == 431
    assert err.value.error["errortext"] == (
        "Unable to resolve trafficType 'guest' to a supported value"
    )
    assert cs.listPhysicalNetworks(name="pnet")["count"] == 2  # part of the name matches
    cs.addTrafficType(physicalnetworkid=pn_id, traffictype="Management")
    cs.addTrafficType(physicalnetworkid=pn_id, traffictype="Public")
    cs.updateZone(id=zone["id"], allocationstate="Enabled")
    with pytest.raises(CloudStackApiException) as err:
        cs.createPhysicalNetwork(zoneid=zone["id"], name="late")
    assert err.value.error["errorcode"] == 531


def test_public_ranges_extend_in_their_vlan_and_do_not_overlap(cs: CloudStack) -> None:
    zone = cs.createZone(**ZONE)["zone"]
    pn = cs.createPhysicalNetwork(zoneid=zone["id"], name="pn")["physicalnetwork"]
    cs.addTrafficType(physicalnetworkid=pn["id"], traffictype="Public")
    common = {
        "zoneid": zone["id"],
        "vlan": "100",
        "gateway": "192.168.1.1",
        "netmask": "255.255.255.0",
        "forvirtualnetwork": True,
    }
    first = cs.createVlanIpRange(**common, startip="192.168.1.10", endip="192.168.1.20")["vlan"]
    assert (first["vlan"], first["cidr"]) == ("vlan://100", "192.168.1.0/24")
    cs.createVlanIpRange(**common, startip="192.168.1.21", endip="192.168.1.30")  # extends
    for extra, text in (
        (
            {"startip": "192.168.1.15", "endip": "192.168.1.25"},
            "The IP range already has IPs that overlap with the new range. "
            "Please specify a different start IP/end IP.",
        ),
        (
            {"startip": "192.168.1.40", "vlan": "200"},
            f"The IP range with tag: vlan://100 in zone {ZONE['name']} has overlapped with the "
            "subnet. Please specify a different gateway/netmask.",
        ),
        ({"startip": "192.168.1.1"}, "The gateway shouldn't overlap start/end ip addresses"),
    ):
        with pytest.raises(CloudStackApiException) as err:
            cs.createVlanIpRange(**{**common, **extra})
        assert err.value.error["errortext"] == text
    assert cs.listVlanIpRanges(zoneid=zone["id"], vlan="100")["count"] == 2
