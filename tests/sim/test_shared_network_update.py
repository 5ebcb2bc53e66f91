"""updateNetwork and deleteNetwork on shared networks, as the server answers them.

apache/cloudstack 4.18.2.5 and 4.22.1.0: ``UpdateNetworkCmd`` (a
``BaseAsyncCustomIdCmd``) runs ``NetworkServiceImpl.updateGuestNetwork``;
``DeleteNetworkCmd`` (a ``BaseAsyncCmd``) runs ``NetworkServiceImpl.deleteNetwork`` and
``NetworkOrchestrator.destroyNetwork``, which deletes the network's IP ranges
(``deleteVlansInNetwork``). Both are async jobs; a refusal is a failed job (status 2).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from cs import CloudStack, CloudStackApiException
from simhelp import client

from specc.sim import running


@pytest.fixture(params=["4.18", "4.22"])
def api(request: pytest.FixtureRequest) -> Iterator[CloudStack]:
    with running(api_version=request.param) as sim:
        yield client(sim)


def _shared(cs: CloudStack, *, basic: bool = False) -> dict[str, Any]:
    """A zone (Basic, or Advanced with security groups) with an Enabled guest physical
    network and one shared network of DefaultSharedNetworkOfferingWithSGService."""
    zone = cs.createZone(
        name="z", dns1="8.8.8.8", internaldns1="8.8.8.8",
        networktype="Basic" if basic else "Advanced", securitygroupenabled="true",
    )["zone"]  # fmt: skip
    pnet = cs.createPhysicalNetwork(
        zoneid=zone["id"], name="pn", isolationmethods="L3" if basic else "VLAN"
    )["physicalnetwork"]
    cs.addTrafficType(physicalnetworkid=pnet["id"], traffictype="Guest")
    cs.updatePhysicalNetwork(id=pnet["id"], state="Enabled")
    offering = cs.listNetworkOfferings(name="DefaultSharedNetworkOfferingWithSGService")
    extra = {} if basic else {"vlan": "31", "gateway": "10.1.31.1", "netmask": "255.255.255.0"}
    return cs.createNetwork(
        zoneid=zone["id"],
        name="shared",
        displaytext="Shared",
        networkofferingid=offering["networkoffering"][0]["id"],
        **extra,
    )["network"]


def _refused(call: Any, **params: Any) -> dict[str, Any]:
    with pytest.raises(CloudStackApiException) as err:
        call(**params)
    return dict(err.value.error)


def test_both_commands_are_async(api: CloudStack) -> None:
    listed = {a["name"]: a["isasync"] for a in api.listApis()["api"]}
    assert (listed["updateNetwork"], listed["deleteNetwork"]) == (True, True)


def test_update_sets_name_and_display_text_in_a_job(api: CloudStack) -> None:
    net = _shared(api)
    raw = CloudStack(
        endpoint=api.endpoint, key=api.key, secret=api.secret, fetch_result=False
    ).updateNetwork(id=net["id"], displaytext="Renamed text")
    assert "jobid" in raw  # async: UpdateNetworkCmd is a BaseAsyncCustomIdCmd
    done = api.updateNetwork(id=net["id"], name="shared2", displaynetwork="false")
    assert (done["network"]["name"], done["network"]["displaytext"]) == (
        "shared2",
        "Renamed text",
    )
    (listed,) = api.listNetworks(listall="true", type="Shared")["network"]
    assert (listed["name"], listed["displaytext"], listed["displaynetwork"]) == (
        "shared2",
        "Renamed text",
        False,
    )


def test_an_offering_change_is_refused_for_a_shared_network(api: CloudStack) -> None:
    net = _shared(api)
    other = api.listNetworkOfferings(name="DefaultSharedNetworkOffering")["networkoffering"][0]
    error = _refused(api.updateNetwork, id=net["id"], networkofferingid=other["id"])
    version = api.listCapabilities()["capability"]["cloudstackversion"]
    text = (
        "NetworkOffering and domain suffix upgrade can be perfomed for Isolated networks only"
        if version.startswith("4.18")
        else "NetworkOffering update can be performed for Isolated networks only."
    )
    assert (error["errorcode"], error["errortext"]) == (431, text)
    assert api.listNetworks(id=net["id"])["network"][0]["networkofferingid"] != other["id"]


def test_a_domain_suffix_is_refused_at_4_18_and_set_at_4_22(api: CloudStack) -> None:
    net = _shared(api)
    version = api.listCapabilities()["capability"]["cloudstackversion"]
    if version.startswith("4.18"):
        error = _refused(api.updateNetwork, id=net["id"], networkdomain="lab.example")
        assert error["errortext"] == (
            "NetworkOffering and domain suffix upgrade can be perfomed for Isolated networks only"
        )
        assert "networkdomain" not in api.listNetworks(id=net["id"])["network"][0]
        return
    error = _refused(api.updateNetwork, id=net["id"], networkdomain="-bad.example")
    assert error["errorcode"] == 431
    assert error["errortext"].startswith("Invalid network domain. Total length shouldn't")
    api.updateNetwork(id=net["id"], networkdomain="lab.example")
    assert api.listNetworks(id=net["id"])["network"][0]["networkdomain"] == "lab.example"


def test_a_guest_vm_cidr_is_refused(api: CloudStack) -> None:
    advanced = _shared(api)
    error = _refused(api.updateNetwork, id=advanced["id"], guestvmcidr="10.1.31.0/25")
    assert error["errortext"] == (
        "Can only allow IP Reservation in networks with guest type Isolated"
    )


def test_a_guest_vm_cidr_is_refused_in_a_basic_zone_first(api: CloudStack) -> None:
    basic = _shared(api, basic=True)
    error = _refused(api.updateNetwork, id=basic["id"], guestvmcidr="10.1.31.0/25")
    assert error["errortext"] == "Guest VM CIDR can't be specified for zone with Basic networking"


def test_a_refused_update_changes_nothing(api: CloudStack) -> None:
    net = _shared(api)
    other = api.listNetworkOfferings(name="DefaultSharedNetworkOffering")["networkoffering"][0]
    _refused(api.updateNetwork, id=net["id"], name="x", networkofferingid=other["id"])
    assert api.listNetworks(id=net["id"])["network"][0]["name"] == "shared"


def test_delete_removes_the_network_with_its_ranges(api: CloudStack) -> None:
    """The ranges are added by ``networkid`` alone: ``createVlanAndPublicIpRange`` takes
    the zone and physical network from the network."""
    net = _shared(api)
    for start, end in (("10.1.31.10", "10.1.31.19"), ("10.1.31.30", "10.1.31.39")):
        api.createVlanIpRange(
            networkid=net["id"], startip=start, endip=end,
            gateway="10.1.31.1", netmask="255.255.255.0", vlan="31", forvirtualnetwork="false",
        )  # fmt: skip
    assert len(api.listVlanIpRanges(networkid=net["id"])["vlaniprange"]) == 2
    api.deleteNetwork(id=net["id"])
    assert api.listNetworks(listall="true", type="Shared").get("network", []) == []
    assert api.listVlanIpRanges().get("vlaniprange", []) == []


def test_delete_in_a_basic_zone_takes_the_pod_ranges(api: CloudStack) -> None:
    net = _shared(api, basic=True)
    zone = net["zoneid"]
    pod = api.createPod(
        zoneid=zone, name="p", gateway="10.0.0.1", netmask="255.255.255.0",
        startip="10.0.0.10", endip="10.0.0.20",
    )["pod"]  # fmt: skip
    api.createVlanIpRange(
        podid=pod["id"], networkid=net["id"], startip="60.1.1.10", endip="60.1.1.20",
        gateway="60.1.1.1", netmask="255.255.255.0", forvirtualnetwork="false",
    )  # fmt: skip
    api.deleteNetwork(id=net["id"])
    assert api.listVlanIpRanges(zoneid=zone).get("vlaniprange", []) == []
    assert api.listPods(id=pod["id"])["pod"][0]["name"] == "p"
    # the zone may have its one guest network again
    offering = api.listNetworkOfferings(name="DefaultSharedNetworkOfferingWithSGService")
    again = api.createNetwork(
        zoneid=zone, name="g", networkofferingid=offering["networkoffering"][0]["id"]
    )
    assert again["network"]["name"] == "g"


def test_delete_of_an_unknown_network_is_the_entity_error(api: CloudStack) -> None:
    error = _refused(api.deleteNetwork, id="00000000-0000-4000-8000-00000000dead")
    assert error["errorcode"] == 431
    assert "Invalid parameter id value=00000000-0000-4000-8000-00000000dead" in (error["errortext"])
