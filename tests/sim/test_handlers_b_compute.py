"""Clusters, hosts and host HA through HTTP with the real `cs` client."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from cs import CloudStack, CloudStackApiException

from specc.sim import running


def client(sim: Any) -> CloudStack:
    return CloudStack(
        endpoint=sim.endpoint, key=sim.api_key, secret=sim.secret_key, fetch_result=True
    )


def api_error(call: Any, **params: Any) -> tuple[int, str]:
    with pytest.raises(CloudStackApiException) as err:
        call(**params)
    return err.value.response.status_code, err.value.error["errortext"]


@pytest.fixture(scope="module")
def sim() -> Iterator[Any]:
    with running(api_version="4.18") as s:
        yield s


@pytest.fixture(scope="module")
def site(sim: Any) -> dict[str, str]:
    c = client(sim)
    zone = c.createZone(name="zc", dns1="8.8.8.8", internaldns1="10.0.0.1", networktype="Advanced")[
        "zone"
    ]
    pod = c.createPod(
        zoneid=zone["id"],
        name="pc",
        gateway="10.0.0.1",
        netmask="255.255.255.0",
        startip="10.0.0.10",
        endip="10.0.0.20",
    )["pod"]
    return {"zoneid": zone["id"], "podid": pod["id"]}


def test_cluster_create_list_update_delete(sim: Any, site: dict[str, str]) -> None:
    c = client(sim)
    made = c.addCluster(clustername="kvm-a", clustertype="CloudManaged", hypervisor="kvm", **site)
    assert made["count"] == 1
    cluster = made["cluster"][0]
    assert (cluster["hypervisortype"], cluster["allocationstate"], cluster["managedstate"]) == (
        "KVM",
        "Enabled",
        "Managed",
    )
    assert cluster["podname"] == "pc" and cluster["zonename"] == "zc"
    assert c.listClusters(hypervisor="KVM", name="kvm-a")["cluster"][0]["id"] == cluster["id"]
    assert c.listClusters(hypervisor="VMware", name="kvm-a") == {}
    updated = c.updateCluster(id=cluster["id"], allocationstate="Disabled", clustername="kvm-b")
    assert updated["cluster"]["allocationstate"] == "Disabled"
    assert updated["cluster"]["name"] == "kvm-b"
    assert c.deleteCluster(id=cluster["id"]) == {"success": True}
    assert c.listClusters(id=cluster["id"]) == {}


def test_cluster_errors(sim: Any, site: dict[str, str]) -> None:
    c = client(sim)
    assert api_error(
        c.addCluster, clustername="x", clustertype="CloudManaged", hypervisor="hyperv2", **site
    ) == (431, "Unable to resolve hyperv2 to a supported ")
    assert api_error(c.addCluster, clustertype="CloudManaged", hypervisor="KVM", **site) == (
        431,
        "Unable to execute API command addcluster due to missing parameter clustername",
    )
    assert api_error(
        c.addCluster, clustername="vmw", clustertype="ExternalManaged", hypervisor="VMware", **site
    ) == (431, "uri.scheme is null None, add http:// as a prefix")
    assert api_error(
        c.addCluster,
        clustername="vmw",
        clustertype="ExternalManaged",
        hypervisor="VMware",
        url="http://vcenter.lan",
        username="u",
        password="p",
        **site,
    ) == (
        431,
        "Your host and/or path is wrong.  Make sure it's of the format http://hostname/path",
    )
    assert c.listClusters(name="vmw") == {}  # a failed discovery leaves no cluster
    assert api_error(
        c.addCluster, clustername="bad", clustertype="Managed", hypervisor="KVM", **site
    ) == (431, "No enum constant com.cloud.org.Cluster.ClusterType.Managed")


def test_add_host_by_cluster_name_creates_the_cluster(sim: Any, site: dict[str, str]) -> None:
    c = client(sim)
    host = c.addHost(
        url="http://10.0.0.99",
        username="root",
        hypervisor="KVM",
        clustername="made-by-addhost",
        **site,
    )["host"][0]
    cluster = c.listClusters(name="made-by-addhost")["cluster"][0]
    assert host["clusterid"] == cluster["id"] and cluster["hypervisortype"] == "KVM"
    assert api_error(
        c.addHost, url="http://10.0.0.98", hypervisor="KVM", clustername="x", **site
    ) == (431, "Username need to be provided.")


def test_kvm_host_without_password_logs_in_with_the_server_key(
    sim: Any, site: dict[str, str]
) -> None:
    """A KVM host needs only a username: the server tries its own SSH key first."""
    c = client(sim)
    cluster = c.addCluster(
        clustername="kvm-key", clustertype="CloudManaged", hypervisor="KVM", **site
    )["cluster"][0]
    host = c.addHost(
        url="http://10.0.0.77",
        username="cloudstack",
        hypervisor="KVM",
        clusterid=cluster["id"],
        **site,
    )["host"][0]
    assert (host["state"], host["resourcestate"], host["clusterid"]) == (
        "Up",
        "Enabled",
        cluster["id"],
    )
    listed = c.listHosts(id=host["id"])["host"][0]
    assert "password" not in listed and "username" not in listed
    # an empty password is no password either
    assert (
        c.addHost(
            url="http://10.0.0.78",
            username="root",
            password="",
            hypervisor="KVM",
            clusterid=cluster["id"],
            **site,
        )["host"][0]["ipaddress"]
        == "10.0.0.78"
    )
    assert api_error(
        c.addHost, url="http://10.0.0.79", password="pw", hypervisor="KVM", **site
    ) == (431, "Username need to be provided.")
    for creds in ({"username": "root"}, {"password": "pw"}, {}):
        assert api_error(
            c.addHost, url="http://10.0.0.80", hypervisor="XenServer", **creds, **site
        ) == (431, "Username and Password need to be provided.")


def test_vmware_cluster_discovers_its_hosts(sim: Any, site: dict[str, str]) -> None:
    c = client(sim)
    # VmwareServerDiscoverer.find: the zone maps to the cluster's datacenter first
    c.addVmwareDc(
        name="DC1",
        vcenter="vcenter.lan",
        username="administrator@vsphere.local",
        password="pw",
        zoneid=site["zoneid"],
    )
    cluster = c.addCluster(
        clustername="vmw-1",
        clustertype="ExternalManaged",
        hypervisor="VMware",
        url="http://vcenter.lan/DC1/Cluster1",
        username="administrator@vsphere.local",
        password="pw",
        **site,
    )["cluster"][0]
    hosts = c.listHosts(clusterid=cluster["id"])["host"]
    assert len(hosts) == 2 and {h["hypervisor"] for h in hosts} == {"VMware"}
    assert all(h["state"] == "Up" and h["resourcestate"] == "Enabled" for h in hosts)
    status, text = api_error(c.deleteCluster, id=cluster["id"])
    assert (status, text) == (
        530,
        f"Cluster: {cluster['id']} cannot be removed. Cluster still has hosts",
    )


def test_host_lifecycle(sim: Any, site: dict[str, str]) -> None:
    c = client(sim)
    cluster = c.addCluster(
        clustername="kvm-h", clustertype="CloudManaged", hypervisor="KVM", **site
    )["cluster"][0]
    host = c.addHost(
        url="http://10.0.0.61",
        username="root",
        password="pw",
        hypervisor="KVM",
        clusterid=cluster["id"],
        hosttags="ssd, fast",
        **site,
    )["host"][0]
    assert (host["state"], host["resourcestate"], host["type"]) == ("Up", "Enabled", "Routing")
    assert (host["ipaddress"], host["hosttags"], host["clustername"]) == (
        "10.0.0.61",
        "ssd,fast",
        "kvm-h",
    )
    assert c.listHosts(type="Routing", clusterid=cluster["id"])["count"] == 1
    assert c.updateHost(id=host["id"], hosttags="gpu")["host"]["hosttags"] == "gpu"
    assert api_error(c.deleteHost, id=host["id"]) == (
        530,
        f"Host {host['id']} cannot be deleted as it is not in maintenance mode. Either put the "
        "host into maintenance or perform a forced deletion.",
    )
    assert c.prepareHostForMaintenance(id=host["id"])["host"]["resourcestate"] == "Maintenance"
    assert c.cancelHostMaintenance(id=host["id"])["host"]["resourcestate"] == "Enabled"
    c.prepareHostForMaintenance(id=host["id"])
    assert c.deleteHost(id=host["id"]) == {"success": True}
    assert c.listHosts(id=host["id"]) == {}
    assert c.deleteCluster(id=cluster["id"]) == {"success": True}


def test_host_errors(sim: Any, site: dict[str, str]) -> None:
    c = client(sim)
    cluster = c.addCluster(
        clustername="xen-e", clustertype="CloudManaged", hypervisor="XenServer", **site
    )["cluster"][0]
    assert api_error(
        c.addHost,
        url="http://10.0.0.71",
        username="root",
        password="pw",
        hypervisor="KVM",
        clusterid=cluster["id"],
        **site,
    ) == (
        431,
        f"Can't add host whose hypervisor type is: KVM into cluster: {cluster['id']} whose "
        "hypervisor type is: XenServer",
    )
    c.addHost(
        url="http://10.0.0.72",
        username="root",
        password="pw",
        hypervisor="XenServer",
        clusterid=cluster["id"],
        **site,
    )
    status, _ = api_error(
        c.addHost,
        url="http://10.0.0.72",
        username="root",
        password="pw",
        hypervisor="XenServer",
        clusterid=cluster["id"],
        **site,
    )
    assert status == 530
    raw = CloudStack(endpoint=sim.endpoint, key=sim.api_key, secret=sim.secret_key)
    host = raw.listHosts(clusterid=cluster["id"])["host"][0]
    jobid = raw.cancelHostMaintenance(id=host["id"])["jobid"]
    job = raw.queryAsyncJobResult(jobid=jobid)
    assert job["jobstatus"] == 2
    assert (
        "Cannot perform cancelMaintenance when resource state is Enabled"
        in (job["jobresult"]["errortext"])
    )


def test_host_ha(sim: Any, site: dict[str, str]) -> None:
    c = client(sim)
    cluster = c.addCluster(
        clustername="kvm-ha", clustertype="CloudManaged", hypervisor="KVM", **site
    )["cluster"][0]
    host = c.addHost(
        url="http://10.0.0.81",
        username="root",
        password="pw",
        hypervisor="KVM",
        clusterid=cluster["id"],
        **site,
    )["host"][0]
    assert c.listHostHAResources(hostid=host["id"]) == {}
    made = c.configureHAForHost(hostid=host["id"], provider="kvmhaprovider")["hostha"]
    assert (made["haprovider"], made["haenable"], made["hastate"]) == (
        "kvmhaprovider",
        False,
        "Disabled",
    )
    # No NFS pool in reach: KVM HA has no heartbeat, the host is Ineligible.
    assert c.enableHAForHost(hostid=host["id"])["hostha"]["hastate"] == "Ineligible"
    c.createStoragePool(name="hb", url="nfs://10.3.3.3/hb", clusterid=cluster["id"], **site)
    enabled = c.enableHAForHost(hostid=host["id"])["hostha"]
    assert (enabled["haenable"], enabled["hastate"]) == (True, "Available")
    listed = c.listHostHAResources(hostid=host["id"])["hostha"]
    assert listed == [
        {
            "hostid": host["id"],
            "haprovider": "kvmhaprovider",
            "haenable": True,
            "hastate": "Available",
        }
    ]
    assert c.listHosts(id=host["id"])["host"][0]["hostha"]["haenable"] is True
    assert c.disableHAForHost(hostid=host["id"])["hostha"]["hastate"] == "Disabled"


def test_ha_provider_must_fit_the_hypervisor(sim: Any, site: dict[str, str]) -> None:
    raw = CloudStack(endpoint=sim.endpoint, key=sim.api_key, secret=sim.secret_key)
    cluster = raw.addCluster(
        clustername="xen-ha", clustertype="CloudManaged", hypervisor="XenServer", **site
    )["cluster"][0]
    host = raw.addHost(
        url="http://10.0.0.91",
        username="root",
        password="pw",
        hypervisor="XenServer",
        clusterid=cluster["id"],
        **site,
    )["host"][0]
    job = raw.queryAsyncJobResult(
        jobid=raw.configureHAForHost(hostid=host["id"], provider="kvmhaprovider")["jobid"]
    )
    assert job["jobstatus"] == 2
    assert job["jobresult"]["errortext"] == (
        f"Incompatible haprovider provided [KVM] for the resource [{host['id']}] of hypervisor "
        "type: [XenServer]."
    )
    job = raw.queryAsyncJobResult(
        jobid=raw.configureHAForHost(hostid=host["id"], provider="nosuchprovider")["jobid"]
    )
    assert job["jobresult"]["errortext"] == "Given HA provider [nosuchprovider] does not exist."
    job = raw.queryAsyncJobResult(jobid=raw.enableHAForHost(hostid=host["id"])["jobid"])
    assert job["jobstatus"] == 2
    assert job["jobresult"]["errortext"] == (
        f"HAProvider is not provided for the resource [{host['id']}], failing configuration."
    )
