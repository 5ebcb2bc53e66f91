"""Primary and secondary storage through HTTP with the real `cs` client: create, list
(filters, version-dependent fields), update, maintenance, delete, URL errors."""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from cs import CloudStack, CloudStackApiException

from specc.sim import running

CONTRACT = Path(__file__).resolve().parents[3] / "shared" / "cloudstack-api"
SF_URL = "MVIP=10.5.0.10;SVIP=10.6.0.10;clusterAdminUsername=admin;clusterAdminPassword=s3cret"


def client(sim: Any) -> CloudStack:
    return CloudStack(
        endpoint=sim.endpoint, key=sim.api_key, secret=sim.secret_key, fetch_result=True
    )


def api_error(call: Any, **params: Any) -> tuple[int, str]:
    """(HTTP status, errortext) of a call that must fail."""
    with pytest.raises(CloudStackApiException) as err:
        call(**params)
    return err.value.response.status_code, err.value.error["errortext"]


_BUILT = itertools.count(1)


def build(c: CloudStack, hypervisor: str = "KVM", hosts: int = 1) -> dict[str, str]:
    """A new zone, pod, cluster of *hypervisor* and its hosts; returns their ids."""
    n_build = next(_BUILT)
    zone = c.createZone(
        name=f"z{n_build}-{hypervisor}",
        dns1="8.8.8.8",
        internaldns1="10.0.0.1",
        networktype="Advanced",
    )["zone"]
    pod = c.createPod(
        zoneid=zone["id"],
        name="p1",
        gateway="10.0.0.1",
        netmask="255.255.255.0",
        startip="10.0.0.10",
        endip="10.0.0.20",
    )["pod"]
    extra = {}
    if hypervisor == "VMware":
        extra = {"url": "http://vc1/dc1/cl1", "username": "administrator", "password": "pw"}
    cluster = c.addCluster(
        zoneid=zone["id"],
        podid=pod["id"],
        clustername=f"c-{hypervisor}",
        clustertype="CloudManaged",
        hypervisor=hypervisor,
        **extra,
    )["cluster"][0]
    if hypervisor in ("KVM", "XenServer"):
        for n in range(hosts):
            c.addHost(
                zoneid=zone["id"],
                podid=pod["id"],
                clusterid=cluster["id"],
                hypervisor=hypervisor,
                url=f"http://10.0.{n_build}.{50 + n}",
                username="root",
                password="pw",
            )
    return {"zoneid": zone["id"], "podid": pod["id"], "clusterid": cluster["id"]}


@pytest.fixture(scope="module")
def sim18() -> Iterator[Any]:
    with running(api_version="4.18") as sim:
        yield sim


@pytest.fixture(scope="module")
def sim22() -> Iterator[Any]:
    with running(api_version="4.22") as sim:
        yield sim


@pytest.fixture(scope="module")
def kvm18(sim18: Any) -> dict[str, str]:
    return build(client(sim18), "KVM", hosts=2)


def test_nfs_pool_created_listed_and_filtered(sim18: Any, kvm18: dict[str, str]) -> None:
    c = client(sim18)
    pool = c.createStoragePool(
        name="nfs-a", url="nfs://10.1.1.5/export/a", tags="gold, fast", **kvm18
    )["storagepool"]
    assert (pool["type"], pool["ipaddress"], pool["path"]) == (
        "NetworkFilesystem",
        "10.1.1.5",
        "/export/a",
    )
    assert (pool["scope"], pool["state"], pool["hypervisor"]) == ("CLUSTER", "Up", "KVM")
    assert pool["tags"] == "gold,fast"
    listed = c.listStoragePools(clusterid=kvm18["clusterid"], name="nfs-a")
    assert listed["count"] == 1 and listed["storagepool"][0]["id"] == pool["id"]
    assert c.listStoragePools(scope="ZONE", name="nfs-a") == {}
    assert c.listStoragePools(keyword="fs-")["count"] >= 1


def test_418_pool_hides_url_details_capacitybytes_and_managed(
    sim18: Any, kvm18: dict[str, str]
) -> None:
    c = client(sim18)
    pool = c.createStoragePool(
        name="sf-418",
        url=SF_URL,
        provider="SolidFire",
        managed="true",
        capacitybytes=10**13,
        capacityiops=100000,
        scope="zone",
        hypervisor="Any",
        zoneid=kvm18["zoneid"],
    )["storagepool"]
    listed = c.listStoragePools(id=pool["id"])["storagepool"][0]
    for item in (pool, listed):
        assert "url" not in item and "details" not in item
        assert "capacitybytes" not in item and "managed" not in item
        assert item["capacityiops"] == 100000
        assert item["provider"] == "SolidFire" and item["hypervisor"] == "Any"
        assert "s3cret" not in json.dumps(item)
    # Only fields the 4.18 contract lists for a storage pool ever come back.
    apis = json.loads((CONTRACT / "apis.json").read_text())["apis"]
    allowed = {r["name"] for r in apis["listStoragePools"]["response"]}
    assert set(listed) <= allowed


def test_422_pool_returns_details_capacitybytes_and_managed(sim22: Any) -> None:
    c = client(sim22)
    ids = build(c, "KVM")
    pool = c.createStoragePool(
        name="sf-422",
        url=SF_URL.replace("MVIP", "mvip"),
        provider="SolidFire",
        managed="true",
        capacitybytes=10**13,
        capacityiops=100000,
        scope="zone",
        hypervisor="KVM",
        zoneid=ids["zoneid"],
    )["storagepool"]
    listed = c.listStoragePools(id=pool["id"])["storagepool"][0]
    assert listed["managed"] is True
    assert listed["capacitybytes"] == 10**13
    assert listed["hypervisor"] == "Any"  # zone-wide SolidFire is stored as Any
    assert listed["details"]["mVip"] == "10.5.0.10"
    assert "clusterAdminPassword" not in listed["details"]
    assert "s3cret" not in json.dumps(listed)
    apis = json.loads((CONTRACT / "apis-4.22.1-from-go-sdk.json").read_text())["apis"]
    allowed = {r["name"] for r in apis["listStoragePools"]["response"]}
    assert set(listed) <= allowed


def test_rbd_secret_never_returned(sim18: Any, kvm18: dict[str, str]) -> None:
    c = client(sim18)
    pool = c.createStoragePool(
        name="ceph",
        url="rbd://cloudstack:AQBx%2Fy%2Bz%3D%3D@mon.ceph.lan/cloudstack",
        scope="zone",
        hypervisor="KVM",
        zoneid=kvm18["zoneid"],
        tags="RBD",
    )["storagepool"]
    assert (pool["type"], pool["ipaddress"], pool["path"], pool["tags"]) == (
        "RBD",
        "mon.ceph.lan",
        "cloudstack",
        "RBD",
    )
    assert "AQBx" not in json.dumps(c.listStoragePools(id=pool["id"]))
    stored = sim18.tamper("storagepool", pool["id"])  # no change: reads the stored item
    assert stored["_secret"] == "AQBx/y+z=="


@pytest.mark.parametrize(
    ("params", "status", "text"),
    [
        (
            {"url": "nfs:///export"},
            530,
            "Failed to add data store: host or path is null, should be nfs://hostname/path",
        ),
        (
            {"url": "10.1.1.1:/export"},
            530,
            "Failed to add data store: scheme is null 10.1.1.1:/export, add nfs:// (or cifs://) "
            "as a prefix",
        ),
        (
            {"url": "iscsi://10.9.9.9/iqn.2010-01.com.x:t/lun"},
            530,
            "Failed to add data store: iSCSI needs to have LUN number",
        ),
        (
            {"url": SF_URL, "provider": "SolidFire", "capacityiops": 1000},
            530,
            "Failed to add data store: 'capacityBytes' must be present and greater than 0.",
        ),
        (
            {"url": SF_URL, "provider": "SolidFire", "capacitybytes": 10**12},
            530,
            "Failed to add data store: 'capacityIops' must be present and greater than 0.",
        ),
    ],
)
def test_url_and_plugin_errors(
    sim18: Any, kvm18: dict[str, str], params: dict[str, Any], status: int, text: str
) -> None:
    c = client(sim18)
    assert api_error(c.createStoragePool, name="bad", **kvm18, **params) == (status, text)


def test_scope_errors(sim18: Any, kvm18: dict[str, str]) -> None:
    c = client(sim18)
    assert api_error(c.createStoragePool, name="x", url="nfs://h/p", zoneid=kvm18["zoneid"]) == (
        431,
        "cluster id can't be null, if scope is cluster",
    )
    assert api_error(
        c.createStoragePool, name="x", url="nfs://h/p", zoneid=kvm18["zoneid"], scope="zone"
    ) == (
        431,
        "Missing parameter hypervisor. Hypervisor type is required to create zone wide "
        "primary storage.",
    )
    assert api_error(
        c.createStoragePool,
        name="x",
        url="nfs://h/p",
        zoneid=kvm18["zoneid"],
        clusterid=kvm18["clusterid"],
    ) == (530, "Failed to add data store: Cluster id requires pod id")


def test_unknown_provider_falls_back_to_default(sim18: Any, kvm18: dict[str, str]) -> None:
    # The real server uses DefaultPrimary for a provider name it does not know.
    c = client(sim18)
    pool = c.createStoragePool(name="typo", url="nfs://10.1.1.9/p", provider="solidfire", **kvm18)[
        "storagepool"
    ]
    assert pool["provider"] == "DefaultPrimary"
    status, text = api_error(
        c.createStoragePool, name="typo2", url=SF_URL, provider="Solidfire", **kvm18
    )
    assert status == 530 and "scheme is null" in text


def test_duplicate_path_rejected(sim18: Any, kvm18: dict[str, str]) -> None:
    c = client(sim18)
    c.createStoragePool(name="dup1", url="nfs://10.7.7.7/dup", **kvm18)
    status, text = api_error(c.createStoragePool, name="dup2", url="nfs://10.7.7.7/dup", **kvm18)
    assert status == 530 and "/dup already in use by another pod" in text


def test_solidfire_shared_rules(sim18: Any) -> None:
    c = client(sim18)
    xen = build(c, "XenServer")
    url = SF_URL + ";minIops=1000;maxIops=2000;burstIops=4000"
    pool = c.createStoragePool(
        name="sfs",
        url=url,
        provider="SolidFireShared",
        capacitybytes=10**12,
        capacityiops=1000,
        **xen,
    )["storagepool"]
    assert (pool["type"], pool["scope"], pool["hypervisor"]) == ("IscsiLUN", "CLUSTER", "XenServer")
    assert api_error(
        c.createStoragePool,
        name="sfs2",
        url=url,
        provider="SolidFireShared",
        capacitybytes=10**12,
        capacityiops=999,
        **xen,
    ) == (
        530,
        "Failed to add data store: The parameter 'capacityIops' must be equal to the "
        "parameter 'minIops'.",
    )
    kvm = c.listClusters(hypervisor="KVM")["cluster"][0]
    status, text = api_error(
        c.createStoragePool,
        name="sfs3",
        url=url,
        provider="SolidFireShared",
        capacitybytes=10**12,
        capacityiops=1000,
        zoneid=kvm["zoneid"],
        podid=kvm["podid"],
        clusterid=kvm["id"],
    )
    assert (status, text) == (
        530,
        "Failed to add data store: KVM is not a supported hypervisor type.",
    )


def test_pool_needs_a_host_up(sim18: Any) -> None:
    c = client(sim18)
    ids = build(c, "XenServer", hosts=0)
    assert api_error(c.createStoragePool, name="nohost", url="nfs://1.2.3.4/x", **ids) == (
        530,
        f"Failed to add data store: No host up to associate a storage pool with in cluster "
        f"{ids['clusterid']}",
    )


def test_update_maintenance_and_delete(sim18: Any, kvm18: dict[str, str]) -> None:
    c = client(sim18)
    pool = c.createStoragePool(name="life", url="nfs://10.1.1.6/life", **kvm18)["storagepool"]
    updated = c.updateStoragePool(id=pool["id"], tags="a,b", capacitybytes=5 * 10**12)
    assert updated["storagepool"]["tags"] == "a,b"
    assert updated["storagepool"]["disksizetotal"] == 5 * 10**12
    disabled = c.updateStoragePool(id=pool["id"], enabled="false")["storagepool"]
    assert disabled["state"] == "Disabled"
    assert c.updateStoragePool(id=pool["id"], enabled="true")["storagepool"]["state"] == "Up"
    # Deleting needs maintenance first, as on the real server.
    assert api_error(c.deleteStoragePool, id=pool["id"]) == (
        431,
        f"Unable to delete storage due to it is not in Maintenance state, id: {pool['id']}",
    )
    job = c.enableStorageMaintenance(id=pool["id"])
    assert job["storagepool"]["state"] == "Maintenance"
    sim18.tamper("storagepool", pool["id"], _volumes=2)
    assert api_error(c.deleteStoragePool, id=pool["id"]) == (
        530,
        "Cannot delete pool life as there are associated volumes for this pool",
    )
    sim18.tamper("storagepool", pool["id"], _volumes=0)
    assert c.cancelStorageMaintenance(id=pool["id"])["storagepool"]["state"] == "Up"
    c.enableStorageMaintenance(id=pool["id"])
    assert c.deleteStoragePool(id=pool["id"]) == {"success": True}
    assert c.listStoragePools(id=pool["id"]) == {}


def test_cancel_maintenance_of_an_up_pool_fails_the_job(sim18: Any, kvm18: dict[str, str]) -> None:
    c = client(sim18)
    pool = c.createStoragePool(name="upup", url="nfs://10.1.1.8/u", **kvm18)["storagepool"]
    raw = CloudStack(endpoint=sim18.endpoint, key=sim18.api_key, secret=sim18.secret_key)
    jobid = raw.cancelStorageMaintenance(id=pool["id"])["jobid"]
    result = raw.queryAsyncJobResult(jobid=jobid)
    assert result["jobstatus"] == 2
    assert result["jobresult"]["errortext"] == (
        f"Primary storage with id {pool['id']} is not ready to complete migration, as the "
        "status is:Up"
    )


def test_storage_providers(sim18: Any) -> None:
    c = client(sim18)
    primary = {p["name"] for p in c.listStorageProviders(type="primary")["dataStoreProvider"]}
    assert {"DefaultPrimary", "SolidFire", "SolidFireShared"} <= primary
    image = c.listStorageProviders(type="image")["dataStoreProvider"]
    assert {p["name"] for p in image} >= {"NFS"} and {p["type"] for p in image} == {"IMAGE"}
    assert api_error(c.listStorageProviders)[0] == 431
    assert api_error(c.listStorageProviders, type="tape") == (431, "Invalid parameter: tape")


def test_flash_array_and_primera_are_providers_from_4_19_only(
    sim18: Any, sim22: Any, kvm18: dict[str, str]
) -> None:
    # FlashArrayPrimaryDatastoreProviderImpl.getName() is "Flash Array" and
    # PrimeraPrimaryDatastoreProviderImpl.getName() "Primera" (apache/cloudstack PR #7889,
    # in 4.19.0.0). On 4.18 the names are unknown, and StorageManagerImpl.createPool
    # uses the default provider for an unknown name.
    c18, c22 = client(sim18), client(sim22)
    names18 = {p["name"] for p in c18.listStorageProviders(type="primary")["dataStoreProvider"]}
    assert not {"Flash Array", "Primera", "Flasharray"} & names18
    pool = c18.createStoragePool(
        name="fa18", url="nfs://10.1.3.1/fa", provider="Flash Array", **kvm18
    )["storagepool"]
    assert pool["provider"] == "DefaultPrimary"
    names22 = {p["name"] for p in c22.listStorageProviders(type="primary")["dataStoreProvider"]}
    assert {"Flash Array", "Primera"} <= names22 and "Flasharray" not in names22


def test_image_store_lifecycle(sim18: Any, kvm18: dict[str, str]) -> None:
    c = client(sim18)
    store = c.addImageStore(
        name="sec1", provider="NFS", url="nfs://10.2.2.2/secondary", zoneid=kvm18["zoneid"]
    )["imagestore"]
    assert (store["protocol"], store["providername"], store["scope"]) == ("nfs", "NFS", "ZONE")
    assert c.listImageStores(zoneid=kvm18["zoneid"], name="sec1")["count"] == 1
    assert api_error(
        c.addImageStore, provider="NFS", url="nfs:///nohost", zoneid=kvm18["zoneid"]
    ) == (
        530,
        "Failed to add data store: Your host and/or path is wrong.  Make sure it's of the "
        "format nfs://hostname/path",
    )
    assert api_error(
        c.addImageStore, name="sec1", provider="NFS", url="nfs://10.2.2.3/s", zoneid=kvm18["zoneid"]
    ) == (431, "The image store with name sec1 already exists, try creating with another name")
    assert api_error(c.addImageStore, provider="NFS", url="nfs://10.2.2.4/s") == (
        431,
        "Image store provider NFS does not support scope REGION",
    )
    # An unknown provider name falls back to the default (NFS), as on the real server.
    other = c.addImageStore(provider="Ceph", url="nfs://10.2.2.5/s", zoneid=kvm18["zoneid"])[
        "imagestore"
    ]
    assert other["providername"] == "NFS" and other["name"] == "nfs://10.2.2.5/s"
    assert c.deleteImageStore(id=other["id"]) == {"success": True}
    assert c.deleteImageStore(id=store["id"]) == {"success": True}
    assert c.listImageStores(id=store["id"]) == {}
