"""Server rules the Ansible collection's integration targets showed the simulator missing
(tests/conformance/test_ansible_targets.py runs the targets themselves). Each test is
named for the rule; the handler's docstring cites the apache/cloudstack source."""

from __future__ import annotations

from typing import Any

import pytest
from cs import CloudStack, CloudStackApiException
from simhelp import ZONE

from specc.sim import Simulator


def _advanced_pnet(cs: CloudStack) -> tuple[dict[str, Any], dict[str, Any]]:
    zone = cs.createZone(**ZONE)["zone"]
    pnet = cs.createPhysicalNetwork(zoneid=zone["id"], name="pn", isolationmethods="VLAN")
    return zone, pnet["physicalnetwork"]


def _pod(cs: CloudStack, zone_id: str, **kw: str) -> dict[str, Any]:
    args = {"name": "p", "gateway": "10.100.10.1", "netmask": "255.255.255.0", **kw}
    pod: dict[str, Any] = cs.createPod(zoneid=zone_id, startip="10.100.10.101", **args)["pod"]
    return pod


def test_list_storage_providers_answers_under_the_datastoreprovider_key(cs: CloudStack) -> None:
    answer = cs.listStorageProviders(type="primary")
    assert "storageprovider" not in answer
    assert {"name": "DefaultPrimary", "type": "PRIMARY"} in answer["dataStoreProvider"]
    assert answer["count"] == len(answer["dataStoreProvider"])
    image = cs.listStorageProviders(type="image")["dataStoreProvider"]
    assert {p["name"] for p in image} >= {"NFS", "S3", "Swift"}


def test_create_pod_without_endip_ends_at_the_cidrs_last_usable_address(cs: CloudStack) -> None:
    zone = cs.createZone(**ZONE)["zone"]
    pod = _pod(cs, zone["id"])
    assert pod["startip"] == ["10.100.10.101"] and pod["endip"] == ["10.100.10.254"]
    other = _pod(cs, zone["id"], name="q", gateway="10.100.8.1", netmask="255.255.252.0")
    assert other["endip"] == ["10.100.11.254"]


def test_list_traffic_types_returns_the_network_labels(cs: CloudStack) -> None:
    _, pnet = _advanced_pnet(cs)
    cs.addTrafficType(physicalnetworkid=pnet["id"], traffictype="Guest", kvmnetworklabel="br0")
    cs.addTrafficType(physicalnetworkid=pnet["id"], traffictype="Public")
    types = {
        t["traffictype"]: t
        for t in cs.listTrafficTypes(physicalnetworkid=pnet["id"])["traffictype"]
    }
    assert types["Guest"]["kvmnetworklabel"] == "br0"
    assert "kvmnetworklabel" not in types["Public"]  # an unset label is left out
    cs.updateTrafficType(id=types["Guest"]["id"], vmwarenetworklabel="vSwitch1", kvmnetworklabel="")
    guest = cs.listTrafficTypes(physicalnetworkid=pnet["id"])["traffictype"]
    guest_tt = next(t for t in guest if t["traffictype"] == "Guest")
    assert guest_tt["vmwarenetworklabel"] == "vSwitch1" and "kvmnetworklabel" not in guest_tt


def test_internal_lb_element_must_be_enabled_before_its_provider(cs: CloudStack) -> None:
    _, pnet = _advanced_pnet(cs)
    nsp = cs.listNetworkServiceProviders(physicalnetworkid=pnet["id"], name="InternalLbVm")[
        "networkserviceprovider"
    ][0]
    elements = cs.listInternalLoadBalancerElements(nspid=nsp["id"])
    assert elements["count"] == 1
    element = elements["internalloadbalancerelement"][0]
    assert element == {"id": element["id"], "nspid": nsp["id"], "enabled": False}
    with pytest.raises(CloudStackApiException) as err:
        cs.updateNetworkServiceProvider(id=nsp["id"], state="Enabled")
    assert "please configure the provider first" in err.value.error["errortext"]
    done = cs.configureInternalLoadBalancerElement(id=element["id"], enabled="true")
    assert done["internalloadbalancerelement"]["enabled"] is True
    assert cs.listInternalLoadBalancerElements(enabled="true")["count"] == 1
    enabled = cs.updateNetworkServiceProvider(id=nsp["id"], state="Enabled")
    assert enabled["networkserviceprovider"]["state"] == "Enabled"
    cs.deletePhysicalNetwork(id=pnet["id"])
    assert cs.listInternalLoadBalancerElements() == {}


def _simulator_cluster(cs: CloudStack) -> dict[str, str]:
    zone = cs.createZone(**ZONE)["zone"]
    pod = _pod(cs, zone["id"])
    cluster = cs.addCluster(
        zoneid=zone["id"], podid=pod["id"], clustername="c", clustertype="CloudManaged",
        hypervisor="simulator",
    )["cluster"][0]  # fmt: skip
    assert cluster["hypervisortype"] == "Simulator"
    return {"zoneid": zone["id"], "podid": pod["id"], "clusterid": cluster["id"]}


def test_simulator_discoverer_makes_a_new_host_for_every_sim_url(cs: CloudStack) -> None:
    site = _simulator_cluster(cs)
    auth = {"hypervisor": "Simulator", "username": "root", "password": "password", **site}
    hosts = [
        cs.addHost(url=url, **auth)["host"][0]
        for url in ("http://sim/c0/h0", "http://sim/c0/h1", "http://sim/c0/h0")
    ]
    assert all(h["name"].startswith("SimulatedAgent.") for h in hosts)
    assert len({h["name"] for h in hosts}) == 3
    assert [h["ipaddress"] for h in hosts] == ["10.100.10.0", "10.100.10.1", "10.100.10.2"]
    assert all(h["state"] == "Up" and h["cpunumber"] == 4 for h in hosts)
    sized = cs.addHost(url="http://sim/c0/cpucore=2&memory=4096", **auth)["host"][0]
    assert sized["cpunumber"] == 2 and sized["memorytotal"] == 4096
    assert cs.listHosts(clusterid=site["clusterid"])["count"] == 4


def test_simulator_discoverer_takes_only_http_urls_of_sim_hosts(cs: CloudStack) -> None:
    site = _simulator_cluster(cs)
    auth = {"hypervisor": "Simulator", "username": "root", "password": "password", **site}
    for url in ("http://10.0.0.5", "https://sim/c0/h0"):
        with pytest.raises(CloudStackApiException) as err:
            cs.addHost(url=url, **auth)
        assert err.value.error["errortext"] == (
            f"Unable to add the host: Cannot find the server resources at {url}"
        )


def test_nfs_url_with_an_empty_port_is_a_url_without_port(cs: CloudStack) -> None:
    site = _simulator_cluster(cs)
    cs.addHost(url="http://sim/c0/h0", hypervisor="Simulator", username="r", password="p", **site)
    pool = cs.createStoragePool(name="ps", url="nfs://10.147.28.7:/export/primary0", **site)
    assert pool["storagepool"]["ipaddress"] == "10.147.28.7"
    assert pool["storagepool"]["path"] == "/export/primary0"
    store = cs.addImageStore(
        provider="NFS", zoneid=site["zoneid"], url="nfs://10.147.28.7:/export/secondary"
    )
    assert store["imagestore"]["url"] == "nfs://10.147.28.7:/export/secondary"


def test_default_network_offerings_are_listed_and_system_ones_are_not(cs: CloudStack) -> None:
    offerings = cs.listNetworkOfferings()["networkoffering"]
    names = {o["name"] for o in offerings}
    assert "DefaultSharedNetworkOfferingWithSGService" in names
    assert "DefaultIsolatedNetworkOfferingWithSourceNatService" in names
    assert not any(n.startswith("System-") for n in names)
    sg = cs.listNetworkOfferings(name="DefaultSharedNetworkOfferingWithSGService")
    assert sg["count"] == 1
    offering = sg["networkoffering"][0]
    assert offering["guestiptype"] == "Shared" and offering["specifyipranges"] is True
    services = {s["name"]: s["provider"][0]["name"] for s in offering["service"]}
    assert services == {
        "Dhcp": "VirtualRouter",
        "Dns": "VirtualRouter",
        "UserData": "VirtualRouter",
        "SecurityGroup": "SecurityGroupProvider",
    }
    nat = cs.listNetworkOfferings(sourcenatsupported="true")["networkoffering"]
    assert all(any(s["name"] == "SourceNat" for s in o["service"]) for o in nat)
    assert (
        cs.listNetworkOfferings(supportedservices="SecurityGroup", guestiptype="Shared")["count"]
        == 3
    )


def _basic_zone(cs: CloudStack) -> tuple[dict[str, Any], str]:
    zone = cs.createZone(
        name="b", dns1="8.8.8.8", internaldns1="8.8.8.8", networktype="Basic",
        securitygroupenabled="true",
    )["zone"]  # fmt: skip
    pnet = cs.createPhysicalNetwork(zoneid=zone["id"], name="pn", isolationmethods="L3")
    pnet_id = pnet["physicalnetwork"]["id"]
    cs.addTrafficType(physicalnetworkid=pnet_id, traffictype="Guest")
    offering = cs.listNetworkOfferings(name="DefaultSharedNetworkOfferingWithSGService")
    return zone, offering["networkoffering"][0]["id"]


def test_guest_network_needs_an_enabled_physical_network(cs: CloudStack) -> None:
    zone, offering = _basic_zone(cs)
    with pytest.raises(CloudStackApiException) as err:
        cs.createNetwork(zoneid=zone["id"], name="g", networkofferingid=offering)
    assert err.value.error["errortext"] == (
        "Specified physical network id is in incorrect state:Disabled"
    )


def test_basic_zone_has_one_guest_network_of_a_shared_offering(cs: CloudStack) -> None:
    zone, offering = _basic_zone(cs)
    pnet = cs.listPhysicalNetworks(zoneid=zone["id"])["physicalnetwork"][0]
    cs.updatePhysicalNetwork(id=pnet["id"], state="Enabled")
    with pytest.raises(CloudStackApiException) as err:
        cs.createNetwork(zoneid=zone["id"], name="a", networkofferingid=offering, acltype="Account")
    assert err.value.error["errortext"] == (
        "Only AclType=Domain can be specified for network creation in Basic zone"
    )
    isolated = cs.listNetworkOfferings(name="DefaultIsolatedNetworkOffering")["networkoffering"]
    with pytest.raises(CloudStackApiException):
        cs.createNetwork(zoneid=zone["id"], name="i", networkofferingid=isolated[0]["id"])
    net = cs.createNetwork(zoneid=zone["id"], name="g", displaytext="g", networkofferingid=offering)
    network = net["network"]
    assert network["type"] == "Shared" and network["acltype"] == "Domain"
    assert network["vlan"] == "untagged" and network["state"] == "Setup"
    assert network["networkofferingname"] == "DefaultSharedNetworkOfferingWithSGService"
    with pytest.raises(CloudStackApiException) as err:
        cs.createNetwork(zoneid=zone["id"], name="g2", networkofferingid=offering)
    assert err.value.error["errortext"] == (
        "Can't have more than one Guest network in zone with network type Basic"
    )
    assert cs.listNetworks(zoneid=zone["id"])["network"][0]["id"] == network["id"]


def test_the_simulator_builtin_template_is_there(sim: Simulator, cs: CloudStack) -> None:
    found = cs.listTemplates(
        templatefilter="featured", name="CentOS 5.6 (64-bit) no GUI (Simulator)"
    )
    template = found["template"][0]
    assert template["templatetype"] == "BUILTIN" and template["hypervisor"] == "Simulator"
    assert template["ostypename"] == "CentOS 5.6 (64-bit)" and template["isready"] is True


def test_a_shared_network_range_takes_the_network_vlan(cs: CloudStack) -> None:
    zone = cs.createZone(**ZONE, securitygroupenabled="true")["zone"]
    pnet = cs.createPhysicalNetwork(zoneid=zone["id"], name="pn", isolationmethods="VLAN")
    pnet_id = pnet["physicalnetwork"]["id"]
    cs.addTrafficType(physicalnetworkid=pnet_id, traffictype="Guest")
    cs.updatePhysicalNetwork(id=pnet_id, state="Enabled")
    offering = cs.listNetworkOfferings(name="DefaultSharedNetworkOfferingWithSGService")
    network = cs.createNetwork(
        zoneid=zone["id"], name="s", networkofferingid=offering["networkoffering"][0]["id"],
        gateway="10.21.0.1", netmask="255.255.255.0", vlan="201",
    )["network"]  # fmt: skip
    where = {"zoneid": zone["id"], "networkid": network["id"], "forvirtualnetwork": "false"}
    where.update(gateway="10.21.0.1", netmask="255.255.255.0")
    rng = cs.createVlanIpRange(**where, startip="10.21.0.10", endip="10.21.0.20")["vlan"]
    assert rng["vlan"] == "vlan://201"
    with pytest.raises(CloudStackApiException) as err:
        cs.createVlanIpRange(**where, startip="10.21.0.30", endip="10.21.0.40", vlan="202")
    assert err.value.error["errortext"] == "Vlan doesn't match vlan of the network"
    again = cs.createVlanIpRange(**where, startip="10.21.0.50", endip="10.21.0.60", vlan="201")
    assert again["vlan"]["vlan"] == "vlan://201"
