"""VMware datacenters and VMware clusters through HTTP, with the real `cs` client.

Each test names the apache/cloudstack rule it checks (4.18.2.5 and 4.22.1.0 have the
same code): ``VmwareManagerImpl.addVmwareDatacenter`` / ``updateVmwareDatacenter`` /
``removeVmwareDatacenter`` / ``listVmwareDatacenters``, their commands
(``AddVmwareDcCmd`` ...) and ``VmwareServerDiscoverer.find`` / ``validateCluster``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from cs import CloudStack, CloudStackApiException
from simhelp import client, raw_call

from specc.sim import Simulator, running

VC = "vcenter.example.internal"
LOGIN = {"username": "administrator@vsphere.local", "password": "vc-secret"}


def api_error(call: Any, *args: Any, **params: Any) -> tuple[int, int, str]:
    """(HTTP status, cserrorcode, errortext) of a refused call."""
    with pytest.raises(CloudStackApiException) as err:
        call(*args, **params)
    body = err.value.error
    return err.value.response.status_code, body["cserrorcode"], body["errortext"]


@pytest.fixture(params=["4.18", "4.22"])
def sim(request: pytest.FixtureRequest) -> Iterator[Simulator]:
    with running(api_version=request.param) as s:
        yield s


def _zone(c: CloudStack, name: str = "z1", pod: bool = True) -> dict[str, str]:
    zone = c.createZone(name=name, dns1="8.8.8.8", internaldns1="10.0.0.1", networktype="Advanced")
    site = {"zoneid": zone["zone"]["id"]}
    if pod:
        made = c.createPod(
            zoneid=site["zoneid"],
            name=f"{name}-pod",
            gateway="10.0.0.1",
            netmask="255.255.255.0",
            startip="10.0.0.10",
            endip="10.0.0.20",
        )
        site["podid"] = made["pod"]["id"]
    return site


def _vmware_cluster(c: CloudStack, site: dict[str, str], url: str, **kw: str) -> Any:
    return c.addCluster(
        clustername=url.rsplit("/", 1)[-1],
        clustertype="ExternalManaged",
        hypervisor="VMware",
        url=url,
        **kw,
        **site,
    )


# -- addVmwareDc, listVmwareDcs, updateVmwareDc, removeVmwareDc --------------------------


def test_vmware_dc_add_list_update_remove(sim: Simulator) -> None:
    c = client(sim)
    site = _zone(c, pod=False)
    assert c.listVmwareDcs(**site) == {}
    added = c.addVmwareDc(name="DC1", vcenter=VC, **LOGIN, **site)
    # AddVmwareDcCmd.execute sets id and name only, under "vmwaredc"
    assert set(added) == {"vmwaredc"} and set(added["vmwaredc"]) == {"id", "name"}
    assert added["vmwaredc"]["name"] == "DC1"
    listed = c.listVmwareDcs(**site)
    assert listed["count"] == 1
    (dc,) = listed["VMwareDC"]  # ListVmwareDcsCmd: setObjectName("VMwareDC")
    assert dc == {"id": added["vmwaredc"]["id"], "zoneid": 1, "name": "DC1", "vcenter": VC}
    updated = c.updateVmwareDc(name="DC2", vcenter="vc2.example.internal", **site)
    assert updated["vmwaredc"] == {"id": dc["id"], "name": "DC2"}
    again = c.listVmwareDcs(**site)["VMwareDC"][0]
    assert (again["name"], again["vcenter"]) == ("DC2", "vc2.example.internal")
    assert c.removeVmwareDc(**site) == {"success": True}
    assert c.listVmwareDcs(**site) == {}


def test_list_vmware_dcs_answers_its_item_key_and_the_zone_db_id(sim: Simulator) -> None:
    """VmwareDatacenterResponse.zoneId is a Long: the zone's database id, not its uuid."""
    c = client(sim)
    first, second = _zone(c, "za", pod=False), _zone(c, "zb", pod=False)
    c.addVmwareDc(name="DC-B", vcenter=VC, **LOGIN, **second)
    c.addVmwareDc(name="DC-A", vcenter=VC, **LOGIN, **first)
    status, body = raw_call(sim, "listVmwareDcs", zoneid=first["zoneid"])
    assert status == 200
    assert body["listvmwaredcsresponse"]["VMwareDC"][0]["zoneid"] == 2  # numbered when asked
    # keyword, page and pagesize are taken and never read (listVmwareDatacenters)
    status, body = raw_call(sim, "listVmwareDcs", zoneid=second["zoneid"], keyword="nomatch")
    assert body["listvmwaredcsresponse"]["count"] == 1


def test_add_vmware_dc_needs_username_and_password(sim: Simulator) -> None:
    """addVmwareDatacenter: both optional in the API, required here (the same text, sic)."""
    c = client(sim)
    site = _zone(c, pod=False)
    for login in ({"username": "u"}, {"password": "p"}, {}):
        assert api_error(c.addVmwareDc, name="DC1", vcenter=VC, **login, **site) == (
            530,
            9999,
            "Missing or invalid parameter username.",
        )
    assert api_error(c.addVmwareDc, vcenter=VC, **LOGIN, **site)[:1] == (431,)


def test_add_vmware_dc_one_per_zone(sim: Simulator) -> None:
    """addVmwareDatacenter: the same DC again is answered as is; another one is refused."""
    c = client(sim)
    site = _zone(c, pod=False)
    made = c.addVmwareDc(name="DC1", vcenter=VC, **LOGIN, **site)["vmwaredc"]
    same = c.addVmwareDc(name="dc1", vcenter=VC.upper(), **LOGIN, **site)["vmwaredc"]
    assert same == made
    assert api_error(c.addVmwareDc, name="DC2", vcenter=VC, **LOGIN, **site) == (
        530,
        9999,
        "Zone 1 is already associated with a VMware datacenter. "
        "Only 1 VMware DC can be associated with a zone.",
    )


def test_add_vmware_dc_refused_in_a_zone_with_vmware_clusters(sim: Simulator) -> None:
    """validateZoneWithResources: a VMware cluster blocks it, a KVM cluster does not."""
    c = client(sim)
    site = _zone(c)
    c.addCluster(clustername="kvm", clustertype="CloudManaged", hypervisor="KVM", **site)
    # a CloudManaged VMware cluster is persisted without discovery (discoverCluster)
    c.addCluster(clustername="vmw", clustertype="CloudManaged", hypervisor="VMware", **site)
    assert api_error(c.addVmwareDc, name="DC1", vcenter=VC, **LOGIN, zoneid=site["zoneid"]) == (
        530,
        9999,
        "Zone has one or more clusters. Can't add VMware datacenter to zone which already "
        "has clusters.",
    )


def test_a_datacenter_serves_one_zone_until_removed(sim: Simulator) -> None:
    """The DC's cloud.zone mark in vCenter: set by addVmwareDc, reset by removeVmwareDc."""
    c = client(sim)
    first, second = _zone(c, "za", pod=False), _zone(c, "zb", pod=False)
    c.addVmwareDc(name="DC1", vcenter=VC, **LOGIN, **first)
    assert api_error(c.addVmwareDc, name="DC1", vcenter=VC, **LOGIN, **second) == (
        530,
        9999,
        "Failed to add VMware DC to zone due to : This DC is being managed by other "
        "CloudStack deployment. Cannot add this DC to zone.",
    )
    c.removeVmwareDc(**first)
    assert c.addVmwareDc(name="DC1", vcenter=VC, **LOGIN, **second)["vmwaredc"]["name"] == "DC1"


def test_remove_vmware_dc_refusals(sim: Simulator) -> None:
    """removeVmwareDatacenter: VMware clusters first, then the DC must exist."""
    c = client(sim)
    site = _zone(c)
    assert api_error(c.removeVmwareDc, zoneid=site["zoneid"]) == (
        530,
        9999,
        "Zone 1 is not associated with any VMware datacenter.",
    )
    c.addVmwareDc(name="DC1", vcenter=VC, **LOGIN, zoneid=site["zoneid"])
    _vmware_cluster(c, site, f"http://{VC}/DC1/vmw1")
    assert api_error(c.removeVmwareDc, zoneid=site["zoneid"]) == (
        530,
        9999,
        "Zone has one or more clusters. Can't remove VMware datacenter to zone which already "
        "has clusters.",
    )


def test_update_vmware_dc_is_recursive_by_default(sim: Simulator) -> None:
    """updateVmwareDatacenter: the clusters take the login and the new vCenter in their url."""
    c = client(sim)
    site = _zone(c)
    c.addVmwareDc(name="DC1", vcenter=VC, **LOGIN, zoneid=site["zoneid"])
    cluster = _vmware_cluster(c, site, f"http://{VC}/DC1/vmw1")["cluster"][0]
    c.updateVmwareDc(zoneid=site["zoneid"], vcenter="vc2.lan", username="svc")
    details = c.listClusters(id=cluster["id"])["cluster"][0]["resourcedetails"]
    assert details["url"] == "http://vc2.lan/DC1/vmw1"
    # the login is a detail too, never listed (ClusterResponse.setResourceDetails
    # drops username and password)
    assert "username" not in details and "password" not in details
    c.updateVmwareDc(zoneid=site["zoneid"], vcenter="vc3.lan", isrecursive=False)
    details = c.listClusters(id=cluster["id"])["cluster"][0]["resourcedetails"]
    assert details["url"] == "http://vc2.lan/DC1/vmw1"


def test_update_vmware_dc_without_one_fails(sim: Simulator) -> None:
    """updateVmwareDatacenter dereferences the zone's missing mapping: an internal error."""
    c = client(sim)
    site = _zone(c, pod=False)
    status, code, text = api_error(c.updateVmwareDc, name="DC1", **site)
    assert (status, code) == (530, 9999)
    assert text == (
        ""
        if sim.api_version.startswith("4.18")
        else (
            'Cannot invoke "com.cloud.hypervisor.vmware.VmwareDatacenterZoneMap.getVmwareDcId()" '
            'because "vdcMap" is null'
        )
    )


def test_vmware_dc_commands_of_a_deleted_zone(sim: Simulator) -> None:
    """doesZoneExist: a removed zone's uuid still resolves, then the zone is not found."""
    c = client(sim)
    site = _zone(c, pod=False)
    c.deleteZone(id=site["zoneid"])
    assert api_error(c.listVmwareDcs, **site) == (431, 4350, "Invalid zone id 1")
    assert api_error(c.addVmwareDc, name="DC1", vcenter=VC, **LOGIN, **site) == (
        530,
        9999,
        "Can't find zone by the id specified.",
    )
    assert api_error(c.removeVmwareDc, **site) == (
        530,
        9999,
        "Can't find zone by the id specified.",
    )


# -- addCluster of a VMware cluster ------------------------------------------------------


def test_add_cluster_refused_until_the_zone_has_its_vmware_dc(sim: Simulator) -> None:
    """VmwareServerDiscoverer.find -> fetchVmwareDatacenterByZone (a DiscoveryException)."""
    c = client(sim)
    site = _zone(c)
    url = f"http://{VC}/DC1/vmw1"
    assert api_error(_vmware_cluster, c, site, url, **LOGIN) == (
        530,
        9999,
        "Zone 1 is not associated with any VMware DC yet. Please add VMware DC to this zone "
        "first and then try to add clusters.",
    )
    assert c.listClusters(name="vmw1") == {}  # discoverCluster removes the row it made
    c.addVmwareDc(name="DC1", vcenter=VC, **LOGIN, zoneid=site["zoneid"])
    cluster = _vmware_cluster(c, site, url, **LOGIN)["cluster"][0]
    assert len(c.listHosts(clusterid=cluster["id"])["host"]) == 2


def test_add_cluster_takes_the_dc_login_when_none_is_given(sim: Simulator) -> None:
    """find: a missing username or password means the datacenter's are used."""
    c = client(sim)
    site = _zone(c)
    c.addVmwareDc(name="DC1", vcenter=VC, **LOGIN, zoneid=site["zoneid"])
    cluster = _vmware_cluster(c, site, f"http://{VC}/DC1/vmw1", username="other")["cluster"][0]
    assert cluster["resourcedetails"]["username"] == LOGIN["username"]


def test_add_cluster_url_names_the_zone_vcenter_and_dc(sim: Simulator) -> None:
    """validateCluster: the url's host and DC must be the zone's (without case)."""
    c = client(sim)
    site = _zone(c)
    c.addVmwareDc(name="DC1", vcenter=VC, **LOGIN, zoneid=site["zoneid"])
    assert api_error(_vmware_cluster, c, site, "http://other.lan/DC1/vmw1") == (
        530,
        9999,
        f"This cluster vmw1 belongs to vCenter other.lan. But this zone is associated with "
        f"VMware DC from vCenter {VC}. Make sure the cluster being added belongs to vCenter "
        f"{VC} and VMware DC DC1",
    )
    assert api_error(_vmware_cluster, c, site, f"http://{VC}/DC9/vmw1") == (
        530,
        9999,
        f"This cluster vmw1 belongs to VMware DC DC9 .But this zone is associated with VMware "
        f"DC DC1. Make sure the cluster being added belongs to VMware DC DC1 in vCenter {VC}",
    )
    assert c.listClusters(**site) == {}
    made = _vmware_cluster(c, site, f"http://{VC.upper()}/dc1/vmw1")["cluster"][0]
    assert made["resourcedetails"]["url"] == f"http://{VC.upper()}/dc1/vmw1"
    # a path without the DC takes the zone's, and the stored url says it
    short = _vmware_cluster(c, site, f"http://{VC}/vmw2")["cluster"][0]
    assert short["resourcedetails"]["url"] == f"http://{VC}/DC1/vmw2"
